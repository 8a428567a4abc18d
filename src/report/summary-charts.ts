/** The inline SVG charts of `summary.html` (no script, no external file). */
import type { HoursHistogram, ModeCost } from '../app/monthly-summary.js';
import { esc, formatMoney, modeLabel } from './format.js';

/** Projected month cost per running mode: one horizontal bar each. */
export function costByModeChart(costs: readonly ModeCost[]): string {
  if (costs.length === 0) return '<p class="empty">No priced WorkSpace.</p>';
  const width = 640;
  const labelWidth = 150;
  const valueWidth = 170;
  const barRoom = width - labelWidth - valueWidth;
  const rowHeight = 34;
  const max = costs.reduce((top, cost) => (cost.cost.greaterThan(top) ? cost.cost : top), costs[0]!.cost);
  const rows = costs.map((cost, index) => {
    const y = index * rowHeight + 6;
    const length = max.isZero() ? 0 : cost.cost.dividedBy(max).times(barRoom).toNumber();
    return `<g>
<text x="0" y="${y + 17}" class="axis">${esc(`${modeLabel(cost.runningMode)} (${cost.workspaces})`)}</text>
<rect class="bar ${cost.runningMode === 'ALWAYS_ON' ? 'always-on' : 'auto-stop'}" x="${labelWidth}" y="${y}" width="${Math.max(
      1,
      length,
    ).toFixed(
      1,
    )}" height="22"><title>${esc(`${modeLabel(cost.runningMode)}: ${formatMoney(cost.currency, cost.cost)}`)}</title></rect>
<text x="${labelWidth + length + 6}" y="${y + 17}" class="value">${esc(formatMoney(cost.currency, cost.cost))}</text>
</g>`;
  });
  const height = costs.length * rowHeight + 8;
  return `<svg class="chart" role="img" aria-label="Projected cost by running mode" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
${rows.join('\n')}
</svg>`;
}

/** One small histogram of billable hours per compute type, with the threshold marked. */
export function histogramCharts(histograms: readonly HoursHistogram[]): string {
  if (histograms.length === 0) return '<p class="empty">No billable hours to show.</p>';
  const legend = `<p class="legend"><span class="swatch auto-stop"></span> AutoStop <span class="swatch always-on"></span> AlwaysOn <span class="swatch threshold"></span> threshold</p>`;
  return `${legend}<div class="multiples">${histograms.map(histogramChart).join('\n')}</div>`;
}

function histogramChart(histogram: HoursHistogram): string {
  const width = 300;
  const height = 170;
  const left = 28;
  const bottom = 28;
  const top = 22;
  const plotWidth = width - left - 8;
  const plotHeight = height - bottom - top;
  const tallest = Math.max(1, ...histogram.bins.map((bin) => bin.autoStop + bin.alwaysOn));
  const binWidth = plotWidth / histogram.bins.length;
  const yOf = (count: number) => top + plotHeight - (count / tallest) * plotHeight;
  const bars = histogram.bins.flatMap((bin, index) => {
    const x = left + index * binWidth + 1;
    const w = Math.max(1, binWidth - 2);
    const range = `${index * histogram.binHours}–${(index + 1) * histogram.binHours - 1} h`;
    const parts: string[] = [];
    if (bin.autoStop > 0)
      parts.push(
        `<rect class="bar auto-stop" x="${x.toFixed(1)}" y="${yOf(bin.autoStop).toFixed(1)}" width="${w.toFixed(
          1,
        )}" height="${(top + plotHeight - yOf(bin.autoStop)).toFixed(1)}"><title>${esc(
          `${range}: ${bin.autoStop} AutoStop`,
        )}</title></rect>`,
      );
    if (bin.alwaysOn > 0)
      parts.push(
        `<rect class="bar always-on" x="${x.toFixed(1)}" y="${yOf(bin.autoStop + bin.alwaysOn).toFixed(
          1,
        )}" width="${w.toFixed(1)}" height="${(yOf(bin.autoStop) - yOf(bin.autoStop + bin.alwaysOn)).toFixed(
          1,
        )}"><title>${esc(`${range}: ${bin.alwaysOn} AlwaysOn`)}</title></rect>`,
      );
    return parts;
  });
  const span = histogram.bins.length * histogram.binHours;
  const threshold =
    histogram.thresholdHours === undefined
      ? ''
      : (() => {
          const x = left + (histogram.thresholdHours / span) * plotWidth;
          return `<line class="threshold" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top - 4}" y2="${
            top + plotHeight
          }"/><text class="threshold-label" x="${Math.min(x + 3, width - 40).toFixed(1)}" y="${top + 6}">${esc(
            `${histogram.thresholdHours} h`,
          )}</text>`;
        })();
  const ticks = [0, Math.round(span / 2), span].map(
    (hours, index) =>
      `<text class="axis" x="${(left + (hours / span) * plotWidth).toFixed(1)}" y="${height - 10}" text-anchor="${
        ['start', 'middle', 'end'][index]
      }">${esc(hours)} h</text>`,
  );
  return `<figure class="histogram">
<svg class="chart" role="img" aria-label="${esc(`Billable hours of ${histogram.computeType || 'unknown'} WorkSpaces`)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<text class="title" x="${left}" y="14">${esc(histogram.computeType || '(no compute type)')}</text>
<text class="axis" x="${left - 4}" y="${top + 8}" text-anchor="end">${esc(tallest)}</text>
<line class="baseline" x1="${left}" x2="${left + plotWidth}" y1="${top + plotHeight}" y2="${top + plotHeight}"/>
${bars.join('\n')}
${threshold}
${ticks.join('\n')}
</svg>
</figure>`;
}
