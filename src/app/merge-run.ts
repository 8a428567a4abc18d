import type { EventSink } from '../ports/event-sink.js';
import type { FleetProblem } from '../ports/fleet-source.js';
import { errorMessage } from '../shared/errors.js';
import { publishTracked } from './publish-tracked.js';
import type { Log } from '../shared/log.js';
import type { WriteFailure } from '../shared/write-failure.js';
import { conversionEvent, runCompletedEvent } from './build-events.js';
import type { ConversionLedger, DrainResult } from './ledger/conversion-ledger.js';
import type { LedgerEntry } from './ledger/ledger-entry.js';
import type { DirectoryPart, RunReports, UnreadScope } from './report-ports.js';
import type { ShardOutcome } from './run-shard.js';
import type { AccountCounts, RunSummary } from './run-summary.js';
import { compareText } from '../shared/compare-text.js';
import { RunTally } from './run-summary.js';
import { writeMonthlySummary } from './write-monthly-summary.js';
import type { UnusedRow } from './unused/review-unused.js';
import { unusedEvents } from './unused/unused-events.js';
import type { UnusedLedger } from './unused/unused-ledger.js';
import { drainUnusedOutbox } from './unused/unused-outbox.js';
import type { UnusedSummary } from './unused/unused-run.js';

/** Everything a run's shards did, and what could not be read before any shard ran. */
export interface RunParts {
  readonly shards: readonly ShardOutcome[];
  /** Regions (or their ledger) that could not be read; shards that never finished. */
  readonly problems: readonly FleetProblem[];
  readonly unread: readonly UnreadScope[];
  /** The run's unused review: its summary, rows, report and failed writes. */
  readonly unused?:
    | {
        readonly summary: UnusedSummary;
        readonly rows: readonly UnusedRow[];
        readonly reportKeys: readonly string[];
        readonly writeFailures: readonly WriteFailure[];
      }
    | undefined;
}

export interface MergeDependencies {
  readonly reports: RunReports;
  readonly ledger: ConversionLedger;
  readonly events?: EventSink | undefined;
  /** The unused review's ledger, whose outbox a run that reviewed unused WorkSpaces drains. */
  readonly unusedLedger?: UnusedLedger | undefined;
  readonly log: Log;
}

export interface MergeSettings {
  readonly asOf: Date;
  readonly month: string;
  readonly monthEnd: boolean;
  readonly dryRun: boolean;
  readonly account: string;
  readonly regions: readonly string[];
  /** Tag keys that get a column each in the daily report: the same as the shards'. */
  readonly tagColumns?: readonly string[] | undefined;
  /** The wall clock, for marking published events. */
  readonly now: () => Date;
}

/**
 * The end of a run, the same for one process and for the sharded deployment:
 * the shards' counts added up, the ledger's unpublished conversion events
 * published (this run's and earlier ones'), the day's aggregate written from
 * the directory files (keeping the day's earlier rows for what could not be
 * read; nothing at all when nothing was read), at month end the month's
 * summary from the ledger and the stored reports, and the run event.
 */
export async function mergeRun(
  deps: MergeDependencies,
  settings: MergeSettings,
  run: RunParts,
): Promise<RunSummary> {
  const { log, reports } = deps;
  const { asOf } = settings;
  const tally = new RunTally();
  const problems: FleetProblem[] = [...run.problems];
  const unread: UnreadScope[] = [...run.unread];
  const writeFailures: WriteFailure[] = [...(run.unused?.writeFailures ?? [])];
  const parts: DirectoryPart[] = [];
  const byAccount = new Map<string, RunTally>();
  for (const shard of run.shards) {
    tally.merge(shard.counts);
    const account = byAccount.get(shard.shard.account) ?? new RunTally();
    account.merge(shard.counts);
    byAccount.set(shard.shard.account, account);
    problems.push(...shard.problems);
    unread.push(...shard.unread);
    writeFailures.push(...shard.writeFailures);
    parts.push(...shard.parts);
  }
  const counts = tally.counts();

  // The outbox: every settled conversion whose event has not gone out yet, this run's and earlier runs'.
  const outbox =
    settings.dryRun || deps.events === undefined
      ? undefined
      : await drainOutbox(deps.ledger, deps.events, settings.now());
  for (const problem of outbox?.problems ?? []) {
    writeFailures.push({ target: 'events', message: problem });
    log.error('conversion events could not all be published', { message: problem });
  }

  // The unused ledger's outbox: this run's listing and removals, and what earlier runs could not publish.
  const unusedOutbox =
    settings.dryRun ||
    deps.events === undefined ||
    deps.unusedLedger === undefined ||
    run.unused === undefined
      ? undefined
      : await drainUnusedOutbox(deps.unusedLedger, deps.events, {
          account: settings.account,
          months: run.unused.summary.months,
          removal: run.unused.summary.removal,
          now: settings.now(),
          listing: unusedEvents(
            { account: settings.account, asOf, month: settings.month, reportKey: run.unused.reportKeys[0] },
            run.unused.summary,
            run.unused.rows,
          )[0],
        });
  for (const problem of unusedOutbox?.problems ?? []) {
    writeFailures.push({ target: 'events', message: problem });
    log.error('unused events could not all be published', { message: problem });
  }

  const reportKeys = parts.flatMap((part) => (part.key !== undefined && !part.unwritten ? [part.key] : []));
  reportKeys.push(...(run.unused?.reportKeys ?? []));
  // The shards logged their own files' failures; the merge logs the day's files it writes.
  const dailyFailures = parts.flatMap((part) => part.failures);
  let keptRows = parts.reduce((sum, part) => sum + part.kept, 0);
  // A run that read nothing writes no daily report: an outage never replaces the day's report with an empty one.
  if (counts.workspaces > 0 || unread.length === 0) {
    const day = { asOf, tagColumns: settings.tagColumns };
    const kept = await reports.keepUnread(day, unread);
    keptRows += kept.parts.reduce((sum, part) => sum + part.kept, 0);
    reportKeys.push(...kept.parts.flatMap((part) => (part.unwritten ? [] : [part.key!])));
    const mergeFailures = [...kept.failures];
    // Without the earlier rows of an unread part the aggregate would drop them: the day keeps its aggregate.
    if (kept.failures.length === 0) {
      const aggregate = await reports.writeAggregate({
        ...day,
        monthEnd: settings.monthEnd,
        parts: [...parts, ...kept.parts],
      });
      reportKeys.push(...aggregate.written);
      mergeFailures.push(...aggregate.failures);
    }
    dailyFailures.push(...mergeFailures);
    writeFailures.push(...mergeFailures);
    for (const failure of mergeFailures) log.error('report write failed', { ...failure });
  }
  if (settings.monthEnd) {
    // Conversions from the ledger; the rest from the reports just stored, exactly as `wco report` rebuilds it later.
    const notes = dailyFailures.map(
      (failure) =>
        `The month-end run (${asOf.toISOString()}) could not write its daily report ${failure.target}: ${failure.message}`,
    );
    const monthly = await writeMonthlySummary(reports, settings.month, { ledger: deps.ledger, notes });
    reportKeys.push(...monthly.written);
    writeFailures.push(...monthly.failures);
  }

  const summaryWithoutEvents: RunSummary = {
    asOf,
    dryRun: settings.dryRun,
    monthEnd: settings.monthEnd,
    regions: settings.regions,
    ...counts,
    problems,
    reportKeys,
    writeFailures,
    reportLocation: reports.location,
    keptRows,
    events: {
      published: (outbox?.published.length ?? 0) + (unusedOutbox?.published ?? 0),
      pending: (outbox?.pending ?? 0) + (unusedOutbox?.pending ?? 0),
    },
    accounts: accountCounts(byAccount),
    unused: run.unused?.summary,
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
  return { ...summaryWithoutEvents, writeFailures };
}

function accountCounts(byAccount: ReadonlyMap<string, RunTally>): AccountCounts[] {
  return [...byAccount]
    .sort(([a], [b]) => compareText(a, b))
    .map(([account, tally]) => {
      const counts = tally.counts();
      return {
        account,
        workspaces: counts.workspaces,
        toAlwaysOn: counts.actions.TO_ALWAYS_ON,
        toAutoStop: counts.actions.TO_AUTO_STOP,
        savings: counts.prices.savings,
      };
    });
}

/** Publishes the ledger's unpublished conversion events (applied and failed); each goes out with its record id. */
function drainOutbox(ledger: ConversionLedger, sink: EventSink, now: Date): Promise<DrainResult> {
  return ledger.drainOutbox(
    (entries: readonly LedgerEntry[]) =>
      publishTracked(
        sink,
        entries.map((entry) => ({ id: entry.id, event: conversionEvent(entry) })),
      ),
    now,
  );
}
