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

const removalSchema = z.object({
  month: z.string(),
  action: z.enum(['TERMINATE', 'STOP', 'TO_AUTO_STOP']),
  status: z.enum(['INTENDED', 'DONE', 'FAILED']),
  runId: z.string(),
  /** `T` of the run that removed it. */
  asOf: z.string(),
  /** Wall-clock times of the intent and the outcome. */
  claimedAt: z.string(),
  settledAt: z.string().optional(),
  error: z.string().optional(),
});
export type RemovalRecord = z.infer<typeof removalSchema>;

const recordSchema = z.object({
  /** `T` of the first run that saw it with no connection ever. */
  firstSeen: z.string().optional(),
  /** The first run of `month` that listed it as unused. */
  announced: z.object({ month: z.string(), asOf: z.string() }).optional(),
  removal: removalSchema.optional(),
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
    const keys = await this.store.list('ledger/unused/');
    const all: UnusedRecords[] = [];
    for (const key of keys) {
      const match = /^ledger\/unused\/(\d{12})_([^/]+)\.json$/.exec(key);
      if (match) all.push(await this.open(match[1]!, match[2]!));
    }
    return all;
  }

  /**
   * Writes `records` if the stored document is still the one `current` was
   * read at; rejects when another run wrote it meanwhile, or the write failed.
   */
  async save(current: UnusedRecords, records: ReadonlyMap<string, UnusedRecord>): Promise<UnusedRecords> {
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
    if (!answer.written)
      throw new UnusedLedgerError(`${this.store.locate(key)} was written by another run meanwhile`);
    return { ...current, records, version: answer.version };
  }
}
