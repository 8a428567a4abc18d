import type { WorkspaceResult } from '../../src/app/workspace-result.js';
import { DAILY_REPORT_COLUMNS, EVALUATED } from '../../src/report/columns.js';
import { cellsToCsv } from '../../src/report/csv.js';
import { reportKeys } from '../../src/report/keys.js';
import { compareText } from '../../src/shared/compare-text.js';

/**
 * The daily report as wco wrote it before it streamed: every row of the run in
 * memory, sorted at once, each document rendered by one csv-stringify call.
 * Kept as the reference the streaming writer must equal byte for byte.
 */

export interface ReportDocument {
  readonly key: string;
  readonly body: string;
}

/** A stored daily report row, header -> cell, as an earlier run of the day wrote it. */
export type StoredRecord = Readonly<Record<string, string>>;

interface DailyRow {
  /** account, region, directory_id, workspace_id: the contract's order. */
  readonly sortKey: readonly [string, string, string, string];
  readonly cells: readonly string[];
}

const HEADERS = DAILY_REPORT_COLUMNS.map((column) => column.header);

/**
 * The run's CSV documents: one per directory, the aggregate, and at month end
 * the monthly aggregate. Rows sorted by account, region, directory, WorkSpace.
 * `kept` rows (from an earlier run of the day, for parts this run could not
 * read) are written as they were, with `evaluated` = `no`.
 */
export function dailyReportDocuments(
  run: { readonly results: readonly WorkspaceResult[]; readonly asOf: Date; readonly monthEnd: boolean },
  kept: readonly StoredRecord[] = [],
): ReportDocument[] {
  const { asOf } = run;
  const rows: DailyRow[] = [
    ...run.results.map((result) => ({
      sortKey: [
        result.workspace.account,
        result.workspace.region,
        result.workspace.directoryId,
        result.workspace.workspaceId,
      ] as const,
      cells: DAILY_REPORT_COLUMNS.map((column) => column.cell({ result, asOf })),
    })),
    ...kept.map((record) => ({
      sortKey: [
        record.account ?? '',
        record.region ?? '',
        record.directory_id ?? '',
        record.workspace_id ?? '',
      ] as const,
      cells: HEADERS.map((header) => (header === 'evaluated' ? EVALUATED.NO : (record[header] ?? ''))),
    })),
  ].sort(compareRows);
  const render = (selected: readonly DailyRow[]) =>
    cellsToCsv(
      HEADERS,
      selected.map((row) => row.cells),
    );

  const byDirectory = new Map<string, DailyRow[]>();
  for (const row of rows) {
    const [account, region, directoryId] = row.sortKey;
    const key = reportKeys.directory(asOf, account, region, directoryId);
    const members = byDirectory.get(key) ?? [];
    members.push(row);
    byDirectory.set(key, members);
  }
  const aggregated = render(rows);
  const documents: ReportDocument[] = [...byDirectory].map(([key, members]) => ({
    key,
    body: render(members),
  }));
  documents.push({ key: reportKeys.dailyAggregated(asOf), body: aggregated });
  if (run.monthEnd) documents.push({ key: reportKeys.monthlyAggregated(asOf), body: aggregated });
  return documents;
}

/** The contract's row order: account, region, directory_id, workspace_id. */
function compareRows(a: DailyRow, b: DailyRow): number {
  for (let index = 0; index < 4; index += 1) {
    const order = compareText(a.sortKey[index]!, b.sortKey[index]!);
    if (order !== 0) return order;
  }
  return 0;
}
