import type {
  DailyAggregateRun,
  DirectoryPart,
  DirectoryRows,
  DirectoryScope,
  KeptParts,
  ReportDay,
  ReportWrites,
  UnreadScope,
} from '../app/report-ports.js';
import type { WorkspaceResult } from '../app/workspace-result.js';
import type { ObjectStore, StreamingObjectStore } from '../ports/object-store.js';
import { compareText } from '../shared/compare-text.js';
import { errorMessage } from '../shared/errors.js';
import type { WriteFailure } from '../shared/write-failure.js';
import type { ReportRowContext } from './columns.js';
import { dailyReportColumns, EVALUATED } from './columns.js';
import type { Column } from './csv.js';
import { CSV_CONTENT_TYPE, csvLine, parseCsvRecords } from './csv.js';
import { reportKeys } from './keys.js';
import { ReportReadError } from './read-report-row.js';

export interface ReportDocument {
  readonly key: string;
  readonly body: string;
  /** Default `text/csv; charset=utf-8`. */
  readonly contentType?: string;
}

/** A stored daily report row, header -> cell, as an earlier run of the day wrote it. */
export type StoredRecord = Readonly<Record<string, string>>;

/** A row as a run keeps it until its directory is written: its sort key and its CSV line. */
interface Line {
  readonly workspaceId: string;
  readonly text: string;
}

/** The columns of a day's files (the standard ones, then its tag columns) and their header line. */
interface Layout {
  readonly columns: readonly Column<ReportRowContext>[];
  readonly headers: readonly string[];
  readonly headerLine: string;
}

function layoutOf(day: ReportDay): Layout {
  const columns = dailyReportColumns(day.tagColumns);
  const headers = columns.map((column) => column.header);
  return { columns, headers, headerLine: csvLine(headers) };
}

/**
 * The day's reports written as a run goes (docs/aws.md, "Reports that stream"):
 * each directory's file as soon as the directory is done, sorted by WorkSpace;
 * the aggregate as the directory files one after the other in report order
 * (account, region, directory), which is the contract's row order without
 * sorting, or holding, every row of the run.
 */
export class DailyReportWriter {
  /**
   * The lines of directory files that could not be written, by key, so that
   * the same process can still put them in the aggregate.
   */
  private readonly unwritten = new Map<string, readonly Line[]>();

  constructor(private readonly store: StreamingObjectStore) {}

  directory(scope: DirectoryScope, day: ReportDay): DirectoryRows {
    const { asOf } = day;
    const layout = layoutOf(day);
    const lines: Line[] = [];
    return {
      add: (result: WorkspaceResult) => {
        lines.push({
          workspaceId: result.workspace.workspaceId,
          text: csvLine(layout.columns.map((column) => column.cell({ result, asOf }))),
        });
      },
      finish: (complete: boolean) => this.writeDirectory(scope, asOf, layout, lines, complete),
    };
  }

  private async writeDirectory(
    scope: DirectoryScope,
    asOf: Date,
    layout: Layout,
    lines: Line[],
    complete: boolean,
  ): Promise<DirectoryPart> {
    const key = reportKeys.directory(asOf, scope.account, scope.region, scope.directoryId);
    const rows = lines.length;
    let kept: Line[] = [];
    if (!complete) {
      try {
        const evaluated = new Set(lines.map((line) => line.workspaceId));
        kept = (await this.earlierLines(key, layout)).filter((line) => !evaluated.has(line.workspaceId));
      } catch (error) {
        // Without the earlier rows a rewrite would drop them: the day keeps the file it has.
        return {
          scope,
          key,
          rows,
          kept: 0,
          unwritten: true,
          failures: [{ target: this.store.locate(key), message: errorMessage(error) }],
        };
      }
    }
    if (rows === 0 && kept.length === 0) return { scope, rows: 0, kept: 0, failures: [] };
    const sorted = [...lines, ...kept].sort((a, b) => compareText(a.workspaceId, b.workspaceId));
    const failures = await this.put(key, layout, sorted);
    if (failures.length > 0) this.unwritten.set(key, sorted);
    else this.unwritten.delete(key);
    return { scope, key, rows, kept: kept.length, unwritten: failures.length > 0, failures };
  }

  async keepUnread(day: ReportDay, unread: readonly UnreadScope[]): Promise<KeptParts> {
    if (unread.length === 0) return { parts: [], failures: [] };
    const { asOf } = day;
    const layout = layoutOf(day);
    const prefix = reportKeys.dailyPrefix(asOf);
    let keys: string[];
    try {
      keys = await this.store.list(prefix);
    } catch (error) {
      return { parts: [], failures: [{ target: this.store.locate(prefix), message: errorMessage(error) }] };
    }
    const wanted = keys.filter((key) =>
      unread.some((scope) =>
        scope.directoryId === undefined
          ? key.startsWith(`${prefix}${scope.account}_${scope.region}_`)
          : key === reportKeys.directory(asOf, scope.account, scope.region, scope.directoryId),
      ),
    );
    const parts: DirectoryPart[] = [];
    const failures: WriteFailure[] = [];
    for (const key of wanted) {
      let records: StoredRecord[];
      try {
        records = await this.earlierRecords(key);
      } catch (error) {
        failures.push({ target: this.store.locate(key), message: errorMessage(error) });
        continue;
      }
      const lines = records
        .map((record) => keptLine(record, layout))
        .sort((a, b) => compareText(a.workspaceId, b.workspaceId));
      const written = await this.put(key, layout, lines);
      failures.push(...written);
      parts.push({
        scope: scopeOf(key, prefix, records[0]),
        key,
        rows: 0,
        kept: lines.length,
        unwritten: written.length > 0,
        failures: written,
      });
      if (written.length > 0) this.unwritten.set(key, lines);
    }
    return { parts, failures };
  }

  async writeAggregate(run: DailyAggregateRun): Promise<ReportWrites> {
    const parts = run.parts
      .filter((part) => part.key !== undefined)
      .sort((a, b) => compareScopes(a.scope, b.scope));
    const missing = parts.filter((part) => part.unwritten && !this.unwritten.has(part.key!));
    const keys = [reportKeys.dailyAggregated(run.asOf)];
    if (run.monthEnd) keys.push(reportKeys.monthlyAggregated(run.asOf));
    if (missing.length > 0)
      return {
        written: [],
        failures: keys.map((key) => ({
          target: this.store.locate(key),
          message: `not written: the directory report${missing.length > 1 ? 's' : ''} ${missing
            .map((part) => part.key)
            .join(', ')} could not be written`,
        })),
      };
    const { headerLine } = layoutOf(run);
    const body = async function* (this: DailyReportWriter): AsyncIterable<string> {
      yield headerLine;
      for (const part of parts) {
        const held = this.unwritten.get(part.key!);
        if (held !== undefined) {
          for (const line of held) yield line.text;
          continue;
        }
        const stored = await this.store.getStream(part.key!);
        if (stored === undefined)
          throw new ReportReadError(
            `${this.store.locate(part.key!)} disappeared before the aggregate was written`,
          );
        yield* withoutHeader(stored);
      }
    }.bind(this);
    const written: string[] = [];
    const failures: WriteFailure[] = [];
    // One after the other: each streams every directory file once.
    for (const key of keys)
      try {
        await this.store.putStream(key, body(), CSV_CONTENT_TYPE);
        written.push(key);
      } catch (error) {
        failures.push({ target: this.store.locate(key), message: errorMessage(error) });
      }
    for (const part of parts) this.unwritten.delete(part.key!);
    return { written, failures };
  }

  /** Writes a directory file: the header and the lines; the failure, if any, as a value. */
  private async put(key: string, layout: Layout, lines: readonly Line[]): Promise<WriteFailure[]> {
    try {
      await this.store.putStream(key, textOf(layout, lines), CSV_CONTENT_TYPE);
      return [];
    } catch (error) {
      return [{ target: this.store.locate(key), message: errorMessage(error) }];
    }
  }

  private async earlierLines(key: string, layout: Layout): Promise<Line[]> {
    return (await this.earlierRecords(key)).map((record) => keptLine(record, layout));
  }

  /** The rows an earlier run of the day wrote to `key` (none when there is no such file). */
  private async earlierRecords(key: string): Promise<StoredRecord[]> {
    const body = await this.store.get(key);
    if (body === undefined) return [];
    try {
      return parseCsvRecords(body).map(({ record }) => record);
    } catch (error) {
      throw new ReportReadError(
        `${this.store.locate(key)} is not a readable report: ${errorMessage(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}

async function* textOf(layout: Layout, lines: readonly Line[]): AsyncIterable<string> {
  yield layout.headerLine;
  for (const line of lines) yield line.text;
}

/** An earlier row kept as it was, in this version's columns, marked not re-evaluated. */
function keptLine(record: StoredRecord, layout: Layout): Line {
  return {
    workspaceId: record.workspace_id ?? '',
    text: csvLine(
      layout.headers.map((header) => (header === 'evaluated' ? EVALUATED.NO : (record[header] ?? ''))),
    ),
  };
}

/** The text of a stored report without its header line (a header never holds a line break). */
export async function* withoutHeader(chunks: AsyncIterable<string>): AsyncIterable<string> {
  let head = '';
  let inHeader = true;
  for await (const chunk of chunks) {
    if (!inHeader) {
      yield chunk;
      continue;
    }
    head += chunk;
    const end = head.indexOf('\r\n');
    if (end < 0) continue;
    inHeader = false;
    const rest = head.slice(end + 2);
    head = '';
    if (rest !== '') yield rest;
  }
}

/** A kept file's scope: its rows' own account, region and directory, else its key's. */
function scopeOf(key: string, prefix: string, first: StoredRecord | undefined): DirectoryScope {
  if (first?.account !== undefined && first.region !== undefined && first.directory_id !== undefined)
    return { account: first.account, region: first.region, directoryId: first.directory_id };
  const [account = '', region = '', ...rest] = key.slice(prefix.length, -'.csv'.length).split('_');
  return { account, region, directoryId: rest.join('_') };
}

/** The contract's row order, at the level of whole directory files. */
function compareScopes(a: DirectoryScope, b: DirectoryScope): number {
  return (
    compareText(a.account, b.account) ||
    compareText(a.region, b.region) ||
    compareText(a.directoryId, b.directoryId)
  );
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
