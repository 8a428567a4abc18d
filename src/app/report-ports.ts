import type { UsageSpan } from '../billing/index.js';
import type { WriteFailure } from '../shared/write-failure.js';
import type { MonthlySummary, MonthReports } from './monthly-summary.js';
import type { UnusedRow } from './unused/review-unused.js';
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

/**
 * The day a run reports on and the columns its reports have: the same for
 * every file of the day (its directory files, kept rows and aggregate).
 */
export interface ReportDay {
  readonly asOf: Date;
  /** Tag keys that get a column each (`tag:<key>`), after the standard columns. */
  readonly tagColumns?: readonly string[] | undefined;
}

/** One directory of one region of one account: what a per-directory report file holds. */
export interface DirectoryScope {
  readonly account: string;
  readonly region: string;
  readonly directoryId: string;
}

/**
 * A per-directory report file of the day: this run's rows (`rows`) and rows
 * kept from an earlier run of the day for WorkSpaces this run did not
 * evaluate (`kept`). Small and serializable: the sharded deployment hands
 * parts from its shard tasks to its merge step.
 */
export interface DirectoryPart {
  readonly scope: DirectoryScope;
  /** The file's key; absent when the directory had no row at all. */
  readonly key?: string | undefined;
  readonly rows: number;
  readonly kept: number;
  /** The file could not be written (see `failures`): the aggregate cannot be built from it. */
  readonly unwritten?: boolean | undefined;
  readonly failures: readonly WriteFailure[];
}

/** One directory's rows of this run, handed over as they are decided. */
export interface DirectoryRows {
  /** The row of one WorkSpace; only its compact form is kept, so `result` can be dropped. */
  add(result: WorkspaceResult): void;
  /**
   * Sorts the rows and writes the directory's file. `complete: false` when the
   * directory could not be read to the end: the rows an earlier run of the day
   * wrote for the WorkSpaces this run did not evaluate are kept (marked not
   * re-evaluated), never dropped. Never rejects: a failed write is in the part.
   */
  finish(complete: boolean): Promise<DirectoryPart>;
}

/** What a run's daily aggregate is made of. */
export interface DailyAggregateRun extends ReportDay {
  readonly monthEnd: boolean;
  /** The directory files of this run, in any order. */
  readonly parts: readonly DirectoryPart[];
}

export interface KeptParts {
  readonly parts: DirectoryPart[];
  readonly failures: WriteFailure[];
}

/** Each WorkSpace's billable hours in a month and the hours elapsed when they were measured, by `usageKey`. */
export type UsageHistory = ReadonlyMap<string, UsageSpan>;

export const usageKey = (account: string, region: string, workspaceId: string) =>
  `${account}/${region}/${workspaceId}`;

/** Where a run's reports go: its daily documents, and at month end the month's summary. */
export interface RunReports extends MonthlySummaryReports {
  /** Where the reports are, for people. */
  readonly location: string;
  /** Starts the file of one directory for the day of `asOf`. */
  directory(scope: DirectoryScope, day: ReportDay): DirectoryRows;
  /**
   * Keeps the day's earlier files of parts this run could not read, rewritten
   * with their rows marked not re-evaluated. A file that cannot be read back is
   * a failure (nothing of the day is rewritten over it).
   */
  keepUnread(day: ReportDay, unread: readonly UnreadScope[]): Promise<KeptParts>;
  /**
   * The day's `aggregated.csv` (and at month end the monthly one): the
   * directory files in report order, streamed one after the other, so the
   * aggregate is sorted without holding its rows.
   */
  writeAggregate(run: DailyAggregateRun): Promise<ReportWrites>;
  /**
   * One directory's usage in `month` as its latest report of the month's last
   * week has it (empty when there is none): early in the next month, the rate
   * a projection carries. Rejects when a report exists but cannot be read.
   */
  directoryUsage(month: string, scope: DirectoryScope): Promise<UsageHistory>;
  /**
   * The month's `unused.csv`: `rows` for the `reviewed` regions, the stored
   * rows of the others kept. Never rejects: a failed read or write is returned.
   */
  writeUnused(
    month: string,
    rows: readonly UnusedRow[],
    reviewed: readonly {
      readonly account: string;
      readonly region: string;
      /** Directories not read to the end: their stored rows are kept. */
      readonly unreadDirectories?: readonly string[] | undefined;
    }[],
  ): Promise<ReportWrites>;
}
