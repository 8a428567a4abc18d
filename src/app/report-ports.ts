import type { WriteFailure } from '../shared/write-failure.js';
import type { MonthlySummary, MonthReports } from './monthly-summary.js';
import type { WorkspaceResult } from './workspace-result.js';

/** What a batch of report writes did: the keys written, and each write that failed. */
export interface ReportWrites {
  readonly written: string[];
  readonly failures: WriteFailure[];
}

/**
 * A month's stored reports, read back and summarized: what `wco report` and the
 * month-end run share. `src/report/` implements it on an `ObjectStore`.
 */
export interface MonthlySummaryReports {
  /** The month's daily reports and its snapshot; rejects when there is none or one cannot be read. */
  readMonth(month: string): Promise<MonthReports>;
  /** Writes the month's summary documents; one failed write does not stop the others. */
  writeSummary(summary: MonthlySummary): Promise<ReportWrites>;
  /** Where the month's summary goes, for people (names a summary that could not be built). */
  summaryLocation(month: string): string;
}

/** A part of the fleet a run could not read: a whole region, or one directory of it. */
export interface UnreadScope {
  readonly account: string;
  readonly region: string;
  /** Absent: the whole region. */
  readonly directoryId?: string | undefined;
}

/** What a run's daily report is made of. */
export interface DailyReportRun {
  readonly results: readonly WorkspaceResult[];
  readonly asOf: Date;
  readonly monthEnd: boolean;
  /**
   * What this run could not read: the rows an earlier run of the same day wrote
   * for it are kept (marked not re-evaluated), never dropped.
   */
  readonly unread: readonly UnreadScope[];
}

export interface DailyReportWrites extends ReportWrites {
  /** Rows kept from an earlier run of the same day for parts this run could not read. */
  readonly kept: number;
  /** Why nothing was written (a run that read nothing writes no daily report over an existing one). */
  readonly skipped?: string | undefined;
}

/** Where a run's reports go: its daily documents, and at month end the month's summary. */
export interface RunReports extends MonthlySummaryReports {
  /** Where the reports are, for people. */
  readonly location: string;
  /** Writes the run's daily documents (and at month end the monthly aggregate). */
  writeDaily(run: DailyReportRun): Promise<DailyReportWrites>;
}
