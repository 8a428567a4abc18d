import { addDays, differenceInCalendarDays } from 'date-fns';
import { UTCDate } from '@date-fns/utc';
import pLimit from 'p-limit';
import { errorMessage } from '../shared/errors.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { EventAuditRecord, EventKind } from './audit-record.js';
import { EVENT_KINDS, EventAuditRecord as EventAuditRecordSchema } from './audit-record.js';
import { auditKeys, utcDate } from './audit-keys.js';

export interface AuditQuery {
  /** Records at or after this instant. */
  readonly since?: Date | undefined;
  /** Records strictly before this instant. */
  readonly until?: Date | undefined;
  readonly workspaceId?: string | undefined;
  /** Default: every kind of valid event. */
  readonly kinds?: readonly EventKind[] | undefined;
}

export interface AuditQueryResult {
  /** Newest first; each event once, however often it was delivered. */
  readonly records: readonly EventAuditRecord[];
  /** Lines or objects that could not be read, each with where and why; they do not stop the query. */
  readonly problems: readonly string[];
  readonly objectsRead: number;
}

/** Beyond this many days, one listing per kind is cheaper than one per day. */
const MAX_DAILY_LISTINGS = 92;
const READ_CONCURRENCY = 8;

/**
 * Reads the audit records matching `query` from `store`, reading only the
 * `kind=`/`dt=` partitions in the time range, and returns them newest first.
 * The writer is at-least-once (a message redelivered in a different batch
 * lands in a second object), so records are de-duplicated by `eventId`.
 */
export async function queryAudit(store: ObjectStore, query: AuditQuery): Promise<AuditQueryResult> {
  const kinds = query.kinds && query.kinds.length > 0 ? [...new Set(query.kinds)] : [...EVENT_KINDS];
  const firstDt = query.since ? utcDate(query.since) : undefined;
  const lastDt = query.until ? utcDate(new Date(query.until.getTime() - 1)) : undefined;
  if (firstDt !== undefined && lastDt !== undefined && lastDt < firstDt)
    return { records: [], problems: [], objectsRead: 0 };

  const limit = pLimit(READ_CONCURRENCY);
  const keys = (
    await Promise.all(kinds.map((kind) => partitionKeys(store, kind, firstDt, lastDt, limit)))
  ).flat();
  const problems: string[] = [];
  const read = await Promise.all(
    keys.map((key) =>
      limit(async () => {
        try {
          return parseObject(store, key, (await store.get(key)) ?? '', problems);
        } catch (error) {
          problems.push(`${store.locate(key)}: ${errorMessage(error)}`);
          return [];
        }
      }),
    ),
  );

  const since = query.since?.getTime() ?? -Infinity;
  const until = query.until?.getTime() ?? Infinity;
  const seen = new Set<string>();
  const records = read
    .flat()
    .filter((record) => {
      const time = Date.parse(record.time);
      if (time < since || time >= until) return false;
      if (!kinds.includes(record.kind)) return false;
      if (query.workspaceId !== undefined && record.workspaceId !== query.workspaceId) return false;
      if (seen.has(record.eventId)) return false;
      seen.add(record.eventId);
      return true;
    })
    .sort(newestFirst);
  return { records, problems, objectsRead: keys.length };
}

async function partitionKeys(
  store: ObjectStore,
  kind: EventKind,
  firstDt: string | undefined,
  lastDt: string | undefined,
  limit: ReturnType<typeof pLimit>,
): Promise<string[]> {
  const inRange = (key: string) => {
    const dt = auditKeys.dtOf(key);
    return (
      dt !== undefined && (firstDt === undefined || dt >= firstDt) && (lastDt === undefined || dt <= lastDt)
    );
  };
  if (firstDt !== undefined && lastDt !== undefined) {
    const first = new UTCDate(`${firstDt}T00:00:00Z`);
    const days = differenceInCalendarDays(new UTCDate(`${lastDt}T00:00:00Z`), first) + 1;
    if (days <= MAX_DAILY_LISTINGS) {
      const dts = Array.from({ length: days }, (_, index) => utcDate(addDays(first, index)));
      const listed = await Promise.all(
        dts.map((dt) => limit(() => store.list(auditKeys.partitionPrefix(kind, dt)))),
      );
      return listed.flat().filter(inRange);
    }
  }
  return (await store.list(auditKeys.kindPrefix(kind))).filter(inRange);
}

function parseObject(store: ObjectStore, key: string, body: string, problems: string[]): EventAuditRecord[] {
  const records: EventAuditRecord[] = [];
  body.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${store.locate(key)} line ${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push(`${where}: not JSON: ${(error as Error).message}`);
      return;
    }
    const parsed = EventAuditRecordSchema.safeParse(json);
    if (parsed.success) records.push(parsed.data);
    else
      problems.push(
        `${where}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; ')}`,
      );
  });
  return records;
}

/** At the same instant a run's record goes above its conversions, which it completes. */
const TIE_RANK: Readonly<Record<EventKind, number>> = {
  run: 0,
  conversion: 1,
  conversion_failed: 1,
  unused_removal: 1,
  login: 2,
};

function newestFirst(a: EventAuditRecord, b: EventAuditRecord): number {
  return (
    Date.parse(b.time) - Date.parse(a.time) ||
    TIE_RANK[a.kind] - TIE_RANK[b.kind] ||
    (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}
