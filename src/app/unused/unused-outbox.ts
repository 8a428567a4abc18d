import type { Money } from '../../billing/index.js';
import { money } from '../../billing/index.js';
import type { EventSink, OptimizerEvent } from '../../ports/event-sink.js';
import { OptimizerDetailType, UNUSED_LISTED_MAX_ITEMS } from '../../ports/event-sink.js';
import { compareText } from '../../shared/compare-text.js';
import { errorMessage } from '../../shared/errors.js';
import type { TrackedEvent } from '../publish-tracked.js';
import { publishTracked } from '../publish-tracked.js';
import { listingIdOf } from './unused-events.js';
import type { RemovalRecord, UnusedLedger, UnusedRecord } from './unused-ledger.js';
import { eventPending, RemovalStatus, removalRecordId } from './unused-ledger.js';

export interface UnusedOutboxResult {
  /** Events published and marked by this drain. */
  readonly published: number;
  /** Events still due (their publish failed, or their mark could not be written). */
  readonly pending: number;
  /** What could not be read, published or marked, for the run summary: the run fails. */
  readonly problems: readonly string[];
}

export interface UnusedOutboxRun {
  /** The publishing run's account, `UNUSED_MONTHS` and removal setting (a republished listing says them). */
  readonly account: string;
  readonly months: number;
  readonly removal: boolean;
  readonly now: Date;
  /** This run's listing (`unusedEvents`), richer than the ledger's: sent in place of its group. */
  readonly listing?: OptimizerEvent | undefined;
}

interface Due extends TrackedEvent {
  readonly account: string;
  readonly region: string;
}

/**
 * The unused ledger's outbox: every account region's records (this run's and
 * earlier runs', whichever account or region they are in) are read; the event
 * of every settled removal not yet published, and the listing of every run
 * whose listed WorkSpaces are not yet marked announced, are published; then
 * each is marked published with a conditional write. At least once: a marked
 * event is never sent again, an unmarked one is sent again by the next run,
 * and carries the same id (removal: the ledger's record id; listing: the run
 * that listed) so the audit keeps it once. A removal still `INTENDED` waits.
 */
export async function drainUnusedOutbox(
  ledger: UnusedLedger,
  sink: EventSink,
  run: UnusedOutboxRun,
): Promise<UnusedOutboxResult> {
  const problems: string[] = [];
  let scopes: { account: string; region: string }[];
  try {
    scopes = await ledger.scopes();
  } catch (error) {
    return { published: 0, pending: 0, problems: [`unused ledger: ${errorMessage(error)}`] };
  }
  const due: Due[] = [];
  const listings = new Map<string, ListedWorkspace[]>();
  const listedByMonth = new Map<string, number>();
  for (const { account, region } of scopes) {
    let records: ReadonlyMap<string, UnusedRecord>;
    try {
      records = (await ledger.open(account, region)).records;
    } catch (error) {
      problems.push(`unused ledger ${account} ${region}: ${errorMessage(error)}`);
      continue;
    }
    for (const [workspaceId, record] of records) {
      for (const removal of removalsOf(record))
        if (eventPending(removal.event) && removal.status !== RemovalStatus.INTENDED)
          due.push({
            account,
            region,
            id: removalRecordId(account, region, workspaceId, removal),
            event: removalEvent(account, region, workspaceId, removal),
          });
      const announced = record.announced;
      if (announced === undefined) continue;
      listedByMonth.set(announced.month, (listedByMonth.get(announced.month) ?? 0) + 1);
      if (!eventPending(announced.event)) continue;
      const listing = listings.get(announced.asOf) ?? [];
      listing.push({ account, region, workspaceId, announced });
      listings.set(announced.asOf, listing);
    }
  }
  const listingEvents = [...listings].map(([asOf, listed]) => ({
    listed,
    id: listingIdOf(asOf),
    event:
      run.listing?.detailType === OptimizerDetailType.UNUSED_LISTED &&
      run.listing.detail.listingId === listingIdOf(asOf)
        ? run.listing
        : listingEvent(run, asOf, listed, listedByMonth.get(listed[0]!.announced.month) ?? listed.length),
  }));
  const tracked: TrackedEvent[] = [...due, ...listingEvents];
  if (tracked.length === 0) return { published: 0, pending: 0, problems };

  let sent: ReadonlySet<string>;
  try {
    const answer = await publishTracked(sink, tracked);
    sent = answer.sent;
    if (answer.problem !== undefined) problems.push(`unused events: ${answer.problem}`);
  } catch (error) {
    problems.push(`unused events: ${errorMessage(error)}`);
    sent = new Set();
  }

  // Marked per account region, one conditional write each, for what went out.
  const marks = new Map<string, { account: string; region: string; ids: Set<string> }>();
  const mark = (account: string, region: string, id: string) => {
    const key = `${account}\u0000${region}`;
    const one = marks.get(key) ?? { account, region, ids: new Set<string>() };
    one.ids.add(id);
    marks.set(key, one);
  };
  for (const one of due) if (sent.has(one.id)) mark(one.account, one.region, one.id);
  for (const listing of listingEvents)
    if (sent.has(listing.id))
      for (const member of listing.listed) mark(member.account, member.region, listing.id);
  const unmarked = new Set<string>();
  for (const { account, region, ids } of marks.values()) {
    try {
      await ledger.update(account, region, (records) =>
        markPublished(account, region, records, ids, run.now.toISOString()),
      );
    } catch (error) {
      for (const id of ids) unmarked.add(id);
      problems.push(
        `unused ledger ${account} ${region}: published, but could not be marked (sent again next run): ${errorMessage(error)}`,
      );
    }
  }
  // Counted in events, as the conversion outbox counts them: a listing is one event however many it lists.
  const published = tracked.filter((event) => sent.has(event.id) && !unmarked.has(event.id)).length;
  return { published, pending: tracked.length - published, problems };
}

interface ListedWorkspace {
  readonly account: string;
  readonly region: string;
  readonly workspaceId: string;
  readonly announced: NonNullable<UnusedRecord['announced']>;
}

const removalsOf = (record: UnusedRecord): RemovalRecord[] => [
  ...(record.unpublished ?? []),
  ...(record.removal === undefined ? [] : [record.removal]),
];

/** A removal's event, rebuilt from its ledger record whenever it is (re)published: the same every time. */
export function removalEvent(
  account: string,
  region: string,
  workspaceId: string,
  removal: RemovalRecord,
): OptimizerEvent {
  return {
    detailType:
      removal.status === RemovalStatus.DONE
        ? OptimizerDetailType.UNUSED_REMOVED
        : OptimizerDetailType.UNUSED_REMOVAL_FAILED,
    detail: {
      workspaceId,
      directoryId: removal.directoryId ?? '',
      account,
      region,
      userName: removal.userName ?? '',
      action: removal.action,
      monthsUnused: removal.monthsUnused ?? 0,
      // The removal's T, whenever it is sent: the audit files every delivery under the same date.
      asOf: removal.asOf,
      ...(removal.error === undefined ? {} : { error: removal.error }),
      recordId: removalRecordId(account, region, workspaceId, removal),
    },
  };
}

/** The listing of the run at `asOf`, rebuilt from the ledger by a later run (its report key is not kept). */
function listingEvent(
  run: UnusedOutboxRun,
  asOf: string,
  listed: readonly ListedWorkspace[],
  listedInMonth: number,
): OptimizerEvent {
  const waste = new Map<string, Money>();
  for (const { announced } of listed)
    if (announced.waste !== undefined)
      waste.set(
        announced.waste.currency,
        (waste.get(announced.waste.currency) ?? money(0)).plus(money(announced.waste.amount)),
      );
  const longest = [...listed].sort(
    (a, b) =>
      (b.announced.monthsUnused ?? 0) - (a.announced.monthsUnused ?? 0) ||
      compareText(a.account, b.account) ||
      compareText(a.workspaceId, b.workspaceId),
  );
  return {
    detailType: OptimizerDetailType.UNUSED_LISTED,
    detail: {
      account: run.account,
      asOf,
      month: listed[0]!.announced.month,
      months: run.months,
      removal: run.removal,
      listed: listedInMonth,
      newlyListed: listed.length,
      monthlyWaste: Object.fromEntries(
        [...waste]
          .sort(([a], [b]) => compareText(a, b))
          .map(([currency, amount]) => [currency, amount.toFixed(2)]),
      ),
      workspaces: longest.slice(0, UNUSED_LISTED_MAX_ITEMS).map((one) => ({
        workspaceId: one.workspaceId,
        account: one.account,
        region: one.region,
        userName: one.announced.userName ?? '',
        monthsUnused: one.announced.monthsUnused ?? 0,
      })),
      listingId: listingIdOf(asOf),
    },
  };
}

/** The records with the events of `ids` marked published (idempotent: a mark already there stays). */
function markPublished(
  account: string,
  region: string,
  records: ReadonlyMap<string, UnusedRecord>,
  ids: ReadonlySet<string>,
  at: string,
): ReadonlyMap<string, UnusedRecord> {
  const published = { published: true, publishedAt: at };
  const marked = (removal: RemovalRecord, workspaceId: string) =>
    eventPending(removal.event) && ids.has(removalRecordId(account, region, workspaceId, removal));
  return new Map(
    [...records].map(([workspaceId, record]): [string, UnusedRecord] => {
      const { announced, removal, unpublished } = record;
      const left = (unpublished ?? []).filter((earlier) => !marked(earlier, workspaceId));
      const next: UnusedRecord = {
        ...record,
        ...(announced !== undefined && eventPending(announced.event) && ids.has(listingIdOf(announced.asOf))
          ? { announced: { ...announced, event: published } }
          : {}),
        ...(removal !== undefined && marked(removal, workspaceId)
          ? { removal: { ...removal, event: published } }
          : {}),
      };
      if (left.length > 0) next.unpublished = left;
      else delete next.unpublished;
      return [workspaceId, next];
    }),
  );
}
