import type { MonthlySummary, MonthReports } from '../app/monthly-summary.js';
import type {
  DailyAggregateRun,
  DirectoryRows,
  DirectoryScope,
  KeptParts,
  ReportDay,
  ReportWrites,
  RunReports,
  UnreadScope,
  UsageHistory,
} from '../app/report-ports.js';
import type { UnusedRow } from '../app/unused/review-unused.js';
import type { StreamingObjectStore } from '../ports/object-store.js';
import type { ReviewedScope } from './unused-report.js';
import { writeUnusedReport } from './unused-report.js';
import { CSV_CONTENT_TYPE } from './csv.js';
import { directoryUsage } from './directory-usage.js';
import { reportKeys, summaryKeys } from './keys.js';
import { hasMonthReports, loadMonthReports } from './load-month-reports.js';
import { monthlySummaryCsv } from './monthly-summary-csv.js';
import { summaryHtml } from './summary-html.js';
import { DailyReportWriter, writeDocuments } from './write-reports.js';

export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';
export const JSON_CONTENT_TYPE = 'application/json';

/**
 * The reports in an object store (an S3 bucket or a local folder): the daily
 * CSV documents, the monthly aggregate, and the month's `summary.csv` and
 * `summary.html`, read back from the stored daily reports.
 */
export class StoredReports implements RunReports {
  private readonly daily: DailyReportWriter;

  constructor(readonly store: StreamingObjectStore) {
    this.daily = new DailyReportWriter(store);
  }

  get location(): string {
    return this.store.locate('');
  }

  directory(scope: DirectoryScope, day: ReportDay): DirectoryRows {
    return this.daily.directory(scope, day);
  }

  keepUnread(day: ReportDay, unread: readonly UnreadScope[]): Promise<KeptParts> {
    return this.daily.keepUnread(day, unread);
  }

  writeAggregate(run: DailyAggregateRun): Promise<ReportWrites> {
    return this.daily.writeAggregate(run);
  }

  /** Whether `month` has any stored report (`readMonth` rejects when it has none). */
  hasMonth(month: string): Promise<boolean> {
    return hasMonthReports(this.store, month);
  }

  directoryUsage(month: string, scope: DirectoryScope): Promise<UsageHistory> {
    return directoryUsage(this.store, month, scope);
  }

  writeUnused(
    month: string,
    rows: readonly UnusedRow[],
    reviewed: readonly ReviewedScope[],
  ): Promise<ReportWrites> {
    return writeUnusedReport(this.store, month, rows, reviewed);
  }

  readMonth(month: string): Promise<MonthReports> {
    return loadMonthReports(this.store, month);
  }

  writeSummary(summary: MonthlySummary): Promise<ReportWrites> {
    return writeDocuments(this.store, [
      {
        key: summaryKeys.csv(summary.month),
        body: monthlySummaryCsv(summary),
        contentType: CSV_CONTENT_TYPE,
      },
      { key: summaryKeys.html(summary.month), body: summaryHtml(summary), contentType: HTML_CONTENT_TYPE },
    ]);
  }

  /**
   * `run-summary.json` next to the day's reports: the run summary for the
   * automation that ran wco (`body` is the JSON text, written as given).
   */
  writeRunSummary(asOf: Date, body: string): Promise<ReportWrites> {
    return writeDocuments(this.store, [
      { key: reportKeys.runSummary(asOf), body, contentType: JSON_CONTENT_TYPE },
    ]);
  }

  summaryLocation(month: string): string {
    return this.store.locate(summaryKeys.csv(month));
  }
}
