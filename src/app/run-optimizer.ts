import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { EvaluationSettings, ThresholdPolicy } from '../billing/index.js';
import { isMonthEnd, monthOf } from '../billing/index.js';
import type { EventSink, OptimizerEvent } from '../ports/event-sink.js';
import type { FleetProblem, FleetSource } from '../ports/fleet-source.js';
import type { ModeSwitcher } from '../ports/mode-switcher.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import { silentLog } from '../shared/log.js';
import type { WriteFailure } from '../shared/write-failure.js';
import { modeChangedEvent, runCompletedEvent } from './build-events.js';
import type { ConversionContext } from './convert-workspace.js';
import { convertWorkspace } from './convert-workspace.js';
import type { ConversionLedger, DrainResult, LedgerView } from './ledger/conversion-ledger.js';
import type { LedgerEntry } from './ledger/ledger-entry.js';
import type { RunReports, UnreadScope } from './report-ports.js';
import type { RunSummary } from './run-summary.js';
import { countResults } from './run-summary.js';
import { warnCostlyConversions } from './workspace-cost.js';
import type { WorkspaceResult } from './workspace-result.js';
import { writeMonthlySummary } from './write-monthly-summary.js';

export interface OptimizerSettings {
  /** `T`: the scheduled event's time or `--as-of`. */
  readonly asOf: Date;
  readonly dryRun: boolean;
  readonly forceMonthEnd: boolean;
  readonly thresholds: ThresholdPolicy;
  readonly assumedTimeoutMinutes: number;
  /** The account the run acts for (the ledger's scope, the run-completed event). */
  readonly account: string;
  /** Regions read at once. */
  readonly regionConcurrency: number;
  /** Tag confirmations and mode changes in flight at once. */
  readonly modifyConcurrency: number;
  /** Identifies the run in the ledger's claims; default a random UUID. */
  readonly runId?: string;
}

export interface RunProgress {
  readonly regionsDone: number;
  readonly regionsTotal: number;
  readonly workspacesSeen: number;
}

export interface OptimizerDependencies {
  readonly fleet: FleetSource;
  readonly switcher: ModeSwitcher;
  /** Where the daily reports (and at month end the month's summary) are written. */
  readonly reports: RunReports;
  /** What wco converted, before and after each conversion: the memory between runs. */
  readonly ledger: ConversionLedger;
  readonly events?: EventSink | undefined;
  readonly log?: Log | undefined;
  readonly onProgress?: ((progress: RunProgress) => void) | undefined;
  /** Prices per WorkSpace; without it (or without a price) thresholds are the hour table's. */
  readonly prices?: PriceCatalog | undefined;
  /** The wall clock, for ledger claims (default `new Date()`); `T` is `settings.asOf`. */
  readonly now?: (() => Date) | undefined;
}

export interface RunResult {
  readonly summary: RunSummary;
  readonly results: readonly WorkspaceResult[];
}

/**
 * The optimizer job: read every region, decide each WorkSpace with the billing
 * core, apply the conversions (unless dry run) through the conversion ledger,
 * publish the ledger's unpublished conversion events, write the reports and the
 * run event. A rerun of the day leaves the fleet, the reports and the audit
 * trail as if the day ran once. One WorkSpace, directory or region failing
 * never stops the rest; failed writes are in `summary.writeFailures`.
 */
export async function runOptimizer(
  deps: OptimizerDependencies,
  settings: OptimizerSettings,
): Promise<RunResult> {
  const log = deps.log ?? silentLog;
  const { asOf } = settings;
  const month = monthOf(asOf);
  const monthEnd = isMonthEnd(asOf, settings.forceMonthEnd);
  const evaluation: EvaluationSettings = {
    thresholds: settings.thresholds,
    assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
    forceMonthEnd: settings.forceMonthEnd,
  };
  const regionLimit = pLimit(settings.regionConcurrency);
  const modifyLimit = pLimit(settings.modifyConcurrency);
  const problems: FleetProblem[] = [];
  const writeFailures: WriteFailure[] = [];
  const unread: UnreadScope[] = [];
  let regionsDone = 0;
  let workspacesSeen = 0;

  const context: ConversionContext = {
    asOf,
    month,
    runId: settings.runId ?? randomUUID(),
    dryRun: settings.dryRun,
    evaluation,
    now: deps.now ?? (() => new Date()),
    ledger: deps.ledger,
    switcher: deps.switcher,
    prices: deps.prices,
    log,
    limit: (task) => modifyLimit(task),
    ledgerFailed: (failure) => {
      writeFailures.push(failure);
      log.error('ledger write failed', { ...failure });
    },
  };

  const readLedger = async (region: string): Promise<LedgerView | undefined> => {
    try {
      return await deps.ledger.load(
        { month, account: settings.account, region },
        { readOnly: settings.dryRun },
      );
    } catch (error) {
      const problem = {
        region,
        scope: 'ledger',
        message: `the conversion ledger could not be read: ${errorMessage(error)}`,
      };
      problems.push(problem);
      log.error('ledger could not be read; nothing in the region is converted', { ...problem });
      return undefined;
    }
  };

  const perRegion = await Promise.all(
    deps.fleet.regions.map((region) =>
      regionLimit(async (): Promise<WorkspaceResult[]> => {
        try {
          const view = await readLedger(region);
          const fleet = await deps.fleet.readRegion(region, {
            asOf,
            assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
            recordedTimeouts: view?.recordedTimeouts,
          });
          problems.push(...fleet.problems);
          for (const problem of fleet.problems) {
            log.error('part of the fleet could not be read', { ...problem });
            if (problem.directoryId !== undefined)
              unread.push({ account: settings.account, region, directoryId: problem.directoryId });
          }
          workspacesSeen += fleet.workspaces.length;
          return await Promise.all(
            fleet.workspaces.map((observed) => convertWorkspace(observed, view, context)),
          );
        } catch (error) {
          const problem = { region, scope: 'region', message: errorMessage(error) };
          problems.push(problem);
          unread.push({ account: settings.account, region });
          log.error('region could not be read', { ...problem });
          return [];
        } finally {
          regionsDone += 1;
          deps.onProgress?.({ regionsDone, regionsTotal: deps.fleet.regions.length, workspacesSeen });
        }
      }),
    ),
  );
  const results = perRegion.flat();
  warnCostlyConversions(results, log);

  // The outbox: every settled conversion whose event has not gone out yet, this run's and earlier runs'.
  const outbox = settings.dryRun || deps.events === undefined ? undefined : await drainOutbox(deps, context);
  for (const problem of outbox?.problems ?? []) {
    writeFailures.push({ target: 'events', message: problem });
    log.error('conversion events could not all be published', { message: problem });
  }

  const daily = await deps.reports.writeDaily({ results, asOf, monthEnd, unread });
  const reportKeys = [...daily.written];
  writeFailures.push(...daily.failures);
  if (monthEnd) {
    // Conversions from the ledger; the rest from the reports just stored, exactly as `wco report` rebuilds it later.
    const notes = daily.failures.map(
      (failure) =>
        `The month-end run (${asOf.toISOString()}) could not write its daily report ${failure.target}: ${failure.message}`,
    );
    const monthly = await writeMonthlySummary(deps.reports, month, { ledger: deps.ledger, notes });
    reportKeys.push(...monthly.written);
    writeFailures.push(...monthly.failures);
  }
  for (const failure of daily.failures) log.error('report write failed', { ...failure });

  const counts = countResults(results, settings.thresholds);
  const summaryWithoutEvents: RunSummary = {
    asOf,
    dryRun: settings.dryRun,
    monthEnd,
    regions: deps.fleet.regions,
    workspaces: results.length,
    ...counts,
    problems,
    reportKeys,
    writeFailures,
    reportLocation: deps.reports.location,
    keptRows: daily.kept,
    events: { published: outbox?.published.length ?? 0, pending: outbox?.pending ?? 0 },
  };

  if (deps.events) {
    try {
      await deps.events.publish([runCompletedEvent(summaryWithoutEvents, settings.account)]);
    } catch (error) {
      const failure = { target: 'events', message: errorMessage(error) };
      writeFailures.push(failure);
      log.error('the run event could not be published', { ...failure });
    }
  }
  return { summary: { ...summaryWithoutEvents, writeFailures }, results };
}

/** Publishes the ledger's unpublished conversion events; each goes out with its record id. */
async function drainOutbox(deps: OptimizerDependencies, context: ConversionContext): Promise<DrainResult> {
  const sink = deps.events!;
  return deps.ledger.drainOutbox(async (entries: readonly LedgerEntry[]) => {
    const events = entries.map(modeChangedEvent);
    try {
      await sink.publish(events);
      return { sent: new Set(entries.map((entry) => entry.id)) };
    } catch (error) {
      const failed = failedEventsOf(error);
      // Without a list of the failed events nothing can be marked: all are sent again next run.
      if (failed === undefined) throw error;
      const failedIds = new Set(failed.map((event) => recordIdOfEvent(event)));
      return {
        sent: new Set(entries.map((entry) => entry.id).filter((id) => !failedIds.has(id))),
        problem: errorMessage(error),
      };
    }
  }, context.now());
}

function failedEventsOf(error: unknown): readonly OptimizerEvent[] | undefined {
  const failed = (error as { failedEvents?: unknown }).failedEvents;
  return Array.isArray(failed) && failed.length > 0 ? (failed as OptimizerEvent[]) : undefined;
}

function recordIdOfEvent(event: OptimizerEvent): string | undefined {
  return 'recordId' in event.detail ? event.detail.recordId : undefined;
}
