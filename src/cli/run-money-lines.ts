import type { PriceTally } from '../app/run-summary.js';
import { money } from '../billing/index.js';
import { formatMoney } from '../report/format.js';

/**
 * The money lines of the run's console summary: how many WorkSpaces had a
 * price (and from where), and what this run's conversions save, as two
 * figures that are never added: in this month (a switch to AutoStop saves
 * nothing until next month) and per month from next month on (the run-rate).
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
  const pair = (currency: string, savings: { applied: string; notApplied: string }) =>
    `${formatMoney(currency, money(savings.applied))} applied, ${formatMoney(currency, money(savings.notApplied))} not applied`;
  for (const [currency, totals] of Object.entries(prices.savings))
    lines.push(
      `Savings of this run's conversions, this month: ${pair(currency, totals.thisMonth)}`,
      `  and per month from next month on: ${pair(currency, totals.perMonthFromNextMonth)}`,
    );
  return `${lines.join('\n')}\n`;
}
