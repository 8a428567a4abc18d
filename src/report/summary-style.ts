/** The stylesheet inlined in `summary.html`: screen and A4 print. */
export const SUMMARY_STYLE = `
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --auto: #2f7ebc; --always: #d9822b; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta, .note, .empty, footer { color: var(--muted); }
.warning { border-left: 4px solid var(--bad); background: #fff4f2; padding: 6px 10px; margin: 8px 0; }
.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; margin-top: 16px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; break-inside: avoid; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .detail { color: var(--muted); font-size: 12px; }
.card[data-figure="savings"] .value { color: #1a7f37; }
.chart text { font: 12px system-ui, sans-serif; fill: var(--ink); }
.chart .title { font-weight: 600; }
.chart .axis { fill: var(--muted); }
.bar.auto-stop, .swatch.auto-stop { fill: var(--auto); background: var(--auto); }
.bar.always-on, .swatch.always-on { fill: var(--always); background: var(--always); }
.threshold { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 5 3; }
.swatch.threshold { background: var(--bad); height: 3px; vertical-align: middle; }
.baseline { stroke: var(--line); }
.chart .threshold-label { fill: var(--bad); font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 10px; }
.multiples { display: flex; flex-wrap: wrap; gap: 8px 16px; }
figure { margin: 0; break-inside: avoid; }
/* Tables fit the page: long names and errors wrap anywhere rather than widen it; ids and amounts never wrap. */
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-bottom: 12px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
td { overflow-wrap: anywhere; }
.id { white-space: nowrap; }
td.user { min-width: 7em; }
.sub { color: var(--muted); font-size: 11px; }
#groups table { font-size: 12px; }
th { background: #f6f8fa; font-weight: 600; }
th.num { text-align: right; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }
td.negative { color: var(--bad); font-weight: 600; }
td.attention { font-weight: 600; white-space: nowrap; overflow-wrap: normal; }
tr.total td { border-top: 2px solid var(--ink); font-weight: 600; }
tr { break-inside: avoid; }
svg.chart { max-width: 100%; height: auto; }
footer { margin-top: 32px; font-size: 12px; }
/* On a narrow screen a table that cannot fit scrolls by itself; the page never scrolls sideways. */
.table-wrap { overflow-x: auto; }
@media (max-width: 900px) { .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); } table, #groups table { font-size: 11px; } }
@media print {
  @page { size: A4; margin: 14mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  .table-wrap { overflow: visible; }
  table, #groups table { font-size: 9.5px; }
  th, td { padding: 3px 4px; }
  .sub { font-size: 9px; }
  .cards { grid-template-columns: repeat(4, minmax(0, 1fr)); }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
