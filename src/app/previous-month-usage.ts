import {
  elapsedHoursInMonth,
  MIN_ELAPSED_HOURS_TO_EXTRAPOLATE,
  monthOf,
  previousMonthStartUtc,
} from '../billing/index.js';
import { errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import type { DirectoryScope, RunReports, UsageHistory } from './report-ports.js';

const NONE: UsageHistory = new Map();

/**
 * One directory's usage last month, read only early in the month, when
 * projections need it (`usageRate`: before a week has elapsed), a directory
 * at a time, so a run never holds the fleet's history; later, or when last
 * month has no report for the directory, empty. An unreadable report costs
 * the projections, never the run.
 */
export async function readPreviousMonthUsage(
  reports: Pick<RunReports, 'directoryUsage'>,
  asOf: Date,
  scope: DirectoryScope,
  log: Log,
): Promise<UsageHistory> {
  if (elapsedHoursInMonth(asOf) >= MIN_ELAPSED_HOURS_TO_EXTRAPOLATE) return NONE;
  const month = monthOf(previousMonthStartUtc(asOf));
  try {
    return await reports.directoryUsage(month, scope);
  } catch (error) {
    log.warn("last month's report could not be read: early-month projections stay blank", {
      month,
      ...scope,
      error: errorMessage(error),
    });
    return NONE;
  }
}
