import type { Money } from '../billing/index.js';
import { Action, money, Outcome } from '../billing/index.js';
import type { WorkspaceResult } from '../app/workspace-result.js';
import { formatMoney } from '../report/format.js';

/**
 * Two lines for the run's console summary: how many WorkSpaces had a price
 * (and from where), and what this run's conversions are estimated to save.
 */
export function runMoneyLines(results: readonly WorkspaceResult[]): string {
  const priced = results.filter((result) => result.cost !== undefined);
  const bySource = new Map<string, number>();
  for (const result of priced)
    bySource.set(result.cost!.source, (bySource.get(result.cost!.source) ?? 0) + 1);
  const sources = [...bySource].map(([source, count]) => `${source} ${count}`).join(', ');
  const lines = [
    `Prices: ${priced.length} WorkSpace(s) priced${sources ? ` (${sources})` : ''}, ${
      results.length - priced.length
    } without a price (hour thresholds, no cost columns)`,
  ];
  const savings = new Map<string, { applied: Money; notApplied: Money }>();
  for (const result of priced) {
    const { action } = result.decision;
    const amount = result.cost!.figures.estimatedMonthlySavings;
    if ((action !== Action.TO_ALWAYS_ON && action !== Action.TO_AUTO_STOP) || amount === undefined) continue;
    const currency = result.cost!.prices.currency;
    const totals = savings.get(currency) ?? { applied: money(0), notApplied: money(0) };
    if (result.outcome === Outcome.APPLIED) totals.applied = totals.applied.plus(amount);
    else totals.notApplied = totals.notApplied.plus(amount);
    savings.set(currency, totals);
  }
  for (const [currency, totals] of savings)
    lines.push(
      `Estimated monthly savings of this run's conversions: ${formatMoney(currency, totals.applied)} applied, ${formatMoney(
        currency,
        totals.notApplied,
      )} not applied`,
    );
  return `${lines.join('\n')}\n`;
}
