import type {
  BilledHours,
  ConvertibleMode,
  ModeChange,
  ModePrices,
  Money,
  MonthPlan,
  MonthUsage,
} from '../../billing/index.js';
import {
  billedAmount,
  billedHours,
  billedHoursByDay,
  billingStarts,
  cheapestMonth,
  hoursInMonthUtc,
  idleTimeoutMinutes,
  isConvertibleMode,
  money,
  monthOf,
  monthPlans,
  nextMonthStartUtc,
  roundCents,
  RunningMode,
} from '../../billing/index.js';
import type { FleetHistory, WorkspaceHistory } from '../../ports/fleet-history.js';
import type { PriceQuote } from '../../ports/price-catalog.js';
import { compareText } from '../../shared/compare-text.js';
import type { ReplayPeriod } from './replay-period.js';
import { between } from './replay-fleet.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The policies a replay compares. */
export const ReplayPolicy = {
  /** No optimizer: every WorkSpace keeps the mode it started the period in. */
  AS_IS: 'as_is',
  /** The contract's rules, with the configured thresholds, through the optimizer's own run. */
  WCO: 'wco',
  /** wco's rules plus an early switch to AlwaysOn on a confident forecast (`--policy forecast`). */
  FORECAST: 'forecast',
  /** For each month, the cheapest way it could have been run knowing its real hours: the lower bound. */
  OPTIMUM: 'optimum',
} as const;
export type ReplayPolicy = (typeof ReplayPolicy)[keyof typeof ReplayPolicy];

/** The order rows and chart lines are shown in. */
export const POLICY_ORDER: readonly ReplayPolicy[] = ['as_is', 'wco', 'forecast', 'optimum'];

/** One policy's bill of one month, in one currency. */
export interface PolicyMonth {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly policy: ReplayPolicy;
  readonly currency: string;
  /** WorkSpaces billed that month (priced, in a mode wco converts, existing at some point of it). */
  readonly workspaces: number;
  /** The sum of each WorkSpace's month bill, each rounded to cents like an invoice line. */
  readonly cost: Money;
  /** Running-mode changes the policy made that month (the optimum's: the switches its plan needs). */
  readonly conversions: number;
}

/** The cumulative cost of one policy in one currency at the end of each day of the period. */
export interface CumulativeCost {
  readonly policy: ReplayPolicy;
  readonly currency: string;
  /** Exact, unrounded: each day carries its share of the month's fixed amounts, hours and pro rata. */
  readonly days: readonly { readonly day: string; readonly cost: Money }[];
}

/** A WorkSpace's whole-period figures, for the biggest regrets. */
export interface WorkspaceFigures {
  readonly history: WorkspaceHistory;
  readonly currency: string;
  readonly costs: Readonly<Partial<Record<ReplayPolicy, Money>>>;
  readonly conversions: Readonly<Partial<Record<ReplayPolicy, number>>>;
}

export interface ReplayBills {
  readonly months: readonly PolicyMonth[];
  readonly cumulative: readonly CumulativeCost[];
  /** Every WorkSpace billed in at least one month of the period. */
  readonly workspaces: readonly WorkspaceFigures[];
  readonly excluded: Exclusions;
}

/** WorkSpaces left out of every bill, and why. */
export interface Exclusions {
  /** In a mode wco does not convert (MANUAL). */
  readonly unsupportedMode: number;
  readonly unpriced: number;
  /** Their usage history could not be read. */
  readonly usageUnknown: number;
}

export interface BillsInput {
  readonly history: FleetHistory;
  readonly period: ReplayPeriod;
  /** Every run time: the moments any policy could switch. */
  readonly runs: readonly Date[];
  readonly quotes: ReadonlyMap<string, PriceQuote | undefined>;
  /** The applied changes of the policies that ran (wco, forecast), by WorkSpace. */
  readonly changes: ReadonlyMap<ReplayPolicy, ReadonlyMap<string, readonly ModeChange[]>>;
  /** For the idle timeout of an AlwaysOn WorkSpace that has none stored, when it bills AutoStop. */
  readonly assumedTimeoutMinutes: number;
}

type PlanOf = (monthIndex: number, usage: MonthUsage) => MonthPlan;

/**
 * Every policy's bill, per WorkSpace and month, from the WorkSpace's real
 * hours and its prices (`billedHours`, `billedAmount`): as is (its starting
 * mode throughout), the policies that ran (their applied changes, `monthPlans`)
 * and the optimum (`cheapestMonth` over the run times). A WorkSpace bills as
 * AutoStop with its own idle timeout, or the assumed one when it has none.
 */
export function replayBills(input: BillsInput): ReplayBills {
  const { history, period } = input;
  const policies: ReplayPolicy[] = [ReplayPolicy.AS_IS, ...input.changes.keys(), ReplayPolicy.OPTIMUM];
  // Worked out once: date arithmetic is slow next to the billing of 10,000 WorkSpaces.
  const months = period.months.map((month) => {
    const start = month.getTime();
    const end = nextMonthStartUtc(month).getTime();
    const runs = input.runs.filter((run) => run.getTime() >= start && run.getTime() < end);
    return { month, start, end, key: monthOf(month), runs };
  });
  const totals = new Map<string, { workspaces: number; cost: Money; conversions: number }>();
  const daily = new DailyHours(period);
  const figures: WorkspaceFigures[] = [];
  const excluded = { unsupportedMode: 0, unpriced: 0, usageUnknown: 0 };

  for (const workspaceHistory of history.workspaces) {
    const { workspace } = workspaceHistory;
    const quote = input.quotes.get(workspace.workspaceId);
    const startMode = workspace.runningMode;
    if (!isConvertibleMode(startMode)) excluded.unsupportedMode += 1;
    else if (quote === undefined) excluded.unpriced += 1;
    else if (!workspaceHistory.usage.ok) excluded.usageUnknown += 1;
    if (!isConvertibleMode(startMode) || quote === undefined || !workspaceHistory.usage.ok) continue;

    const samples = workspaceHistory.usage.value;
    const timeout = idleTimeoutMinutes(
      startMode,
      workspace.autoStopTimeoutMinutes,
      input.assumedTimeoutMinutes,
    );
    const planOf = new Map<ReplayPolicy, PlanOf>([[ReplayPolicy.AS_IS, () => wholeMonth(startMode)]]);
    for (const [policy, changes] of input.changes) {
      const plans = monthPlans(startMode, changes.get(workspace.workspaceId) ?? [], period.months);
      planOf.set(policy, (index) => plans[index]!);
    }
    let optimumEnd: ConvertibleMode = startMode;
    const optimumPlans: MonthPlan[] = [];
    planOf.set(ReplayPolicy.OPTIMUM, (index, usage) => {
      optimumPlans[index] ??= cheapestMonth(quote.prices, usage, months[index]!.runs).plan;
      return optimumPlans[index];
    });

    const costs: Partial<Record<ReplayPolicy, Money>> = {};
    const conversions: Partial<Record<ReplayPolicy, number>> = {};
    months.forEach(({ month, start, end, key: monthKey }, index) => {
      const existence = workspaceHistory.existence;
      if (existence !== undefined && (existence.end <= start || existence.start >= end)) return;
      const usage: MonthUsage = {
        monthStart: month,
        billingStarts: billingStarts(
          between(samples, start - (timeout + samples.periodMinutes) * MINUTE_MS, end),
          timeout,
          { start, end },
        ),
        existence,
      };
      for (const policy of policies) {
        const plan = planOf.get(policy)!(index, usage);
        const hours = billedHours(plan, usage);
        const cost = roundCents(billedAmount(quote.prices, hours));
        let switches = policyConversions(policy, input.changes, workspace.workspaceId, start, end);
        if (policy === ReplayPolicy.OPTIMUM) {
          switches = (plan.startMode === optimumEnd ? 0 : 1) + (endMode(plan) === plan.startMode ? 0 : 1);
          optimumEnd = endMode(plan);
        }
        const key = [monthKey, policy, quote.prices.currency].join('\u0000');
        const total = totals.get(key) ?? { workspaces: 0, cost: money(0), conversions: 0 };
        totals.set(key, {
          workspaces: total.workspaces + 1,
          cost: total.cost.plus(cost),
          conversions: total.conversions + switches,
        });
        costs[policy] = (costs[policy] ?? money(0)).plus(cost);
        conversions[policy] = (conversions[policy] ?? 0) + switches;
        daily.add(policy, quote.prices, plan, usage);
      }
    });
    if (costs.as_is !== undefined)
      figures.push({ history: workspaceHistory, currency: quote.prices.currency, costs, conversions });
  }

  const rows = [...totals].map(([key, total]): PolicyMonth => {
    const [month, policy, currency] = key.split('\u0000') as [string, ReplayPolicy, string];
    return { month, policy, currency, ...total };
  });
  return { months: rows, cumulative: daily.cumulative(policies), workspaces: figures, excluded };
}

function wholeMonth(mode: ConvertibleMode): MonthPlan {
  return { startMode: mode };
}

function endMode(plan: MonthPlan): ConvertibleMode {
  return plan.startMode === RunningMode.AUTO_STOP && plan.toAlwaysOnAt === undefined
    ? RunningMode.AUTO_STOP
    : RunningMode.ALWAYS_ON;
}

function policyConversions(
  policy: ReplayPolicy,
  changes: BillsInput['changes'],
  workspaceId: string,
  start: number,
  end: number,
): number {
  const list = changes.get(policy)?.get(workspaceId) ?? [];
  return list.filter((change) => change.at.getTime() >= start && change.at.getTime() < end).length;
}

/**
 * Each day's billed hours per policy and price: whole numbers summed over the
 * WorkSpaces sharing a price, so the day's amount is computed exactly once per
 * price, not once per WorkSpace.
 */
class DailyHours {
  private readonly days: number;
  private readonly byPolicyAndPrice = new Map<string, { prices: ModePrices; hours: Int32Array[] }>();

  constructor(private readonly period: ReplayPeriod) {
    this.days = Math.round((period.end - period.start) / DAY_MS);
  }

  add(policy: ReplayPolicy, prices: ModePrices, plan: MonthPlan, usage: MonthUsage): void {
    const key = [
      policy,
      prices.currency,
      prices.alwaysOnMonthly,
      prices.autoStopMonthlyFee,
      prices.autoStopHourly,
    ].join('|');
    let entry = this.byPolicyAndPrice.get(key);
    if (entry === undefined) {
      // Per day: fee hours, AutoStop hours, AlwaysOn hours.
      entry = { prices, hours: [0, 1, 2].map(() => new Int32Array(this.days)) };
      this.byPolicyAndPrice.set(key, entry);
    }
    const first = Math.round((usage.monthStart.getTime() - this.period.start) / DAY_MS);
    billedHoursByDay(plan, usage).forEach((hours, day) => {
      entry.hours[0]![first + day]! += hours.feeHours;
      entry.hours[1]![first + day]! += hours.autoStopHours;
      entry.hours[2]![first + day]! += hours.alwaysOnHours;
    });
  }

  cumulative(policies: readonly ReplayPolicy[]): CumulativeCost[] {
    const series = new Map<string, { policy: ReplayPolicy; currency: string; perDay: Money[] }>();
    for (const [key, { prices, hours }] of this.byPolicyAndPrice) {
      const policy = key.split('|')[0] as ReplayPolicy;
      const id = `${policy}|${prices.currency}`;
      const line = series.get(id) ?? {
        policy,
        currency: prices.currency,
        perDay: Array.from({ length: this.days }, () => money(0)),
      };
      series.set(id, line);
      for (let index = 0; index < this.days; index += 1) {
        const day = this.period.start + index * DAY_MS;
        const billed: BilledHours = {
          monthHours: hoursInMonthUtc(new Date(day)),
          feeHours: hours[0]![index]!,
          autoStopHours: hours[1]![index]!,
          alwaysOnHours: hours[2]![index]!,
        };
        line.perDay[index] = line.perDay[index]!.plus(billedAmount(prices, billed));
      }
    }
    return [...series.values()]
      .sort(
        (a, b) =>
          compareText(a.currency, b.currency) || policies.indexOf(a.policy) - policies.indexOf(b.policy),
      )
      .map(({ policy, currency, perDay }) => {
        let running = money(0);
        return {
          policy,
          currency,
          days: perDay.map((cost, index) => {
            running = running.plus(cost);
            return {
              day: new Date(this.period.start + index * DAY_MS).toISOString().slice(0, 10),
              cost: running,
            };
          }),
        };
      });
  }
}
