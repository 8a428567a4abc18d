import type { PriceTally } from '../app/run-summary.js';
import { money } from '../billing/index.js';
import { formatMoney } from '../report/format.js';

/**
 * Two lines for the run's console summary: how many WorkSpaces had a price
 * (and from where), and what this run's conversions are estimated to save.
 */
export function runMoneyLines(prices: PriceTally): string {
  const pricedCount = Object.values(prices.priced).reduce((sum, count) => sum + count, 0);
  const sources = Object.entries(prices.priced)
    .map(([source, count]) => `${source} ${count}`)
    .join(', ');
  const lines = [
    `Prices: ${pricedCount} WorkSpace(s) priced${sources ? ` (${sources})` : ''}, ${
      prices.unpriced
    } without a price (hour thresholds, no cost columns)`,
  ];
  for (const [currency, totals] of Object.entries(prices.savings))
    lines.push(
      `Estimated monthly savings of this run's conversions: ${formatMoney(currency, money(totals.applied))} applied, ${formatMoney(
        currency,
        money(totals.notApplied),
      )} not applied`,
    );
  return `${lines.join('\n')}\n`;
}
