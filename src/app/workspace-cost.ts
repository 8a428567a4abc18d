import type { Log } from '../shared/log.js';
import type { CostFigures, Evaluation, ModePrices } from '../billing/index.js';
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

/** Cost figures of one evaluated WorkSpace; `undefined` without prices. */
export function workspaceCost(
  quote: PriceQuote | undefined,
  runningMode: string,
  evaluation: Pick<Evaluation, 'billableHours' | 'decision'>,
  asOf: Date,
): WorkspaceCost | undefined {
  if (quote === undefined) return undefined;
  const figures = costFigures({
    prices: quote.prices,
    runningMode,
    billableHours: evaluation.billableHours,
    action: evaluation.decision.action,
    asOf,
  });
  return { prices: quote.prices, source: quote.source, figures };
}

/**
 * A conversion the projection says costs more is never made silently: its
 * negative savings are in the report, and each one is logged.
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
    const savings = cost?.figures.estimatedMonthlySavings;
    if (savings === undefined || !savings.isNegative() || savings.isZero()) continue;
    log.warn('conversion projected to cost more this month', {
      workspaceId: workspace.workspaceId,
      region: workspace.region,
      action: decision.action,
      estimatedMonthlySavings: savings.toFixed(2),
    });
  }
}
