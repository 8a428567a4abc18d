import type { Action, Money, Outcome, ThresholdPolicy } from '../billing/index.js';
import { Action as Actions, fellBack, money, Outcome as Outcomes } from '../billing/index.js';
import type { FleetProblem } from '../ports/fleet-source.js';
import type { WorkspaceResult } from './workspace-result.js';
import type { Attention } from './attention.js';
import { AttentionReason, attentionOf } from './attention.js';
import { compareText } from '../shared/compare-text.js';
import type { WriteFailure } from '../shared/write-failure.js';
import type { UnusedSummary } from './unused/unused-run.js';

export interface WorkspaceError {
  readonly workspaceId: string;
  readonly region: string;
  readonly message: string;
}

/** WorkSpaces of one compute type decided by the fallback threshold, and its hours. */
export interface FallbackCount {
  readonly workspaces: number;
  readonly hours: number;
}

/** A WorkSpace a person should look at (`attention.ts`), for the run summary. */
export interface AttentionItem extends Attention {
  readonly workspaceId: string;
  readonly account: string;
  readonly region: string;
}

/** What a run did, for people (the CLI), for machines (events, metrics) and for exit codes. */
export interface RunSummary {
  readonly asOf: Date;
  readonly dryRun: boolean;
  readonly monthEnd: boolean;
  readonly regions: readonly string[];
  readonly workspaces: number;
  readonly actions: Readonly<Record<Action, number>>;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** Conversions by `action` then `outcome`, e.g. `conversions.TO_ALWAYS_ON.APPLIED`. */
  readonly conversions: Readonly<Record<'TO_ALWAYS_ON' | 'TO_AUTO_STOP', Readonly<Record<Outcome, number>>>>;
  /** SKIP rows by reason. */
  readonly skipped: Readonly<Record<string, number>>;
  /** WorkSpaces whose usage could not be read or whose modify failed. */
  readonly errors: readonly WorkspaceError[];
  /** Every WorkSpace that needs a person, with the reason and what happened (`AttentionReason` order, then account, region, WorkSpace). */
  readonly attention: readonly AttentionItem[];
  /** Regions or directories that could not be read. */
  readonly problems: readonly FleetProblem[];
  /**
   * WorkSpaces decided by the fallback threshold because wco has no threshold
   * (and no price) for their compute type, by compute type: a warning, so a
   * new compute type is never decided at 82 hours unnoticed.
   */
  readonly fallbackComputeTypes: Readonly<Record<string, FallbackCount>>;
  readonly reportKeys: readonly string[];
  /** Report or event writes that failed: the run has failed if any. */
  readonly writeFailures: readonly WriteFailure[];
  /** Where the reports are, for people. */
  readonly reportLocation: string;
  /** Daily report rows kept from an earlier run of the day for regions or directories this run could not read. */
  readonly keptRows: number;
  /** Conversion events published from the ledger by this run, and those still waiting (sent by the next run). */
  readonly events: { readonly published: number; readonly pending: number };
  /** WorkSpaces priced and the estimated savings of the run's conversions. */
  readonly prices: PriceTally;
  /** Per account, for a run over several (a hub, the demo); in account order. */
  readonly accounts?: readonly AccountCounts[] | undefined;
  /** The unused review (`UNUSED_MONTHS`): absent when the run did not review (the sharded deployment, replays). */
  readonly unused?: UnusedSummary | undefined;
}

/** What a run did in one account. */
export interface AccountCounts {
  readonly account: string;
  readonly workspaces: number;
  readonly toAlwaysOn: number;
  readonly toAutoStop: number;
  /** Estimated monthly savings of the account's priced conversions, by currency, as decimal text. */
  readonly savings: PriceTally['savings'];
}

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/** What a run's WorkSpaces came to: counts that shards add up, JSON-safe (amounts as decimal text). */
export interface RunCounts {
  readonly workspaces: number;
  readonly actions: Readonly<Record<Action, number>>;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  readonly conversions: RunSummary['conversions'];
  readonly skipped: Readonly<Record<string, number>>;
  readonly errors: readonly WorkspaceError[];
  readonly attention: readonly AttentionItem[];
  readonly fallbackComputeTypes: Readonly<Record<string, FallbackCount>>;
  readonly prices: PriceTally;
}

/** The run's prices, for its console summary. */
export interface PriceTally {
  /** WorkSpaces priced, by where their price came from (`file`, `price-list`). */
  readonly priced: Readonly<Record<string, number>>;
  readonly unpriced: number;
  /**
   * What the run's priced conversions save, by currency, as decimal text: in
   * this month, and per month from next month on (the run-rate); never added.
   */
  readonly savings: Readonly<Record<string, SavingsTally>>;
}

/**
 * Adds up a run's results one at a time (a pure reducer with its state inside):
 * a shard keeps a tally instead of its results, and shards' counts merge.
 */
export class RunTally {
  private workspaces = 0;
  private readonly actions = zeroes(Object.values(Actions));
  private readonly outcomes = zeroes(Object.values(Outcomes));
  private readonly conversions = {
    TO_ALWAYS_ON: zeroes(Object.values(Outcomes)),
    TO_AUTO_STOP: zeroes(Object.values(Outcomes)),
  };
  private readonly skipped: Record<string, number> = {};
  private readonly errors: WorkspaceError[] = [];
  private readonly attention: AttentionItem[] = [];
  private readonly priced: Record<string, number> = {};
  private unpriced = 0;
  private readonly savings = new Map<string, { thisMonth: Savings; perMonthFromNextMonth: Savings }>();
  // A Map: compute types come from the service, and `__proto__` must stay a key.
  private readonly fallback = new Map<string, FallbackCount>();

  /** @param thresholds the run's threshold policy: which compute types fell back to its default. */
  constructor(private readonly thresholds?: ThresholdPolicy) {}

  add(result: WorkspaceResult): void {
    const { action, reason } = result.decision;
    const { computeType } = result.workspace;
    if (this.thresholds !== undefined && fellBack(this.thresholds, computeType, result.threshold))
      this.fallback.set(computeType, {
        workspaces: (this.fallback.get(computeType)?.workspaces ?? 0) + 1,
        hours: result.threshold.hours,
      });
    this.workspaces += 1;
    this.actions[action] += 1;
    this.outcomes[result.outcome] += 1;
    if (action === Actions.TO_ALWAYS_ON || action === Actions.TO_AUTO_STOP)
      this.conversions[action][result.outcome] += 1;
    if (action === Actions.SKIP) this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
    if (action === Actions.ERROR || result.outcome === Outcomes.FAILED)
      this.errors.push({
        workspaceId: result.workspace.workspaceId,
        region: result.workspace.region,
        message: result.error ?? reason,
      });
    const needs = attentionOf(result);
    if (needs !== undefined)
      this.attention.push({
        ...needs,
        workspaceId: result.workspace.workspaceId,
        account: result.workspace.account,
        region: result.workspace.region,
      });
    const cost = result.cost;
    if (cost === undefined) {
      this.unpriced += 1;
      return;
    }
    this.priced[cost.source] = (this.priced[cost.source] ?? 0) + 1;
    if (action !== Actions.TO_ALWAYS_ON && action !== Actions.TO_AUTO_STOP) return;
    const totals = this.savingsOf(cost.prices.currency);
    const applied = result.outcome === Outcomes.APPLIED;
    addSaving(totals.thisMonth, applied, cost.figures.savingsThisMonth);
    addSaving(totals.perMonthFromNextMonth, applied, cost.figures.savingsPerMonthFromNextMonth);
  }

  /** Adds another tally's counts (a shard's), after this one's. */
  merge(counts: RunCounts): void {
    this.workspaces += counts.workspaces;
    addCounts(this.actions, counts.actions);
    addCounts(this.outcomes, counts.outcomes);
    addCounts(this.conversions.TO_ALWAYS_ON, counts.conversions.TO_ALWAYS_ON);
    addCounts(this.conversions.TO_AUTO_STOP, counts.conversions.TO_AUTO_STOP);
    addCounts(this.skipped, counts.skipped);
    this.errors.push(...counts.errors);
    this.attention.push(...counts.attention);
    for (const [computeType, count] of Object.entries(counts.fallbackComputeTypes))
      this.fallback.set(computeType, {
        workspaces: (this.fallback.get(computeType)?.workspaces ?? 0) + count.workspaces,
        hours: count.hours,
      });
    addCounts(this.priced, counts.prices.priced);
    this.unpriced += counts.prices.unpriced;
    for (const [currency, amounts] of Object.entries(counts.prices.savings)) {
      const totals = this.savingsOf(currency);
      addSaving(totals.thisMonth, true, money(amounts.thisMonth.applied));
      addSaving(totals.thisMonth, false, money(amounts.thisMonth.notApplied));
      addSaving(totals.perMonthFromNextMonth, true, money(amounts.perMonthFromNextMonth.applied));
      addSaving(totals.perMonthFromNextMonth, false, money(amounts.perMonthFromNextMonth.notApplied));
    }
  }

  counts(): RunCounts {
    return {
      workspaces: this.workspaces,
      actions: { ...this.actions },
      outcomes: { ...this.outcomes },
      conversions: {
        TO_ALWAYS_ON: { ...this.conversions.TO_ALWAYS_ON },
        TO_AUTO_STOP: { ...this.conversions.TO_AUTO_STOP },
      },
      skipped: { ...this.skipped },
      errors: [...this.errors],
      // Shards finish in any order: the list is sorted, so the same fleet prints the same summary.
      attention: [...this.attention].sort(compareAttention),
      fallbackComputeTypes: Object.fromEntries(this.fallback),
      prices: {
        priced: { ...this.priced },
        unpriced: this.unpriced,
        savings: Object.fromEntries(
          [...this.savings].map(([currency, totals]) => [
            currency,
            {
              thisMonth: savingsText(totals.thisMonth),
              perMonthFromNextMonth: savingsText(totals.perMonthFromNextMonth),
            },
          ]),
        ),
      },
    };
  }

  private savingsOf(currency: string): { thisMonth: Savings; perMonthFromNextMonth: Savings } {
    let totals = this.savings.get(currency);
    if (totals === undefined) {
      totals = {
        thisMonth: { applied: money(0), notApplied: money(0) },
        perMonthFromNextMonth: { applied: money(0), notApplied: money(0) },
      };
      this.savings.set(currency, totals);
    }
    return totals;
  }
}

/** Savings of conversions applied and not applied (dry run, deferred, failed). */
interface Savings {
  applied: Money;
  notApplied: Money;
}

/** A currency's savings in a `PriceTally`, as decimal text. */
export interface SavingsTally {
  readonly thisMonth: { readonly applied: string; readonly notApplied: string };
  readonly perMonthFromNextMonth: { readonly applied: string; readonly notApplied: string };
}

function addSaving(savings: Savings, applied: boolean, amount: Money | undefined): void {
  if (amount === undefined) return;
  if (applied) savings.applied = savings.applied.plus(amount);
  else savings.notApplied = savings.notApplied.plus(amount);
}

const savingsText = (savings: Savings) => ({
  applied: savings.applied.toString(),
  notApplied: savings.notApplied.toString(),
});

const ATTENTION_ORDER: readonly string[] = Object.values(AttentionReason);

function compareAttention(a: AttentionItem, b: AttentionItem): number {
  return (
    ATTENTION_ORDER.indexOf(a.reason) - ATTENTION_ORDER.indexOf(b.reason) ||
    compareText(a.account, b.account) ||
    compareText(a.region, b.region) ||
    compareText(a.workspaceId, b.workspaceId)
  );
}

function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
}

export function countResults(results: readonly WorkspaceResult[], thresholds?: ThresholdPolicy): RunCounts {
  const tally = new RunTally(thresholds);
  for (const result of results) tally.add(result);
  return tally.counts();
}

/** A run fails when anything it had to write (reports, events) was not written. */
export function runFailed(summary: RunSummary): boolean {
  return summary.writeFailures.length > 0;
}

/** The summary in JSON terms: what `JSON.stringify` makes of it, `asOf` in ISO 8601. */
export type JsonRunSummary = Omit<RunSummary, 'asOf'> & { readonly asOf: string };

/** The summary as automation receives it: the Lambda's return value, `wco run --json`, `run-summary.json`. */
export function toJsonSummary(summary: RunSummary): JsonRunSummary {
  return { ...summary, asOf: summary.asOf.toISOString() };
}
