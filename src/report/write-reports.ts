import type { WriteFailure } from '../shared/write-failure.js';
import type { ObjectStore } from '../ports/object-store.js';
import { errorMessage } from '../shared/errors.js';
import type { ReportRowContext } from './columns.js';
import { DAILY_REPORT_COLUMNS } from './columns.js';
import { CSV_CONTENT_TYPE, toCsv } from './csv.js';
import { reportKeys } from './keys.js';
import type { WorkspaceResult } from '../app/workspace-result.js';
import { compareText } from '../shared/compare-text.js';

export interface ReportDocument {
  readonly key: string;
  readonly body: string;
  /** Default `text/csv; charset=utf-8`. */
  readonly contentType?: string;
}

/**
 * The run's CSV documents: one per directory, the aggregate, and at month end
 * the monthly aggregate. Rows sorted by account, region, directory, WorkSpace.
 */
export function dailyReportDocuments(
  results: readonly WorkspaceResult[],
  asOf: Date,
  monthEnd: boolean,
): ReportDocument[] {
  const sorted = [...results].sort(compareResults);
  const render = (rows: readonly WorkspaceResult[]) =>
    toCsv<ReportRowContext>(
      DAILY_REPORT_COLUMNS,
      rows.map((result) => ({ result, asOf })),
    );

  const byDirectory = new Map<string, WorkspaceResult[]>();
  for (const result of sorted) {
    const { account, region, directoryId } = result.workspace;
    const key = reportKeys.directory(asOf, account, region, directoryId);
    const rows = byDirectory.get(key) ?? [];
    rows.push(result);
    byDirectory.set(key, rows);
  }
  const aggregated = render(sorted);
  const documents: ReportDocument[] = [...byDirectory].map(([key, rows]) => ({ key, body: render(rows) }));
  documents.push({ key: reportKeys.dailyAggregated(asOf), body: aggregated });
  if (monthEnd) documents.push({ key: reportKeys.monthlyAggregated(asOf), body: aggregated });
  return documents;
}

/** Writes every document; one failed write does not stop the others, and each is reported. */
export async function writeDocuments(
  store: ObjectStore,
  documents: readonly ReportDocument[],
): Promise<{ written: string[]; failures: WriteFailure[] }> {
  const settled = await Promise.allSettled(
    documents.map((document) =>
      store.put(document.key, document.body, document.contentType ?? CSV_CONTENT_TYPE),
    ),
  );
  const written: string[] = [];
  const failures: WriteFailure[] = [];
  settled.forEach((outcome, index) => {
    const key = documents[index]!.key;
    if (outcome.status === 'fulfilled') written.push(key);
    else failures.push({ target: store.locate(key), message: errorMessage(outcome.reason) });
  });
  return { written, failures };
}

/** The contract's row order: account, region, directory_id, workspace_id. */
function compareResults(a: WorkspaceResult, b: WorkspaceResult): number {
  const x = a.workspace;
  const y = b.workspace;
  return (
    compareText(x.account, y.account) ||
    compareText(x.region, y.region) ||
    compareText(x.directoryId, y.directoryId) ||
    compareText(x.workspaceId, y.workspaceId)
  );
}
