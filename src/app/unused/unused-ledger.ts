import { z } from 'zod';
import type { DocumentStore } from '../../ports/document-store.js';
import { compareText } from '../../shared/compare-text.js';
import { WcoError } from '../../shared/errors.js';

/**
 * What the unused review remembers between runs, per account and region, in
 * one small document (`ledger/unused/<account>_<region>.json`): when a
 * never-used WorkSpace was first seen (its age: `DescribeWorkspaces` gives no
 * creation time), when it was first listed as unused this month (removal waits
 * for a later run, so the owner can tag an exemption), and every removal,
 * written **before** the call and settled after it. Only WorkSpaces that are
 * unused (or of unknown use) have a record; one seen in use again loses it.
 */

export const RemovalStatus = {
  INTENDED: 'INTENDED',
  DONE: 'DONE',
  FAILED: 'FAILED',
} as const;
export type RemovalStatus = (typeof RemovalStatus)[keyof typeof RemovalStatus];

/**
 * Whether an event has gone out: `published: false` from the write that makes
 * it due until a run published it. Absent in records from before the outbox,
 * whose run published (or lost) its events: they count as published.
 */
const eventSchema = z.object({ published: z.boolean(), publishedAt: z.string().optional() });
export type EventMark = z.infer<typeof eventSchema>;

const removalSchema = z.object({
  month: z.string(),
  /** Which attempt of the month (a `FAILED` removal is tried again); absent: the first. */
  attempt: z.number().int().positive().optional(),
  action: z.enum(['TERMINATE', 'STOP', 'TO_AUTO_STOP']),
  status: z.enum(['INTENDED', 'DONE', 'FAILED']),
  runId: z.string(),
  /** `T` of the run that removed it. */
  asOf: z.string(),
  /** Wall-clock times of the intent and the outcome. */
  claimedAt: z.string(),
  settledAt: z.string().optional(),
  error: z.string().optional(),
  /** What its event says (absent in records from before the outbox). */
  directoryId: z.string().optional(),
  userName: z.string().optional(),
  monthsUnused: z.number().int().nonnegative().optional(),
  /** Its `Unused WorkSpace Removed` (or `... Removal Failed`) event, sent once settled. */
  event: eventSchema.optional(),
});
export type RemovalRecord = z.infer<typeof removalSchema>;

const recordSchema = z.object({
  /** `T` of the first run that saw it with no connection ever. */
  firstSeen: z.string().optional(),
  /** The first run of `month` that listed it as unused. */
  announced: z
    .object({
      month: z.string(),
      asOf: z.string(),
      /** What the listing event says of it, should a later run have to send it. */
      userName: z.string().optional(),
      monthsUnused: z.number().int().nonnegative().optional(),
      waste: z.object({ currency: z.string(), amount: z.string() }).optional(),
      /** Its part in the `WorkSpaces Unused Listed` event of the run at `asOf`. */
      event: eventSchema.optional(),
    })
    .optional(),
  removal: removalSchema.optional(),
  /** Earlier attempts this month, `FAILED`, replaced by a new one before their event went out. */
  unpublished: z.array(removalSchema).optional(),
});
export type UnusedRecord = z.infer<typeof recordSchema>;

const documentSchema = z.object({
  schema: z.literal(1),
  account: z.string(),
  region: z.string(),
  workspaces: z.record(z.string(), recordSchema),
});

/** The unused ledger of one account and region, as read, with the version a write must match. */
export interface UnusedRecords {
  readonly account: string;
  readonly region: string;
  readonly records: ReadonlyMap<string, UnusedRecord>;
  /** The stored version; `undefined`: none stored yet. */
  readonly version: string | undefined;
}

/** The unused ledger could not be read or written: nothing is removed in that region. */
export class UnusedLedgerError extends WcoError {
  override readonly name = 'UnusedLedgerError';
}

/** An event not sent yet (absent: from before the outbox, counts as sent). */
export const eventPending = (event: EventMark | undefined) => event?.published === false;

/** A record holding an event no run has published yet: kept until one has. */
export const hasPendingEvent = (record: UnusedRecord) =>
  eventPending(record.announced?.event) ||
  eventPending(record.removal?.event) ||
  (record.unpublished ?? []).some((removal) => eventPending(removal.event));

/**
 * The stable id of one removal attempt, carried by its event: the audit trail
 * keeps one record per id however often the event is delivered or republished.
 */
export const removalRecordId = (
  account: string,
  region: string,
  workspaceId: string,
  removal: RemovalRecord,
) => `unused/${removal.month}/${account}/${region}/${workspaceId}/${removal.attempt ?? 1}`;

export const unusedLedgerKey = (account: string, region: string) => `ledger/unused/${account}_${region}.json`;

/** The unused review's memory, in the report bucket next to the conversion ledger (conditional writes). */
export class UnusedLedger {
  constructor(private readonly store: DocumentStore) {}

  /**
   * Rejects when the document exists but cannot be read or parsed. Listed
   * before it is read: without list permission S3 answers a missing key 403.
   */
  async open(account: string, region: string): Promise<UnusedRecords> {
    const key = unusedLedgerKey(account, region);
    const exists = (await this.store.list(key)).includes(key);
    const stored = exists ? await this.store.read(key) : undefined;
    if (stored === undefined) return { account, region, records: new Map(), version: undefined };
    let parsed: z.output<typeof documentSchema>;
    try {
      parsed = documentSchema.parse(JSON.parse(stored.body));
    } catch (error) {
      throw new UnusedLedgerError(`${this.store.locate(key)} is not a readable unused ledger`, {
        cause: error,
      });
    }
    return { account, region, records: new Map(Object.entries(parsed.workspaces)), version: stored.version };
  }

  /** Every account region's records (for the demo, which puts the removals back into its fleet). */
  async all(): Promise<UnusedRecords[]> {
    const all: UnusedRecords[] = [];
    for (const { account, region } of await this.scopes()) all.push(await this.open(account, region));
    return all;
  }

  /** The account regions that have a ledger (one listing). */
  async scopes(): Promise<{ account: string; region: string }[]> {
    const keys = await this.store.list('ledger/unused/');
    return keys.flatMap((key) => {
      const match = /^ledger\/unused\/(\d{12})_([^/]+)\.json$/.exec(key);
      return match ? [{ account: match[1]!, region: match[2]! }] : [];
    });
  }

  /**
   * Reads the region's records, changes them and writes them back if still at
   * the version read; when another run wrote meanwhile, reads again and retries
   * (a few times): `change` must be idempotent. Rejects when that fails.
   */
  async update(
    account: string,
    region: string,
    change: (records: ReadonlyMap<string, UnusedRecord>) => ReadonlyMap<string, UnusedRecord>,
  ): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.open(account, region);
      const written = await this.trySave(current, change(current.records));
      if (written !== undefined) return;
      if (attempt === 2)
        throw new UnusedLedgerError(
          `${this.store.locate(unusedLedgerKey(account, region))} kept changing while it was updated`,
        );
    }
  }

  /**
   * Writes `records` if the stored document is still the one `current` was
   * read at; rejects when another run wrote it meanwhile, or the write failed.
   */
  async save(current: UnusedRecords, records: ReadonlyMap<string, UnusedRecord>): Promise<UnusedRecords> {
    const saved = await this.trySave(current, records);
    if (saved === undefined)
      throw new UnusedLedgerError(
        `${this.store.locate(unusedLedgerKey(current.account, current.region))} was written by another run meanwhile`,
      );
    return saved;
  }

  /** `save`, resolving `undefined` when another run wrote the document meanwhile. */
  private async trySave(
    current: UnusedRecords,
    records: ReadonlyMap<string, UnusedRecord>,
  ): Promise<UnusedRecords | undefined> {
    const key = unusedLedgerKey(current.account, current.region);
    const body = `${JSON.stringify(
      {
        schema: 1,
        account: current.account,
        region: current.region,
        workspaces: Object.fromEntries([...records].sort(([a], [b]) => compareText(a, b))),
      },
      null,
      2,
    )}\n`;
    const answer =
      current.version === undefined
        ? await this.store.create(key, body)
        : await this.store.replace(key, body, current.version);
    return answer.written ? { ...current, records, version: answer.version } : undefined;
  }
}
