import type { Log } from '../shared/log.js';
import type { CostFigures, Evaluation, ModePrices, Money, UsageSpan } from '../billing/index.js';
import { breakEvenHours, costFigures } from '../billing/index.js';
import type { Workspace } from '../ports/workspace.js';
import { errorMessage } from '../shared/errors.js';
import type { PriceCatalog, PriceQuote } from '../ports/price-catalog.js';
import { priceKeyOf } from '../ports/price-key.js';

/** A priced WorkSpace's money: its prices and the figures of its report row. */
export interface WorkspaceCost {
  readonly prices: ModePrices;
  readonly source: PriceQuote['source'];
  readonly figures: CostFigures;
}

/**
 * The WorkSpace's prices, or `undefined` when none is known (no catalog, an
 * unknown OS or compute type, no matching price, or every source failed).
 * Never rejects: a missing price falls back to the hour thresholds.
 */
export async function lookupPrice(
  catalog: PriceCatalog | undefined,
  workspace: Workspace,
  log: Log,
): Promise<PriceQuote | undefined> {
  if (catalog === undefined) return undefined;
  const key = priceKeyOf(workspace);
  if (key === undefined) return undefined;
  try {
    return await catalog.lookup(key);
  } catch (error) {
    log.warn('price lookup failed; using the hour threshold', {
      workspaceId: workspace.workspaceId,
      error: errorMessage(error),
    });
    return undefined;
  }
}

/** The break-even hours to decide by, when the WorkSpace's prices are known. */
export function priceBreakEvenHours(quote: PriceQuote | undefined): number | undefined {
  return quote === undefined ? undefined : breakEvenHours(quote.prices);
}

/**
 * Cost figures of one evaluated WorkSpace; `undefined` without prices.
 * `previousMonth`: its usage last month, which early in the month stands in
 * for the month-to-date rate (`usageRate`).
 */
export function workspaceCost(
  quote: PriceQuote | undefined,
  runningMode: string,
  evaluation: Pick<Evaluation, 'billableHours' | 'decision'>,
  asOf: Date,
  previousMonth?: UsageSpan,
): WorkspaceCost | undefined {
  if (quote === undefined) return undefined;
  const figures = costFigures({
    prices: quote.prices,
    runningMode,
    billableHours: evaluation.billableHours,
    action: evaluation.decision.action,
    asOf,
    previousMonth,
  });
  return { prices: quote.prices, source: quote.source, figures };
}

const costsMore = (amount: Money | undefined) =>
  amount !== undefined && amount.isNegative() && !amount.isZero();

/**
 * A conversion the projection says costs money, this month or per month from
 * next month on; `undefined` when it saves (or its savings are unknown).
 */
export function projectedExtraCost(
  cost: WorkspaceCost | undefined,
): { readonly thisMonth: boolean; readonly perMonthFromNextMonth: boolean } | undefined {
  const thisMonth = costsMore(cost?.figures.savingsThisMonth);
  const perMonthFromNextMonth = costsMore(cost?.figures.savingsPerMonthFromNextMonth);
  return thisMonth || perMonthFromNextMonth ? { thisMonth, perMonthFromNextMonth } : undefined;
}

/**
 * A conversion the projection says costs more is never made silently: its
 * negative savings are in the report, in the run summary's "needs attention"
 * (`attention.ts`), and each one is logged.
 */
export function warnCostlyConversions(
  results: readonly {
    readonly workspace: Workspace;
    readonly decision: Evaluation['decision'];
    readonly cost?: WorkspaceCost | undefined;
  }[],
  log: Log,
): void {
  for (const { workspace, decision, cost } of results) {
    if (projectedExtraCost(cost) === undefined) continue;
    log.warn('conversion projected to cost more', {
      workspaceId: workspace.workspaceId,
      region: workspace.region,
      action: decision.action,
      savingsThisMonth: cost?.figures.savingsThisMonth?.toFixed(2),
      savingsPerMonthFromNextMonth: cost?.figures.savingsPerMonthFromNextMonth?.toFixed(2),
    });
  }
}
