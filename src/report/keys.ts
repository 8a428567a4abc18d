import { UTCDate } from '@date-fns/utc';
import { format } from 'date-fns';
import { monthOf } from '../billing/index.js';

/**
 * Object keys of the reports, the same under an S3 bucket and a local folder.
 * `YYYY/MM/DD` is `T`'s UTC date, so a rerun for the same day overwrites its keys.
 */
export const reportKeys = {
  dailyPrefix(asOf: Date): string {
    return `reports/daily/${format(new UTCDate(asOf), 'yyyy/MM/dd')}/`;
  },
  directory(asOf: Date, account: string, region: string, directoryId: string): string {
    return `${reportKeys.dailyPrefix(asOf)}${account}_${region}_${directoryId}.csv`;
  },
  dailyAggregated(asOf: Date): string {
    return `${reportKeys.dailyPrefix(asOf)}aggregated.csv`;
  },
  /** The run's summary for automation (`wco run`), next to the day's reports. */
  runSummary(asOf: Date): string {
    return `${reportKeys.dailyPrefix(asOf)}run-summary.json`;
  },
  monthlyPrefix(month: string): string {
    return `reports/monthly/${month}/`;
  },
  monthlyAggregated(asOf: Date): string {
    return `${reportKeys.monthlyPrefix(monthOf(asOf))}aggregated.csv`;
  },
};

/** Where the month's summary goes, next to its monthly aggregate. */
export const summaryKeys = {
  csv: (month: string) => `reports/monthly/${month}/summary.csv`,
  html: (month: string) => `reports/monthly/${month}/summary.html`,
};
