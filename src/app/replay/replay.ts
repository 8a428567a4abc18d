import type { ModeChange, Money, ThresholdPolicy } from '../../billing/index.js';
import { money } from '../../billing/index.js';
import type { DocumentStore } from '../../ports/document-store.js';
import type { FleetHistory, FleetHistorySource } from '../../ports/fleet-history.js';
import type { PriceCatalog, PriceQuote } from '../../ports/price-catalog.js';
import { compareText } from '../../shared/compare-text.js';
import type { Log } from '../../shared/log.js';
import { silentLog } from '../../shared/log.js';
import type { ConversionLedger } from '../ledger/conversion-ledger.js';
import { lookupPrice } from '../workspace-cost.js';
import type { CumulativeCost, Exclusions, PolicyMonth, WorkspaceFigures } from './replay-bills.js';
import { POLICY_ORDER, replayBills, ReplayPolicy } from './replay-bills.js';
import { replayForecast } from './replay-forecast.js';
import type { ReplayPeriod, ReplaySchedule } from './replay-period.js';
import { runTimes } from './replay-period.js';
import { replayWco } from './replay-wco.js';
import { startingModesFromLedger } from './starting-modes.js';

export interface ReplaySettings {
  readonly period: ReplayPeriod;
  readonly schedule: ReplaySchedule;
  readonly thresholds: ThresholdPolicy;
  readonly assumedTimeoutMinutes: number;
  /** Also replay the forecast policy (`--policy forecast`). */
  readonly forecast: boolean;
  readonly regionConcurrency: number;
  readonly modifyConcurrency: number;
  /** Today: the ledger is read up to this month for the starting modes. */
  readonly until: Date;
}

export interface ReplayProgress {
  readonly policy: ReplayPolicy;
  readonly runsDone: number;
  readonly runsTotal: number;
  readonly asOf: Date;
}

export interface ReplayDependencies {
  readonly history: FleetHistorySource;
  readonly prices: PriceCatalog | undefined;
  /** A new, empty store for a replayed policy's conversion ledger (in memory: nothing real is written). */
  readonly ledgerStore: () => DocumentStore;
  /** The deployment's conversion ledger: the modes the fleet started the period in. Absent for the simulated fleet. */
  readonly ledger?: ConversionLedger | undefined;
  readonly log?: Log | undefined;
  readonly onHistoryRead?: ((history: FleetHistory) => void) | undefined;
  readonly onProgress?: ((progress: ReplayProgress) => void) | undefined;
}

/** One line of the comparison: a policy's month (or the whole period, `TOTAL`) in one currency. */
export interface ReplayRow extends PolicyMonth {
  /** as is - this policy. */
  readonly savingsVsAsIs: Money;
  /** (as is - this policy) / (as is - optimum); `undefined` when nothing could be saved. */
  readonly capturedShare: Money | undefined;
  /** this policy - optimum: what it left on the table. */
  readonly regret: Money;
}

export const TOTAL_MONTH = 'TOTAL';

export interface ReplayResult {
  readonly period: ReplayPeriod;
  readonly schedule: ReplaySchedule;
  readonly runs: number;
  readonly account: string;
  readonly regions: readonly string[];
  readonly policies: readonly ReplayPolicy[];
  /** WorkSpaces in the history (billed or not). */
  readonly workspaces: number;
  /** Per month then `TOTAL`, per currency, in `POLICY_ORDER`. */
  readonly rows: readonly ReplayRow[];
  readonly cumulative: readonly CumulativeCost[];
  /** The WorkSpaces where wco's rules left the most on the table. */
  readonly biggestRegrets: readonly WorkspaceFigures[];
  readonly excluded: Exclusions;
  /** What a reader must know: where the starting modes came from, what is left out. */
  readonly notes: readonly string[];
  /** What could not be read or replayed: the figures miss those parts (the command exits 1). */
  readonly problems: readonly string[];
}

/**
 * The replay: what wco would have cost over `settings.period`, against doing
 * nothing and against the best possible. The fleet's history is read once;
 * every scheduled run of wco goes through `runOptimizer` with an in-memory
 * fleet and ledger (nothing real is modified); then every policy's bill is
 * computed per WorkSpace and month from the real hours (`replayBills`).
 */
export async function replay(deps: ReplayDependencies, settings: ReplaySettings): Promise<ReplayResult> {
  const log = deps.log ?? silentLog;
  const { period } = settings;
  let history = await deps.history.readHistory({
    period,
    assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
  });
  if (deps.ledger !== undefined)
    history = await startingModesFromLedger(history, deps.ledger, period, settings.until);
  deps.onHistoryRead?.(history);
  const runs = runTimes(period, settings.schedule);
  const policySettings = {
    thresholds: settings.thresholds,
    assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
    regionConcurrency: settings.regionConcurrency,
    modifyConcurrency: settings.modifyConcurrency,
  };
  const progress = (policy: ReplayPolicy) => {
    let done = 0;
    return (asOf: Date) => {
      done += 1;
      deps.onProgress?.({ policy, runsDone: done, runsTotal: runs.length, asOf });
    };
  };

  const changes = new Map<ReplayPolicy, ReadonlyMap<string, readonly ModeChange[]>>();
  const problems: string[] = [];
  const wco = await replayWco(history, runs, deps.ledgerStore(), policySettings, {
    prices: deps.prices,
    log,
    onRun: progress(ReplayPolicy.WCO),
  });
  changes.set(ReplayPolicy.WCO, wco.changes);
  problems.push(...wco.problems);
  if (settings.forecast) {
    const forecast = await replayForecast(history, runs, policySettings, {
      prices: deps.prices,
      log,
      onRun: progress(ReplayPolicy.FORECAST),
    });
    changes.set(ReplayPolicy.FORECAST, forecast.changes);
    problems.push(...forecast.problems);
  }

  const quotes = new Map<string, PriceQuote | undefined>();
  for (const { workspace } of history.workspaces)
    quotes.set(workspace.workspaceId, await lookupPrice(deps.prices, workspace, log));
  const bills = replayBills({
    history,
    period,
    runs,
    quotes,
    changes,
    assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
  });
  const policies = POLICY_ORDER.filter(
    (policy) => policy === ReplayPolicy.AS_IS || policy === ReplayPolicy.OPTIMUM || changes.has(policy),
  );
  return {
    period,
    schedule: settings.schedule,
    runs: runs.length,
    account: history.account,
    regions: history.regions,
    policies,
    workspaces: history.workspaces.length,
    rows: comparisonRows(bills.months, policies, workspacesByCurrency(bills.workspaces)),
    cumulative: bills.cumulative,
    biggestRegrets: biggestRegrets(bills.workspaces),
    excluded: bills.excluded,
    notes: history.notes,
    problems: [
      ...history.problems.map(
        (problem) => `${problem.region} ${problem.scope} could not be read: ${problem.message}`,
      ),
      ...problems.map((problem) => `the replay's own run failed: ${problem}`),
    ],
  };
}

/** The months' rows and one `TOTAL` row per policy and currency, with their savings, captured share and regret. */
export function comparisonRows(
  months: readonly PolicyMonth[],
  policies: readonly ReplayPolicy[],
  periodWorkspaces: ReadonlyMap<string, number>,
): ReplayRow[] {
  const totals = new Map<string, PolicyMonth>();
  for (const row of months) {
    const key = `${row.currency}|${row.policy}`;
    const total = totals.get(key);
    totals.set(key, {
      month: TOTAL_MONTH,
      policy: row.policy,
      currency: row.currency,
      workspaces: periodWorkspaces.get(row.currency) ?? 0,
      cost: (total?.cost ?? money(0)).plus(row.cost),
      conversions: (total?.conversions ?? 0) + row.conversions,
    });
  }
  const all = [...months, ...totals.values()];
  const find = (month: string, currency: string, policy: ReplayPolicy) =>
    all.find((row) => row.month === month && row.currency === currency && row.policy === policy);
  const order = (month: string) => (month === TOTAL_MONTH ? '~' : month);
  return all
    .sort(
      (a, b) =>
        compareText(a.currency, b.currency) ||
        compareText(order(a.month), order(b.month)) ||
        policies.indexOf(a.policy) - policies.indexOf(b.policy),
    )
    .map((row): ReplayRow => {
      const asIs = find(row.month, row.currency, ReplayPolicy.AS_IS)?.cost ?? row.cost;
      const optimum = find(row.month, row.currency, ReplayPolicy.OPTIMUM)?.cost ?? row.cost;
      const achievable = asIs.minus(optimum);
      const saved = asIs.minus(row.cost);
      return {
        ...row,
        savingsVsAsIs: saved,
        capturedShare: achievable.isZero() ? undefined : saved.dividedBy(achievable),
        regret: row.cost.minus(optimum),
      };
    });
}

/** WorkSpaces billed in at least one month of the period, by currency. */
function workspacesByCurrency(figures: readonly WorkspaceFigures[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of figures) counts.set(item.currency, (counts.get(item.currency) ?? 0) + 1);
  return counts;
}

function biggestRegrets(figures: readonly WorkspaceFigures[]): WorkspaceFigures[] {
  const regret = (item: WorkspaceFigures) =>
    (item.costs.wco ?? money(0)).minus(item.costs.optimum ?? money(0));
  return figures
    .filter((item) => regret(item).greaterThan(0))
    .sort(
      (a, b) =>
        regret(b).comparedTo(regret(a)) ||
        compareText(a.history.workspace.workspaceId, b.history.workspace.workspaceId),
    )
    .slice(0, 10);
}
