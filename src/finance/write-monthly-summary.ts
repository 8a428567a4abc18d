import type { WriteFailure } from '../shared/write-failure.js';
import { errorMessage } from '../shared/errors.js';
import { monthlySummaryCsv } from '../report/monthly-summary-csv.js';
import { CSV_CONTENT_TYPE } from '../report/csv.js';
import { summaryHtml } from '../report/summary-html.js';
import { writeDocuments } from '../report/write-reports.js';
import type { ObjectStore } from '../ports/object-store.js';
import { loadMonthReports, summaryKeys } from './load-month-reports.js';
import type { MonthlySummary } from './monthly-summary.js';
import { summarizeMonth } from './monthly-summary.js';

export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

export interface MonthlySummaryWrite {
  readonly summary: MonthlySummary | undefined;
  readonly written: string[];
  readonly failures: WriteFailure[];
}

/**
 * Rebuilds `reports/monthly/YYYY-MM/summary.csv` and `summary.html` from the
 * month's stored reports and writes both. Reading or writing failures are
 * returned, never swallowed; the month-end run and `wco report` share this.
 */
export async function writeMonthlySummary(store: ObjectStore, month: string): Promise<MonthlySummaryWrite> {
  let summary: MonthlySummary;
  try {
    summary = summarizeMonth(await loadMonthReports(store, month));
  } catch (error) {
    return {
      summary: undefined,
      written: [],
      failures: [{ target: store.locate(summaryKeys.csv(month)), message: errorMessage(error) }],
    };
  }
  const documents = [
    { key: summaryKeys.csv(month), body: monthlySummaryCsv(summary), contentType: CSV_CONTENT_TYPE },
    { key: summaryKeys.html(month), body: summaryHtml(summary), contentType: HTML_CONTENT_TYPE },
  ];
  const { written, failures } = await writeDocuments(store, documents);
  return { summary, written, failures };
}
