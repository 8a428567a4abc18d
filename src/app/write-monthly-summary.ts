import { errorMessage } from '../shared/errors.js';
import type { WriteFailure } from '../shared/write-failure.js';
import type { MonthlySummary } from './monthly-summary.js';
import { summarizeMonth } from './monthly-summary.js';
import type { MonthlySummaryReports } from './report-ports.js';

export interface MonthlySummaryWrite {
  readonly summary: MonthlySummary | undefined;
  readonly written: string[];
  readonly failures: WriteFailure[];
}

/**
 * Rebuilds the month's summary (`summary.csv`, `summary.html`) from its stored
 * reports and writes it. Reading or writing failures are returned, never
 * swallowed; the month-end run and `wco report` share this.
 */
export async function writeMonthlySummary(
  reports: MonthlySummaryReports,
  month: string,
): Promise<MonthlySummaryWrite> {
  let summary: MonthlySummary;
  try {
    summary = summarizeMonth(await reports.readMonth(month));
  } catch (error) {
    return {
      summary: undefined,
      written: [],
      failures: [{ target: reports.summaryLocation(month), message: errorMessage(error) }],
    };
  }
  const { written, failures } = await reports.writeSummary(summary);
  return { summary, written, failures };
}
