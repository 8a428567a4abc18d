import type { Decision, ThresholdSource } from '../../billing/index.js';
import { Action, formatRate, money, Reason, savingsFromEstimate } from '../../billing/index.js';
import type { PriceSource } from '../../ports/price-catalog.js';
import type { WorkspaceCost } from '../workspace-cost.js';
import type { LedgerCost, LedgerEntry } from './ledger-entry.js';

/** A WorkSpace's prices and figures as the ledger keeps them: exact decimal text. */
export function ledgerCostOf(cost: WorkspaceCost | undefined): LedgerCost | undefined {
  if (cost === undefined) return undefined;
  const text = (amount: WorkspaceCost['figures']['costToDate']) =>
    amount === undefined ? undefined : formatRate(amount);
  const figures = {
    costToDate: text(cost.figures.costToDate),
    projectedCurrentMode: text(cost.figures.projectedCurrentMode),
    projectedOtherMode: text(cost.figures.projectedOtherMode),
    estimatedMonthlySavings: text(cost.figures.estimatedMonthlySavings),
    savingsThisMonth: text(cost.figures.savingsThisMonth),
    savingsPerMonthFromNextMonth: text(cost.figures.savingsPerMonthFromNextMonth),
  };
  const { projectedHours, projectedHoursNextMonth, projectionBasis } = cost.figures;
  return {
    currency: cost.prices.currency,
    source: cost.source,
    alwaysOnMonthly: formatRate(cost.prices.alwaysOnMonthly),
    autoStopMonthlyFee: formatRate(cost.prices.autoStopMonthlyFee),
    autoStopHourly: formatRate(cost.prices.autoStopHourly),
    ...Object.fromEntries(Object.entries(figures).filter(([, value]) => value !== undefined)),
    ...(projectedHours === undefined ? {} : { projectedHours }),
    ...(projectedHoursNextMonth === undefined ? {} : { projectedHoursNextMonth }),
    ...(projectionBasis === undefined ? {} : { projectionBasis }),
  };
}

/**
 * The ledger's text back to the run's money, for a report row that comes from
 * the ledger. An entry from before the savings were split gets them from its
 * estimate and its `action` (`savingsFromEstimate`).
 */
export function workspaceCostOf(
  cost: LedgerCost | undefined,
  action: LedgerEntry['action'],
): WorkspaceCost | undefined {
  if (cost === undefined) return undefined;
  const amount = (text: string | undefined) => (text === undefined ? undefined : money(text));
  const estimated = amount(cost.estimatedMonthlySavings);
  const legacy = savingsFromEstimate(action, estimated);
  return {
    prices: {
      currency: cost.currency,
      alwaysOnMonthly: money(cost.alwaysOnMonthly),
      autoStopMonthlyFee: money(cost.autoStopMonthlyFee),
      autoStopHourly: money(cost.autoStopHourly),
    },
    source: cost.source as PriceSource,
    figures: {
      costToDate: amount(cost.costToDate),
      projectedCurrentMode: amount(cost.projectedCurrentMode),
      projectedOtherMode: amount(cost.projectedOtherMode),
      estimatedMonthlySavings: estimated,
      savingsThisMonth: amount(cost.savingsThisMonth) ?? legacy.thisMonth,
      savingsPerMonthFromNextMonth: amount(cost.savingsPerMonthFromNextMonth) ?? legacy.perMonthFromNextMonth,
      projectedHours: cost.projectedHours,
      projectedHoursNextMonth: cost.projectedHoursNextMonth,
      projectionBasis: cost.projectionBasis,
    },
  };
}

/** The decision an entry records: a conversion always has the reason of its direction. */
export function decisionOf(entry: Pick<LedgerEntry, 'action'>): Decision {
  return entry.action === Action.TO_ALWAYS_ON
    ? { action: Action.TO_ALWAYS_ON, reason: Reason.OVER_THRESHOLD }
    : { action: Action.TO_AUTO_STOP, reason: Reason.UNDER_THRESHOLD_AT_MONTH_END };
}

export function thresholdSourceOf(entry: Pick<LedgerEntry, 'thresholdSource'>): ThresholdSource {
  return entry.thresholdSource as ThresholdSource;
}
