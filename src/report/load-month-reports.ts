import { parse } from 'csv-parse/sync';
import type { ObjectStore } from '../ports/object-store.js';
import type { MonthReports, StoredReport } from '../app/monthly-summary.js';
import { ReportReadError, reportRowFromRecord } from './read-report-row.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `YYYY-MM` or a clear error. */
export function checkedMonth(month: string): string {
  if (!MONTH.test(month)) throw new ReportReadError(`month "${month}" must be YYYY-MM, like 2026-11`);
  return month;
}

/**
 * Reads the month's stored reports: every daily `aggregated.csv` of the month
 * and the snapshot (the monthly `aggregated.csv` when the month-end run wrote
 * it, else the latest daily one). Rejects when the month has no report.
 */
export async function loadMonthReports(store: ObjectStore, month: string): Promise<MonthReports> {
  const dailyKeys = await dailyAggregateKeys(store, month);
  const days = await Promise.all(dailyKeys.map((key) => readReport(store, key)));
  const monthlyKey = monthlyAggregateKey(month);
  const monthly = await store.get(monthlyKey);
  const snapshot = monthly !== undefined ? parseReport(monthlyKey, monthly) : days.at(-1);
  if (snapshot === undefined)
    throw new ReportReadError(`no daily or monthly report for ${month} under ${store.locate('reports/')}`);
  return { month, snapshot, days };
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

async function readReport(store: ObjectStore, key: string): Promise<StoredReport> {
  const body = await store.get(key);
  if (body === undefined) throw new ReportReadError(`${store.locate(key)} disappeared while reading`);
  return parseReport(store.locate(key), body);
}

function parseReport(where: string, body: string): StoredReport {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(body, { columns: true, info: true, bom: true }) as unknown as typeof records;
  } catch (error) {
    throw new ReportReadError(`${where}: not a readable CSV report: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    key: where,
    rows: records.map(({ record, info }) => reportRowFromRecord(record, `${where} line ${info.lines}`)),
  };
}
