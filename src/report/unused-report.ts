import type { ReportWrites } from '../app/report-ports.js';
import type { UnusedRow } from '../app/unused/review-unused.js';
import type { UnusedListing } from '../app/unused/unused-listing.js';
import { formatCents } from '../billing/index.js';
import type { ObjectStore } from '../ports/object-store.js';
import { compareText } from '../shared/compare-text.js';
import { errorMessage } from '../shared/errors.js';
import { tagsJson } from './columns.js';
import type { Column } from './csv.js';
import { cellsToCsv, CSV_CONTENT_TYPE, parseCsvRecords } from './csv.js';
import { reportKeys } from './keys.js';
import { ReportReadError } from './read-report-row.js';

/** `reports/monthly/YYYY-MM/unused.csv`: the month's unused WorkSpaces as the latest run saw them. */
export const unusedKey = (month: string) => `${reportKeys.monthlyPrefix(month)}unused.csv`;

/** `never` in `last_connection`: the service knows no user connection. */
export const NEVER_CONNECTED = 'never';

/** `unused.csv`'s columns, header and cell in one place (README, "Reports"). */
export const UNUSED_COLUMNS: readonly Column<UnusedRow>[] = [
  { header: 'workspace_id', cell: (row) => row.workspace.workspaceId },
  { header: 'user_name', cell: (row) => row.workspace.userName },
  { header: 'directory_id', cell: (row) => row.workspace.directoryId },
  { header: 'account', cell: (row) => row.workspace.account },
  { header: 'region', cell: (row) => row.workspace.region },
  { header: 'running_mode', cell: (row) => row.workspace.runningMode },
  { header: 'state', cell: (row) => row.workspace.state },
  {
    header: 'last_connection',
    cell: (row) =>
      row.lastConnection === undefined
        ? ''
        : row.lastConnection === null
          ? NEVER_CONNECTED
          : new Date(row.lastConnection).toISOString(),
  },
  // For a never-used WorkSpace: since when it is known to exist, and how (CREATED, FIRST_SEEN).
  {
    header: 'known_since',
    cell: (row) => (row.since === undefined ? '' : new Date(row.since.at).toISOString()),
  },
  { header: 'age_source', cell: (row) => row.since?.source ?? '' },
  { header: 'use', cell: (row) => row.review.status },
  {
    header: 'months_unused',
    cell: (row) => (row.review.status === 'UNKNOWN' ? '' : String(row.review.monthsUnused)),
  },
  { header: 'currency', cell: (row) => row.wasted?.currency ?? '' },
  {
    header: 'monthly_waste',
    cell: (row) => (row.wasted === undefined ? '' : formatCents(row.wasted.monthly)),
  },
  { header: 'verdict', cell: (row) => row.verdict },
  { header: 'removal_action', cell: (row) => row.action },
  { header: 'removal_outcome', cell: (row) => row.outcome },
  { header: 'error', cell: (row) => row.error ?? '' },
  { header: 'tags', cell: (row) => (row.tags === undefined ? '' : tagsJson(row.tags)) },
];

const HEADERS = UNUSED_COLUMNS.map((column) => column.header);

/** A stored `unused.csv` row, header -> raw cell. */
export type StoredUnusedRow = Readonly<Record<string, string>>;

/** The account and region a review covered: its rows replace the stored ones of that scope. */
export interface ReviewedScope {
  readonly account: string;
  readonly region: string;
  /** Directories of the region that could not be read to the end: their stored rows are kept. */
  readonly unreadDirectories?: readonly string[] | undefined;
}

/**
 * Writes the month's `unused.csv`: this run's rows for the regions it
 * reviewed, and the stored rows of every other region, and of the directories
 * it could not read, kept as they were (what the run could not read keeps what
 * an earlier run found). Rows by
 * account, region, longest unused first. A stored file that cannot be read is
 * not overwritten: that is a failure.
 */
export async function writeUnusedReport(
  store: ObjectStore,
  month: string,
  rows: readonly UnusedRow[],
  reviewed: readonly ReviewedScope[],
): Promise<ReportWrites> {
  const key = unusedKey(month);
  let kept: StoredUnusedRow[];
  try {
    const covered = new Map(reviewed.map((scope) => [`${scope.account}\u0000${scope.region}`, scope]));
    kept = (await readUnusedReport(store, month)).filter((record) => {
      const scope = covered.get(`${record.account ?? ''}\u0000${record.region ?? ''}`);
      return scope === undefined || (scope.unreadDirectories ?? []).includes(record.directory_id ?? '');
    });
  } catch (error) {
    return { written: [], failures: [{ target: store.locate(key), message: errorMessage(error) }] };
  }
  const fresh = rows.map((row) => UNUSED_COLUMNS.map((column) => column.cell(row)));
  const cells = [...fresh, ...kept.map((record) => HEADERS.map((header) => record[header] ?? ''))];
  const at = (name: string) => HEADERS.indexOf(name);
  cells.sort(
    (a, b) =>
      compareText(a[at('account')]!, b[at('account')]!) ||
      compareText(a[at('region')]!, b[at('region')]!) ||
      Number(b[at('months_unused')] || -1) - Number(a[at('months_unused')] || -1) ||
      compareText(a[at('workspace_id')]!, b[at('workspace_id')]!),
  );
  try {
    await store.put(key, cellsToCsv(HEADERS, cells), CSV_CONTENT_TYPE);
    return { written: [key], failures: [] };
  } catch (error) {
    return { written: [], failures: [{ target: store.locate(key), message: errorMessage(error) }] };
  }
}

/**
 * The month's stored `unused.csv` rows; none when there is no file. Rejects
 * when it cannot be parsed. Listed before it is read: without list permission
 * S3 answers a missing key 403, not 404.
 */
export async function readUnusedReport(store: ObjectStore, month: string): Promise<StoredUnusedRow[]> {
  const key = unusedKey(month);
  const body = (await store.list(key)).includes(key) ? await store.get(key) : undefined;
  if (body === undefined) return [];
  try {
    return parseCsvRecords(body).map(({ record }) => record);
  } catch (error) {
    throw new ReportReadError(
      `${store.locate(key)} is not a readable unused report: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** A stored row as the monthly summary shows it. */
export function unusedListingOf(record: StoredUnusedRow): UnusedListing {
  const cell = (header: string) => record[header] ?? '';
  return {
    workspaceId: cell('workspace_id'),
    userName: cell('user_name'),
    account: cell('account'),
    region: cell('region'),
    directoryId: cell('directory_id'),
    runningMode: cell('running_mode'),
    lastConnection: cell('last_connection'),
    use: cell('use'),
    monthsUnused: cell('months_unused'),
    currency: cell('currency'),
    monthlyWaste: cell('monthly_waste'),
    verdict: cell('verdict'),
    removalAction: cell('removal_action'),
    removalOutcome: cell('removal_outcome'),
    error: cell('error'),
  };
}
