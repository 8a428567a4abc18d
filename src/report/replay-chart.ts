import type { CumulativeCost } from '../app/replay/replay-bills.js';
import type { Money } from '../billing/index.js';
import { esc, formatMoney } from './format.js';

const WIDTH = 760;
const HEIGHT = 330;
const LEFT = 78;
const RIGHT = 190;
const TOP = 14;
const BOTTOM = 34;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** How each policy is named in the chart. */
export const POLICY_LABEL: Readonly<Record<string, string>> = {
  as_is: 'As is',
  wco: 'wco',
  forecast: 'Forecast',
  optimum: 'Optimum',
};

/**
 * The cumulative cost of each policy, day by day, as one inline SVG line chart
 * per currency (no script): days along, money up, each line labelled at its end
 * with its total (`totalOf`: the table's, from cents-rounded WorkSpace-months,
 * so the page shows one figure). Months are marked where they start.
 */
export function cumulativeCostCharts(
  series: readonly CumulativeCost[],
  totalOf: (policy: string, currency: string) => Money | undefined,
): string {
  const currencies = [...new Set(series.map((line) => line.currency))];
  if (currencies.length === 0) return '<p class="empty">No priced WorkSpace: nothing to chart.</p>';
  return currencies
    .map((currency) =>
      chart(
        series.filter((line) => line.currency === currency),
        totalOf,
      ),
    )
    .join('\n');
}

function chart(
  lines: readonly CumulativeCost[],
  totalOf: (policy: string, currency: string) => Money | undefined,
): string {
  const currency = lines[0]!.currency;
  const days = lines[0]!.days;
  const top = Math.max(1, ...lines.map((line) => line.days.at(-1)?.cost.toNumber() ?? 0));
  const step = niceStep(top / 5);
  const yMax = Math.ceil(top / step) * step;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (index: number) => LEFT + (index / days.length) * plotWidth;
  const y = (value: number) => TOP + plotHeight - (value / yMax) * plotHeight;

  const grid: string[] = [];
  for (let value = 0; value <= yMax; value += step)
    grid.push(
      `<line class="grid" x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}"/>` +
        `<text class="axis" x="${LEFT - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${esc(wholeAmount(currency, value))}</text>`,
    );
  days.forEach(({ day }, index) => {
    if (!day.endsWith('-01')) return;
    const [year, month] = day.split('-');
    grid.push(
      `<line class="month" x1="${x(index).toFixed(1)}" x2="${x(index).toFixed(1)}" y1="${TOP}" y2="${TOP + plotHeight}"/>` +
        `<text class="axis" x="${(x(index) + 4).toFixed(1)}" y="${HEIGHT - BOTTOM + 16}">${esc(`${MONTH_NAMES[Number(month) - 1]} ${year}`)}</text>`,
    );
  });

  // Labels at the right end, pushed apart so that close totals stay readable.
  const ends = lines
    .map((line) => ({ line, value: line.days.at(-1)?.cost.toNumber() ?? 0 }))
    .sort((a, b) => b.value - a.value);
  let lastY = Number.NEGATIVE_INFINITY;
  const labels = ends.map(({ line, value }) => {
    const labelY = Math.max(y(value) + 4, lastY + 14);
    lastY = labelY;
    const total = totalOf(line.policy, currency) ?? line.days.at(-1)!.cost;
    return `<text class="end ${esc(line.policy)}" x="${LEFT + plotWidth + 6}" y="${labelY.toFixed(1)}">${esc(
      `${POLICY_LABEL[line.policy] ?? line.policy} ${formatMoney(currency, total)}`,
    )}</text>`;
  });
  const paths = lines.map((line) => {
    const points = [
      `${x(0).toFixed(1)},${y(0).toFixed(1)}`,
      ...line.days.map((d, index) => `${x(index + 1).toFixed(1)},${y(d.cost.toNumber()).toFixed(1)}`),
    ];
    const total = totalOf(line.policy, currency) ?? line.days.at(-1)!.cost;
    return `<polyline class="line ${esc(line.policy)}" points="${points.join(' ')}"><title>${esc(
      `${POLICY_LABEL[line.policy] ?? line.policy}: ${formatMoney(currency, total)} by ${line.days.at(-1)!.day}`,
    )}</title></polyline>`;
  });
  return `<figure>
<svg class="chart" role="img" aria-label="${esc(`Cumulative cost per policy, ${currency}`)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">
${grid.join('\n')}
<line class="baseline" x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}"/>
${paths.join('\n')}
${labels.join('\n')}
</svg>
</figure>`;
}

/** 1, 2 or 5 times a power of ten, at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-9)));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= rough) return factor * power;
  return 10 * power;
}

/** An axis amount: `USD 12,000`. */
function wholeAmount(currency: string, value: number): string {
  return `${currency} ${String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}
