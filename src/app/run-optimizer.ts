import pLimit from 'p-limit';
import type { EvaluationSettings, Tags, ThresholdPolicy } from '../billing/index.js';
import {
  evaluateWorkspace,
  isMonthEnd,
  monthOf,
  Outcome,
  planApplication,
  runningModeAfter,
} from '../billing/index.js';
import type { EventSink, OptimizerEvent } from '../ports/event-sink.js';
import { lookupPrice, priceBreakEvenHours, warnCostlyConversions, workspaceCost } from './workspace-cost.js';
import { writeMonthlySummary } from './write-monthly-summary.js';
import type { PriceCatalog, PriceQuote } from '../ports/price-catalog.js';
import { modeChangedEvent, runCompletedEvent } from './build-events.js';
import type { FleetProblem, FleetSource } from '../ports/fleet-source.js';
import type { ModeSwitcher } from '../ports/mode-switcher.js';
import type { ObservedWorkspace } from '../ports/workspace.js';
import type { Read } from '../shared/read.js';
import { errorMessage } from '../shared/errors.js';
import type { WorkspaceResult } from './workspace-result.js';
import type { RunReports } from './report-ports.js';
import type { Log } from '../shared/log.js';
import { silentLog } from '../shared/log.js';
import type { RunSummary } from './run-summary.js';
import type { WriteFailure } from '../shared/write-failure.js';
import { countResults } from './run-summary.js';

export interface OptimizerSettings {
  /** `T`: the scheduled event's time or `--as-of`. */
  readonly asOf: Date;
  readonly dryRun: boolean;
  readonly forceMonthEnd: boolean;
  readonly thresholds: ThresholdPolicy;
  readonly assumedTimeoutMinutes: number;
  /** The account the run acts for (in the run-completed event). */
  readonly account: string;
  /** Regions read at once. */
  readonly regionConcurrency: number;
  /** Tag confirmations and mode changes in flight at once. */
  readonly modifyConcurrency: number;
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
  readonly events?: EventSink | undefined;
  readonly log?: Log | undefined;
  readonly onProgress?: ((progress: RunProgress) => void) | undefined;
  /** Prices per WorkSpace; without it (or without a price) thresholds are the hour table's. */
  readonly prices?: PriceCatalog | undefined;
}

export interface RunResult {
  readonly summary: RunSummary;
  readonly results: readonly WorkspaceResult[];
}

/**
 * The optimizer job: read every region, decide each WorkSpace with the billing
 * core, apply the conversions (unless dry run), write the reports and publish
 * the events. One WorkSpace, directory or region failing never stops the rest;
 * failed writes are in `summary.writeFailures`.
 */
export async function runOptimizer(
  deps: OptimizerDependencies,
  settings: OptimizerSettings,
): Promise<RunResult> {
  const log = deps.log ?? silentLog;
  const { asOf } = settings;
  const monthEnd = isMonthEnd(asOf, settings.forceMonthEnd);
  const evaluation: EvaluationSettings = {
    thresholds: settings.thresholds,
    assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
    forceMonthEnd: settings.forceMonthEnd,
  };
  const regionLimit = pLimit(settings.regionConcurrency);
  const modifyLimit = pLimit(settings.modifyConcurrency);
  const problems: FleetProblem[] = [];
  let regionsDone = 0;
  let workspacesSeen = 0;

  const decideAndApply = async (observed: ObservedWorkspace): Promise<WorkspaceResult> => {
    const quote = await lookupPrice(deps.prices, observed.workspace, log);
    const evaluate = (tags: Read<Tags>) => evaluateWith(observed, tags, quote);
    const first = evaluate(observed.tags);
    const plan = planApplication(first.decision, observed.workspace.state, settings.dryRun);
    if (plan.kind === 'settled') return resultOf(observed, first, plan.outcome);
    // An exemption must never be missed: re-read the tags authoritatively right before converting.
    const confirmed = await modifyLimit(() => deps.switcher.confirmTags(observed.workspace));
    const second = evaluate(confirmed);
    const secondPlan = planApplication(second.decision, observed.workspace.state, settings.dryRun);
    if (secondPlan.kind === 'settled') return resultOf(observed, second, secondPlan.outcome, confirmed);
    try {
      await modifyLimit(() => deps.switcher.setRunningMode(observed.workspace, secondPlan.targetMode));
      log.info('running mode changed', {
        workspaceId: observed.workspace.workspaceId,
        region: observed.workspace.region,
        from: observed.workspace.runningMode,
        to: secondPlan.targetMode,
      });
      return resultOf(observed, second, Outcome.APPLIED, confirmed);
    } catch (error) {
      const message = errorMessage(error);
      log.error('running mode change failed', {
        workspaceId: observed.workspace.workspaceId,
        region: observed.workspace.region,
        error: message,
      });
      return resultOf(observed, second, Outcome.FAILED, confirmed, message);
    }
  };

  const evaluateWith = (observed: ObservedWorkspace, tags: Read<Tags>, quote: PriceQuote | undefined) => ({
    ...evaluateWorkspace(
      {
        runningMode: observed.workspace.runningMode,
        computeType: observed.workspace.computeType,
        autoStopTimeoutMinutes: observed.workspace.autoStopTimeoutMinutes,
        tags: tags.ok ? tags.value : undefined,
        usage: observed.usage.ok ? observed.usage.value : undefined,
        priceBreakEvenHours: priceBreakEvenHours(quote),
      },
      evaluation,
      asOf,
    ),
    quote,
  });

  const resultOf = (
    observed: ObservedWorkspace,
    evaluated: ReturnType<typeof evaluateWith>,
    outcome: Outcome,
    tags: Read<Tags> = observed.tags,
    modifyError?: string,
  ): WorkspaceResult => ({
    workspace: observed.workspace,
    tags: tags.ok ? tags.value : undefined,
    idleTimeoutMinutes: evaluated.idleTimeoutMinutes,
    billableHours: evaluated.billableHours,
    threshold: evaluated.threshold,
    decision: evaluated.decision,
    outcome,
    newRunningMode: runningModeAfter(observed.workspace.runningMode, evaluated.decision, outcome),
    error: modifyError ?? readError(observed, tags),
    cost: workspaceCost(evaluated.quote, observed.workspace.runningMode, evaluated, asOf),
  });

  const perRegion = await Promise.all(
    deps.fleet.regions.map((region) =>
      regionLimit(async (): Promise<WorkspaceResult[]> => {
        try {
          const fleet = await deps.fleet.readRegion(region, {
            asOf,
            assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
          });
          problems.push(...fleet.problems);
          for (const problem of fleet.problems)
            log.error('part of the fleet could not be read', { ...problem });
          workspacesSeen += fleet.workspaces.length;
          return await Promise.all(fleet.workspaces.map(decideAndApply));
        } catch (error) {
          const problem = { region, scope: 'region', message: errorMessage(error) };
          problems.push(problem);
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

  const written = await deps.reports.writeDaily(results, asOf, monthEnd);
  const writeFailures: WriteFailure[] = [...written.failures];
  if (monthEnd) {
    // Built from the reports just stored, exactly as `wco report` rebuilds it later.
    const monthly = await writeMonthlySummary(deps.reports, monthOf(asOf));
    written.written.push(...monthly.written);
    writeFailures.push(...monthly.failures);
  }
  for (const failure of writeFailures) log.error('report write failed', { ...failure });

  const counts = countResults(results);
  const summaryWithoutEvents: RunSummary = {
    asOf,
    dryRun: settings.dryRun,
    monthEnd,
    regions: deps.fleet.regions,
    workspaces: results.length,
    ...counts,
    problems,
    reportKeys: written.written,
    writeFailures,
    reportLocation: deps.reports.location,
  };

  if (deps.events) {
    const events: OptimizerEvent[] = results.flatMap((result) => modeChangedEvent(result, asOf) ?? []);
    events.push(runCompletedEvent(summaryWithoutEvents, settings.account));
    try {
      await deps.events.publish(events);
    } catch (error) {
      const failure = { target: 'events', message: errorMessage(error) };
      writeFailures.push(failure);
      log.error('events could not be published', { ...failure });
    }
  }
  return { summary: { ...summaryWithoutEvents, writeFailures }, results };
}

function readError(observed: ObservedWorkspace, tags: Read<Tags>): string | undefined {
  const messages = [
    tags.ok ? undefined : `tags: ${tags.error}`,
    observed.usage.ok ? undefined : `usage: ${observed.usage.error}`,
  ].filter((message) => message !== undefined);
  return messages.length > 0 ? messages.join('; ') : undefined;
}
