import { errorMessage } from '../shared/errors.js';
import type { WriteFailure } from '../shared/write-failure.js';
import type { ConversionLedger } from './ledger/conversion-ledger.js';
import { LedgerReadError } from './ledger/conversion-ledger.js';
import type { LedgerEntry } from './ledger/ledger-entry.js';
import type { MonthlySummary } from './monthly-summary.js';
import { summarizeMonth } from './monthly-summary.js';
import type { MonthlySummaryReports } from './report-ports.js';

export interface MonthlySummaryWrite {
  readonly summary: MonthlySummary | undefined;
  readonly written: string[];
  readonly failures: WriteFailure[];
}

export interface MonthlySummarySources {
  /** The conversion ledger: the month's conversions come from it. */
  readonly ledger?: ConversionLedger | undefined;
  /** Notes of the calling run, shown on the page and in the CSV. */
  readonly notes?: readonly string[] | undefined;
}

/**
 * Rebuilds the month's summary (`summary.csv`, `summary.html`) from its
 * conversion ledger and its stored reports, and writes it. Reading or writing
 * failures are returned, never swallowed; the month-end run and `wco report`
 * share this. A ledger that cannot be read fails the summary: without it the
 * month's conversions would be silently incomplete.
 */
export async function writeMonthlySummary(
  reports: MonthlySummaryReports,
  month: string,
  sources: MonthlySummarySources = {},
): Promise<MonthlySummaryWrite> {
  let summary: MonthlySummary;
  try {
    const ledger = await ledgerOf(sources.ledger, month);
    summary = summarizeMonth({ ...(await reports.readMonth(month)), ledger, notes: sources.notes });
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

async function ledgerOf(
  ledger: ConversionLedger | undefined,
  month: string,
): Promise<LedgerEntry[] | undefined> {
  if (ledger === undefined) return undefined;
  const { entries, problems } = await ledger.entriesOfMonth(month);
  if (problems.length > 0)
    throw new LedgerReadError(
      `the conversion ledger of ${month} could not be read: ${problems.slice(0, 3).join('; ')}`,
    );
  return entries;
}
