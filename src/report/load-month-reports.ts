import { readUnusedReport, unusedListingOf } from './unused-report.js';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ObjectStore, StreamingObjectStore } from '../ports/object-store.js';
import type { MonthReports, StoredReport } from '../app/monthly-summary.js';
import type { ReportRow } from '../app/report-row.js';
import { Action, Outcome } from '../billing/index.js';
import { CSV_READ_OPTIONS } from './csv.js';
import { ReportReadError, reportRowFromRecord } from './read-report-row.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `YYYY-MM` or a clear error. */
export function checkedMonth(month: string): string {
  if (!MONTH.test(month)) throw new ReportReadError(`month "${month}" must be YYYY-MM, like 2026-11`);
  return month;
}

/** What a summary takes from the days besides the snapshot: their applied conversions. */
const appliedConversion = (row: ReportRow) =>
  (row.action === Action.TO_ALWAYS_ON || row.action === Action.TO_AUTO_STOP) &&
  row.outcome === Outcome.APPLIED;

/**
 * Reads the month's stored reports: every daily `aggregated.csv` of the month
 * and the snapshot (the monthly `aggregated.csv` when the month-end run wrote
 * it, else the latest daily one). Reports are parsed as they stream in, one at
 * a time; of the days only their applied conversions are kept, all that the
 * summary takes from them (every row is still checked). Rejects when the month
 * has no report or one cannot be read.
 */
export async function loadMonthReports(store: StreamingObjectStore, month: string): Promise<MonthReports> {
  const dailyKeys = await dailyAggregateKeys(store, month);
  const days: StoredReport[] = [];
  for (const key of dailyKeys) days.push(await readReport(store, key, appliedConversion));
  const monthlyKey = monthlyAggregateKey(month);
  const snapshot =
    (await readReport(store, monthlyKey, () => true, { optional: true })) ??
    (dailyKeys.length > 0 ? await readReport(store, dailyKeys.at(-1)!) : undefined);
  if (snapshot === undefined)
    throw new ReportReadError(`no daily or monthly report for ${month} under ${store.locate('reports/')}`);
  const unused = await readUnusedReport(store, month);
  return { month, snapshot, days, unused: unused.length === 0 ? undefined : unused.map(unusedListingOf) };
}

/** Whether the month has a report to summarize: a daily or the monthly aggregate. */
export async function hasMonthReports(store: ObjectStore, month: string): Promise<boolean> {
  if ((await dailyAggregateKeys(store, month)).length > 0) return true;
  return (await store.get(monthlyAggregateKey(month))) !== undefined;
}

async function dailyAggregateKeys(store: ObjectStore, month: string): Promise<string[]> {
  const [year, monthNumber] = checkedMonth(month).split('-');
  return (await store.list(`reports/daily/${year}/${monthNumber}/`))
    .filter((key) => /^reports\/daily\/\d{4}\/\d{2}\/\d{2}\/aggregated\.csv$/.test(key))
    .sort();
}

const monthlyAggregateKey = (month: string) => `reports/monthly/${month}/aggregated.csv`;

async function readReport(
  store: StreamingObjectStore,
  key: string,
  keep?: (row: ReportRow) => boolean,
  options?: { readonly optional: false },
): Promise<StoredReport>;
async function readReport(
  store: StreamingObjectStore,
  key: string,
  keep: (row: ReportRow) => boolean,
  options: { readonly optional: true },
): Promise<StoredReport | undefined>;
async function readReport(
  store: StreamingObjectStore,
  key: string,
  keep: (row: ReportRow) => boolean = () => true,
  options: { readonly optional: boolean } = { optional: false },
): Promise<StoredReport | undefined> {
  const where = store.locate(key);
  const chunks = await store.getStream(key);
  if (chunks === undefined) {
    if (options.optional) return undefined;
    throw new ReportReadError(`${where} disappeared while reading`);
  }
  const rows: ReportRow[] = [];
  const records = Readable.from(chunks).pipe(parse(CSV_READ_OPTIONS));
  try {
    for await (const { record, info } of records as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      const row = reportRowFromRecord(record, `${where} line ${info.lines}`);
      if (keep(row)) rows.push(row);
    }
  } catch (error) {
    if (error instanceof ReportReadError) throw error;
    throw new ReportReadError(`${where}: not a readable CSV report: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { key: where, rows };
}
