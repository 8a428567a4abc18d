import pLimit from 'p-limit';
import { errorMessage, WcoError } from '../../shared/errors.js';
import type { DocumentStore } from '../../ports/document-store.js';
import type { LedgerEntry, LedgerScope, VersionedEntry } from './ledger-entry.js';
import {
  entryKeyOf,
  ledgerKeys,
  LedgerStatus,
  outboxKeyOf,
  parseLedgerEntry,
  parseLedgerIndex,
  serializeLedgerEntry,
  serializeLedgerIndex,
} from './ledger-entry.js';
import { latestTimeouts } from './ledger-rules.js';

/** What a run knows from the ledger about the WorkSpaces of one account, region and month. */
export interface LedgerView {
  /** The month's entries by WorkSpace id. */
  readonly entries: ReadonlyMap<string, VersionedEntry>;
  /** WorkSpaces whose entry exists but cannot be read or parsed: never converted blindly. */
  readonly unreadable: ReadonlyMap<string, string>;
  /** The AutoStop timeout each WorkSpace had when wco last switched it to AlwaysOn (any month). */
  readonly recordedTimeouts: ReadonlyMap<string, number>;
}

/** One account's region of one month, as a run reads it: a batch of WorkSpaces at a time. */
export interface LedgerScopeReader {
  /** WorkSpaces with an entry this month. */
  readonly workspaceIds: ReadonlySet<string>;
  /** The AutoStop timeout each WorkSpace had when wco last switched it to AlwaysOn (any month). */
  readonly recordedTimeouts: ReadonlyMap<string, number>;
  /** The view of these WorkSpaces: their entries and the region's timeouts. */
  viewOf(workspaceIds: readonly string[]): Promise<LedgerView>;
}

export type ClaimAnswer =
  | { readonly kind: 'claimed'; readonly claimed: VersionedEntry }
  /** Another run wrote the entry first; `current` is what it wrote (undefined if it vanished). */
  | { readonly kind: 'lost'; readonly current: VersionedEntry | undefined };

export interface DrainResult {
  /** Entries whose events were published and marked by this drain. */
  readonly published: readonly LedgerEntry[];
  /** Entries still waiting (unsettled, or their publish failed). */
  readonly pending: number;
  /** What could not be read, published or marked, for the run summary. */
  readonly problems: readonly string[];
}

/**
 * Publishes the events of `entries`; resolves to the ids of the entries whose
 * events went out and, when some did not, why. Rejecting means none went out.
 */
export type PublishEntries = (
  entries: readonly LedgerEntry[],
) => Promise<{ readonly sent: ReadonlySet<string>; readonly problem?: string | undefined }>;

const TIMEOUT_MARKER = /^([^/]+)\/(\d{4}-\d{2})_(\d+)$/;

/**
 * The conversion ledger (`../shared/docs/billing-rules.md`, "Across runs") on a
 * `DocumentStore`: every write is conditional, so two runs never both claim a
 * conversion, and every write the next run depends on happens before the side
 * effect it protects. Reading a region's month costs one listing per 1,000
 * entries plus one read per entry (one per WorkSpace converted that month).
 */
export class ConversionLedger {
  constructor(
    private readonly store: DocumentStore,
    private readonly readConcurrency = 16,
  ) {}

  locate(key: string): string {
    return this.store.locate(key);
  }

  /**
   * The month's entries of one account and region, and the region's remembered
   * timeouts. Reads only what changed: one listing of the entries with their
   * versions (S3 lists ETags), the scope's index (the entries as the last run
   * read them, with their versions), and the entries whose version the index
   * does not hold, then the index again when anything changed. A stale or lost
   * index only costs reads: an entry is taken from it only at the listed version.
   * Rejects when listing fails. `readOnly` (dry runs) never writes the index.
   */
  async load(scope: LedgerScope, options: { readonly readOnly?: boolean } = {}): Promise<LedgerView> {
    const [listed, timeoutKeys, index] = await Promise.all([
      this.store.listVersions(ledgerKeys.scopePrefix(scope)),
      this.store.list(ledgerKeys.timeoutsPrefix(scope.account, scope.region)),
      this.readIndex(scope),
    ]);
    const entries = new Map<string, VersionedEntry>();
    const unreadable = new Map<string, string>();
    const fresh: Record<string, VersionedEntry> = {};
    const prefixLength = ledgerKeys.scopePrefix(scope).length;
    const limit = pLimit(this.readConcurrency);
    let changed = index.version === undefined;
    await Promise.all(
      listed
        .filter(({ key }) => key.endsWith('.json'))
        .map(({ key, version }) =>
          limit(async () => {
            const workspaceId = key.slice(prefixLength, -'.json'.length);
            const known = index.entries[key];
            if (known !== undefined && known.version === version) {
              entries.set(workspaceId, known);
              fresh[key] = known;
              return;
            }
            changed = true;
            const read = await this.readEntry(key);
            if (read.ok) {
              if (read.value === undefined) return;
              entries.set(workspaceId, read.value);
              fresh[key] = read.value;
            } else unreadable.set(workspaceId, read.error);
          }),
        ),
    );
    if (Object.keys(index.entries).length !== Object.keys(fresh).length) changed = true;
    if (changed && options.readOnly !== true) await this.writeIndex(scope, fresh, index.version);
    const prefix = ledgerKeys.timeoutsPrefix(scope.account, scope.region);
    const markers = timeoutKeys.flatMap((key) => {
      const match = TIMEOUT_MARKER.exec(key.slice(prefix.length));
      return match ? [{ workspaceId: match[1]!, month: match[2]!, minutes: Number(match[3]) }] : [];
    });
    return { entries, unreadable, recordedTimeouts: latestTimeouts(markers) };
  }

  /**
   * Opens one account's region for a run: `load`'s reads (a listing with
   * versions, the index, the entries that changed), handed out a batch of
   * WorkSpaces at a time. Rejects when listing fails.
   */
  async open(scope: LedgerScope, options: { readonly readOnly?: boolean } = {}): Promise<LedgerScopeReader> {
    const view = await this.load(scope, options);
    return {
      workspaceIds: new Set([...view.entries.keys(), ...view.unreadable.keys()]),
      recordedTimeouts: view.recordedTimeouts,
      viewOf: async (wanted) => {
        const entries = new Map<string, VersionedEntry>();
        const unreadable = new Map<string, string>();
        for (const workspaceId of wanted) {
          const entry = view.entries.get(workspaceId);
          if (entry !== undefined) entries.set(workspaceId, entry);
          const problem = view.unreadable.get(workspaceId);
          if (problem !== undefined) unreadable.set(workspaceId, problem);
        }
        return { entries, unreadable, recordedTimeouts: view.recordedTimeouts };
      },
    };
  }

  /**
   * Records the intent to convert, before `ModifyWorkspaceProperties`: first
   * the outbox marker (so a run that dies after this point is finished by the
   * next one), for a switch to AlwaysOn the remembered timeout, then the entry
   * itself, created when new and replaced (`If-Match`) when it was `FAILED` or
   * an expired claim. Rejects when a write fails: then nothing may be converted.
   */
  async claim(intent: LedgerEntry, existing: VersionedEntry | undefined): Promise<ClaimAnswer> {
    const key = entryKeyOf(intent);
    await this.store.create(outboxKeyOf(intent), key);
    if (intent.toMode === 'ALWAYS_ON')
      await this.store.create(
        ledgerKeys.timeout(
          intent.account,
          intent.region,
          intent.workspaceId,
          intent.month,
          intent.idleTimeoutMinutes,
        ),
        // The key says it all; a body keeps S3 clients from treating the upload as a stream of unknown length.
        String(intent.idleTimeoutMinutes),
      );
    const body = serializeLedgerEntry(intent);
    const answer =
      existing === undefined
        ? await this.store.create(key, body)
        : await this.store.replace(key, body, existing.version);
    if (answer.written) return { kind: 'claimed', claimed: { entry: intent, version: answer.version } };
    const current = await this.readEntry(key);
    if (!current.ok) throw new LedgerReadError(current.error);
    return { kind: 'lost', current: current.value };
  }

  /**
   * Settles a claim with the result of the modify. Retries a lost race only
   * while the stored entry is still this claim; resolves `undefined` when
   * another run has taken it over meanwhile (its settle then stands).
   */
  async settle(
    claimed: VersionedEntry,
    result: {
      readonly status: typeof LedgerStatus.APPLIED | typeof LedgerStatus.FAILED;
      readonly at: Date;
      readonly error?: string | undefined;
    },
  ): Promise<VersionedEntry | undefined> {
    const key = entryKeyOf(claimed.entry);
    const settled: LedgerEntry = {
      ...claimed.entry,
      status: result.status,
      settledAt: result.at.toISOString(),
      ...(result.error === undefined ? {} : { error: result.error }),
    };
    let version = claimed.version;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const answer = await this.store.replace(key, serializeLedgerEntry(settled), version);
      if (answer.written) return { entry: settled, version: answer.version };
      const current = await this.readEntry(key);
      if (!current.ok) throw new LedgerReadError(current.error);
      const still = current.value?.entry;
      if (
        still === undefined ||
        still.status !== LedgerStatus.INTENDED ||
        still.runId !== claimed.entry.runId ||
        still.claimedAt !== claimed.entry.claimedAt
      )
        return undefined;
      version = current.value!.version;
    }
    throw new LedgerReadError(`${this.store.locate(key)} kept changing while it was settled`);
  }

  /** Every entry of a month, all accounts and regions (the monthly summary, `wco ledger`). */
  async entriesOfMonth(month: string): Promise<{ entries: LedgerEntry[]; problems: string[] }> {
    const keys = (await this.store.list(ledgerKeys.monthPrefix(month))).filter((key) =>
      key.endsWith('.json'),
    );
    const limit = pLimit(this.readConcurrency);
    const reads = await Promise.all(keys.map((key) => limit(() => this.readEntry(key))));
    const entries: LedgerEntry[] = [];
    const problems: string[] = [];
    reads.forEach((read) => {
      if (!read.ok) problems.push(read.error);
      else if (read.value !== undefined) entries.push(read.value.entry);
    });
    return { entries, problems };
  }

  /**
   * The outbox: every entry with a marker is looked at; the events of settled
   * entries not yet published are published, `APPLIED` and `FAILED` alike (a
   * failed conversion leaves a record in the audit trail too), at least once:
   * a marked entry's event is never sent again, an unmarked one is sent again
   * by the next run and the audit keeps it once by its record id (and attempt).
   * Then the entry is marked and the marker goes. Unsettled entries wait.
   */
  async drainOutbox(publish: PublishEntries, now: Date): Promise<DrainResult> {
    const problems: string[] = [];
    let markers: string[];
    try {
      markers = await this.store.list(ledgerKeys.outboxPrefix);
    } catch (error) {
      return { published: [], pending: 0, problems: [errorMessage(error)] };
    }
    const limit = pLimit(this.readConcurrency);
    const toPublish: { marker: string; entry: VersionedEntry }[] = [];
    let pending = 0;
    await Promise.all(
      markers.map((marker) =>
        limit(async () => {
          const read = await this.readEntry(ledgerKeys.entryOfOutbox(marker));
          if (!read.ok) {
            problems.push(read.error);
            pending += 1;
          } else if (read.value === undefined) await this.removeMarker(marker, problems);
          else if (read.value.entry.status === LedgerStatus.INTENDED) pending += 1;
          else if (read.value.entry.event.published) await this.removeMarker(marker, problems);
          else toPublish.push({ marker, entry: read.value });
        }),
      ),
    );
    if (toPublish.length === 0) return { published: [], pending, problems };
    let sent: ReadonlySet<string>;
    try {
      const answer = await publish(toPublish.map(({ entry }) => entry.entry));
      sent = answer.sent;
      if (answer.problem !== undefined) problems.push(`events: ${answer.problem}`);
    } catch (error) {
      problems.push(`events: ${errorMessage(error)}`);
      sent = new Set();
    }
    const published: LedgerEntry[] = [];
    await Promise.all(
      toPublish.map(({ marker, entry }) =>
        limit(async () => {
          if (!sent.has(entry.entry.id)) {
            pending += 1;
            return;
          }
          const marked = await this.markPublished(entry, now, problems);
          if (marked) {
            published.push(marked);
            await this.removeMarker(marker, problems);
          }
        }),
      ),
    );
    return { published, pending, problems };
  }

  private async markPublished(
    versioned: VersionedEntry,
    now: Date,
    problems: string[],
  ): Promise<LedgerEntry | undefined> {
    const key = entryKeyOf(versioned.entry);
    let current = versioned;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const marked: LedgerEntry = {
        ...current.entry,
        event: { published: true, publishedAt: now.toISOString() },
      };
      try {
        const answer = await this.store.replace(key, serializeLedgerEntry(marked), current.version);
        if (answer.written) return marked;
        const read = await this.readEntry(key);
        if (!read.ok || read.value === undefined) break;
        if (read.value.entry.event.published) return undefined;
        current = read.value;
      } catch (error) {
        problems.push(errorMessage(error));
        return undefined;
      }
    }
    problems.push(`${this.store.locate(key)}: published, but could not be marked (it will be sent again)`);
    return undefined;
  }

  private async readIndex(
    scope: LedgerScope,
  ): Promise<{ entries: Readonly<Record<string, VersionedEntry>>; version: string | undefined }> {
    try {
      const document = await this.store.read(ledgerKeys.index(scope));
      if (document === undefined) return { entries: {}, version: undefined };
      return { entries: parseLedgerIndex(document.body), version: document.version };
    } catch {
      // The index is a cache of documents read one by one otherwise: without it, they are.
      return { entries: {}, version: undefined };
    }
  }

  /**
   * Best effort: the index only saves the next run reads, so a lost race (another
   * run wrote it) or a refused write is not a failure of this run.
   */
  private async writeIndex(
    scope: LedgerScope,
    entries: Readonly<Record<string, VersionedEntry>>,
    version: string | undefined,
  ): Promise<void> {
    const body = serializeLedgerIndex(entries);
    const key = ledgerKeys.index(scope);
    try {
      if (version === undefined) await this.store.create(key, body);
      else await this.store.replace(key, body, version);
    } catch {
      // See above: the next run reads the entries one by one and tries again.
    }
  }

  private async removeMarker(marker: string, problems: string[]): Promise<void> {
    try {
      await this.store.remove(marker);
    } catch (error) {
      problems.push(errorMessage(error));
    }
  }

  private async readEntry(
    key: string,
  ): Promise<{ ok: true; value: VersionedEntry | undefined } | { ok: false; error: string }> {
    try {
      const document = await this.store.read(key);
      if (document === undefined) return { ok: true, value: undefined };
      return { ok: true, value: { entry: parseLedgerEntry(document.body), version: document.version } };
    } catch (error) {
      return { ok: false, error: `${this.store.locate(key)}: ${errorMessage(error)}` };
    }
  }
}

/** The ledger could not be read where a decision depends on it. */
export class LedgerReadError extends WcoError {
  override readonly name = 'LedgerReadError';
}
