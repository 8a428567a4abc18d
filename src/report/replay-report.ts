import type { ReportWrites } from '../app/report-ports.js';
import type { ReplayResult, ReplayRow } from '../app/replay/replay.js';
import { formatCents } from '../billing/index.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { Column } from './csv.js';
import { CSV_CONTENT_TYPE, toCsv } from './csv.js';
import { replayHtml } from './replay-html.js';
import { HTML_CONTENT_TYPE } from './stored-reports.js';
import { writeDocuments } from './write-reports.js';

/** `reports/replay/<from>_<to>/`: the same under a bucket or a local folder. */
export const replayKeys = {
  folder: (from: string, to: string) => `reports/replay/${from}_${to}/`,
  csv: (from: string, to: string) => `reports/replay/${from}_${to}/replay.csv`,
  html: (from: string, to: string) => `reports/replay/${from}_${to}/replay.html`,
};

/** A ratio as a decimal fraction with 4 places (`0.7709`), blank when there is none. */
export function formatShare(share: ReplayRow['capturedShare']): string {
  return share === undefined ? '' : share.toFixed(4);
}

/**
 * `replay.csv`, one row per month and policy then the period's `TOTAL` rows,
 * per currency. Money in the price file's currency with two decimals;
 * `captured_share` a fraction (blank when nothing could be saved).
 */
export const REPLAY_COLUMNS: readonly Column<ReplayRow>[] = [
  { header: 'month', cell: (row) => row.month },
  { header: 'policy', cell: (row) => row.policy },
  { header: 'workspaces', cell: (row) => String(row.workspaces) },
  { header: 'cost', cell: (row) => formatCents(row.cost) },
  { header: 'savings_vs_as_is', cell: (row) => formatCents(row.savingsVsAsIs) },
  { header: 'captured_share', cell: (row) => formatShare(row.capturedShare) },
  { header: 'regret', cell: (row) => formatCents(row.regret) },
  { header: 'conversions', cell: (row) => String(row.conversions) },
  { header: 'currency', cell: (row) => row.currency },
];

export function replayCsv(result: ReplayResult): string {
  return toCsv(REPLAY_COLUMNS, result.rows);
}

/** Writes `replay.csv` and `replay.html`; a failed write is returned, the other still written. */
export function writeReplayReports(store: ObjectStore, result: ReplayResult): Promise<ReportWrites> {
  const { from, to } = result.period;
  return writeDocuments(store, [
    { key: replayKeys.csv(from, to), body: replayCsv(result), contentType: CSV_CONTENT_TYPE },
    { key: replayKeys.html(from, to), body: replayHtml(result), contentType: HTML_CONTENT_TYPE },
  ]);
}
