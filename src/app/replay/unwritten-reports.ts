import type { MonthReports } from '../monthly-summary.js';
import type {
  DirectoryRows,
  DirectoryScope,
  KeptParts,
  ReportWrites,
  RunReports,
  UsageHistory,
} from '../report-ports.js';

const NOTHING: ReportWrites = { written: [], failures: [] };

/**
 * The reports of a replayed run: none. A replay answers "what would it have
 * cost", not "what did each day report", so its runs keep no daily report and
 * their month-end summaries are built (from the replay's ledger) and dropped.
 */
export const unwrittenReports: RunReports = {
  location: 'nowhere (a replay writes no run reports)',
  directory(scope: DirectoryScope): DirectoryRows {
    return {
      add() {},
      async finish() {
        return { scope, rows: 0, kept: 0, failures: [] };
      },
    };
  },
  async keepUnread(): Promise<KeptParts> {
    return { parts: [], failures: [] };
  },
  async writeAggregate(): Promise<ReportWrites> {
    return NOTHING;
  },
  async readMonth(month: string): Promise<MonthReports> {
    return { month, snapshot: { key: 'replay', rows: [] }, days: [] };
  },
  async writeSummary(): Promise<ReportWrites> {
    return NOTHING;
  },
  summaryLocation: () => 'nowhere',
  // Last month's usage only feeds the early-month cost projections of daily reports, which a replay does not keep.
  async directoryUsage(): Promise<UsageHistory> {
    return new Map();
  },
  async writeUnused(): Promise<ReportWrites> {
    return NOTHING;
  },
};
