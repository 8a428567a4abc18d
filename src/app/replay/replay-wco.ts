import type { ModeChange, ThresholdPolicy } from '../../billing/index.js';
import { monthOf } from '../../billing/index.js';
import type { DocumentStore } from '../../ports/document-store.js';
import type { FleetHistory } from '../../ports/fleet-history.js';
import type { PriceCatalog } from '../../ports/price-catalog.js';
import type { Log } from '../../shared/log.js';
import { ConversionLedger, LedgerReadError } from '../ledger/conversion-ledger.js';
import { LedgerStatus } from '../ledger/ledger-entry.js';
import { runOptimizer } from '../run-optimizer.js';
import { ReplayFleet } from './replay-fleet.js';
import { unwrittenReports } from './unwritten-reports.js';

export interface PolicyRunSettings {
  readonly thresholds: ThresholdPolicy;
  readonly assumedTimeoutMinutes: number;
  readonly regionConcurrency: number;
  readonly modifyConcurrency: number;
}

export interface PolicyRunDependencies {
  readonly prices: PriceCatalog | undefined;
  readonly log?: Log | undefined;
  /** Called after each run. */
  readonly onRun?: ((asOf: Date) => void) | undefined;
}

/** What a policy did over the replay: its applied mode changes by WorkSpace, ascending. */
export interface PolicyChanges {
  readonly changes: ReadonlyMap<string, readonly ModeChange[]>;
  /** Anything that went wrong in the replay's own machinery (never expected: it is all in memory). */
  readonly problems: readonly string[];
}

/**
 * wco's rules over the replay: every run goes through `runOptimizer`, the same
 * use case as a scheduled run, with dry run off, on the history played back
 * in memory and a conversion ledger on `ledgerStore` (empty, in memory). The
 * conversions are whatever those runs applied, as their ledger recorded them.
 */
export async function replayWco(
  history: FleetHistory,
  runs: readonly Date[],
  ledgerStore: DocumentStore,
  settings: PolicyRunSettings,
  deps: PolicyRunDependencies,
): Promise<PolicyChanges> {
  const fleet = new ReplayFleet(history.workspaces, history.regions, settings.assumedTimeoutMinutes);
  const ledger = new ConversionLedger(ledgerStore);
  const problems: string[] = [];
  for (const asOf of runs) {
    const { summary } = await runOptimizer(
      {
        fleet,
        switcher: fleet,
        reports: unwrittenReports,
        ledger,
        prices: deps.prices,
        log: deps.log,
        now: () => asOf,
      },
      {
        asOf,
        dryRun: false,
        forceMonthEnd: false,
        thresholds: settings.thresholds,
        assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
        account: history.account,
        regionConcurrency: settings.regionConcurrency,
        modifyConcurrency: settings.modifyConcurrency,
        runId: `replay-${asOf.toISOString()}`,
        // Only the ledger's conversions are needed: a run's results would grow with the fleet.
        keepResults: false,
      },
    );
    for (const failure of summary.writeFailures)
      problems.push(`run ${asOf.toISOString()}: ${failure.target}: ${failure.message}`);
    for (const problem of summary.problems)
      problems.push(`run ${asOf.toISOString()}: ${problem.region} ${problem.scope}: ${problem.message}`);
    deps.onRun?.(asOf);
  }
  return { changes: await appliedChanges(ledger, runs), problems };
}

/** The ledger's `APPLIED` conversions of the replayed months, by WorkSpace, in time order. */
async function appliedChanges(
  ledger: ConversionLedger,
  runs: readonly Date[],
): Promise<ReadonlyMap<string, readonly ModeChange[]>> {
  const months = [...new Set(runs.map(monthOf))];
  const changes = new Map<string, ModeChange[]>();
  for (const month of months) {
    const { entries, problems } = await ledger.entriesOfMonth(month);
    if (problems.length > 0)
      throw new LedgerReadError(`the replay's ledger of ${month} is unreadable: ${problems[0]}`);
    for (const entry of entries)
      if (entry.status === LedgerStatus.APPLIED) {
        const list = changes.get(entry.workspaceId) ?? [];
        list.push({ at: new Date(entry.asOf), to: entry.toMode });
        changes.set(entry.workspaceId, list);
      }
  }
  for (const list of changes.values()) list.sort((a, b) => a.at.getTime() - b.at.getTime());
  return changes;
}
