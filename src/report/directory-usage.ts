import type { UsageSpan } from '../billing/index.js';
import { elapsedHoursInMonth } from '../billing/index.js';
import type { DirectoryScope, UsageHistory } from '../app/report-ports.js';
import { usageKey } from '../app/report-ports.js';
import type { ObjectStore } from '../ports/object-store.js';
import { parseCsvRecords } from './csv.js';
import { reportKeys } from './keys.js';
import { checkedMonth } from './load-month-reports.js';
import { ReportReadError, reportRowFromRecord } from './read-report-row.js';

/**
 * Days looked back from a month's last day for a directory's latest report.
 * A directory's report older than its month's last week says little about the
 * month's end; a directory with none that late (new, or never read) has no history.
 */
const LOOK_BACK_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One directory's usage in `month` as its latest daily report of the month's
 * last week has it: each WorkSpace's billable hours and the hours elapsed at
 * that report's `as_of`. One small file per directory, read only early in the
 * next month (`readPreviousMonthUsage`), so a run's memory never holds the
 * fleet's history. Empty when there is no such report; rejects when one
 * exists but cannot be read.
 */
export async function directoryUsage(
  store: ObjectStore,
  month: string,
  scope: DirectoryScope,
): Promise<UsageHistory> {
  const [year, monthNumber] = checkedMonth(month).split('-').map(Number);
  const lastDay = Date.UTC(year!, monthNumber!, 0);
  for (let back = 0; back < LOOK_BACK_DAYS; back += 1) {
    const key = reportKeys.directory(
      new Date(lastDay - back * DAY_MS),
      scope.account,
      scope.region,
      scope.directoryId,
    );
    const body = await store.get(key);
    if (body !== undefined) return usageOf(store.locate(key), body);
  }
  return new Map();
}

function usageOf(where: string, body: string): UsageHistory {
  let records;
  try {
    records = parseCsvRecords(body);
  } catch (error) {
    throw new ReportReadError(`${where}: not a readable CSV report: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const usage = new Map<string, UsageSpan>();
  for (const { record, line } of records) {
    const row = reportRowFromRecord(record, `${where} line ${line}`);
    const asOf = new Date(row.asOf);
    if (row.billableHours === undefined || Number.isNaN(asOf.getTime())) continue;
    usage.set(usageKey(row.account, row.region, row.workspaceId), {
      billableHours: row.billableHours,
      elapsedHours: elapsedHoursInMonth(asOf),
    });
  }
  return usage;
}
