import { parse } from 'csv-parse/sync';
import type { WriteFailure } from '../shared/write-failure.js';
import type { ObjectStore } from '../ports/object-store.js';
import { errorMessage } from '../shared/errors.js';
import type { DailyReportRun, DailyReportWrites, UnreadScope } from '../app/report-ports.js';
import { DAILY_REPORT_COLUMNS, EVALUATED } from './columns.js';
import { CSV_CONTENT_TYPE, cellsToCsv } from './csv.js';
import { reportKeys } from './keys.js';
import { ReportReadError } from './read-report-row.js';
import { compareText } from '../shared/compare-text.js';

export interface ReportDocument {
  readonly key: string;
  readonly body: string;
  /** Default `text/csv; charset=utf-8`. */
  readonly contentType?: string;
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
  run: Pick<DailyReportRun, 'results' | 'asOf' | 'monthEnd'>,
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

/**
 * Writes the run's daily report. The rows an earlier run of the same day wrote
 * for a region or directory this run could not read are kept (marked not
 * re-evaluated); a run that read nothing at all writes nothing, so it never
 * replaces a good report with an empty one.
 */
export async function writeDailyReport(store: ObjectStore, run: DailyReportRun): Promise<DailyReportWrites> {
  if (run.results.length === 0 && run.unread.length > 0)
    return {
      written: [],
      failures: [],
      kept: 0,
      skipped:
        'nothing could be read: the daily report was not written, the day keeps what an earlier run wrote',
    };
  let kept: StoredRecord[];
  try {
    kept = await keptRows(store, run.asOf, run.unread);
  } catch (error) {
    // Without the earlier rows a rewrite would drop them: keep the day's report as it is.
    return {
      written: [],
      failures: [{ target: store.locate(reportKeys.dailyPrefix(run.asOf)), message: errorMessage(error) }],
      kept: 0,
      skipped:
        'the rows of the parts this run could not read could not be read back: the daily report was not rewritten',
    };
  }
  const written = await writeDocuments(store, dailyReportDocuments(run, kept));
  return { ...written, kept: kept.length };
}

/** The rows today's stored per-directory reports hold for the unread scopes. */
async function keptRows(
  store: ObjectStore,
  asOf: Date,
  unread: readonly UnreadScope[],
): Promise<StoredRecord[]> {
  if (unread.length === 0) return [];
  const prefix = reportKeys.dailyPrefix(asOf);
  const keys = await store.list(prefix);
  const wanted = keys.filter((key) =>
    unread.some((scope) =>
      scope.directoryId === undefined
        ? key.startsWith(`${prefix}${scope.account}_${scope.region}_`)
        : key === reportKeys.directory(asOf, scope.account, scope.region, scope.directoryId),
    ),
  );
  const bodies = await Promise.all(wanted.map(async (key) => ({ key, body: await store.get(key) })));
  return bodies.flatMap(({ key, body }) => {
    if (body === undefined) return [];
    try {
      return parse(body, { columns: true, bom: true }) as StoredRecord[];
    } catch (error) {
      throw new ReportReadError(`${store.locate(key)} is not a readable report: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  });
}

/** Writes every document; one failed write does not stop the others, and each is reported. */
export async function writeDocuments(
  store: ObjectStore,
  documents: readonly ReportDocument[],
): Promise<{ written: string[]; failures: WriteFailure[] }> {
  const settled = await Promise.allSettled(
    documents.map((document) =>
      store.put(document.key, document.body, document.contentType ?? CSV_CONTENT_TYPE),
    ),
  );
  const written: string[] = [];
  const failures: WriteFailure[] = [];
  settled.forEach((outcome, index) => {
    const key = documents[index]!.key;
    if (outcome.status === 'fulfilled') written.push(key);
    else failures.push({ target: store.locate(key), message: errorMessage(outcome.reason) });
  });
  return { written, failures };
}

/** The contract's row order: account, region, directory_id, workspace_id. */
function compareRows(a: DailyRow, b: DailyRow): number {
  for (let index = 0; index < 4; index += 1) {
    const order = compareText(a.sortKey[index]!, b.sortKey[index]!);
    if (order !== 0) return order;
  }
  return 0;
}
