import type {
  Money,
  RemovalAction,
  RemovalCandidate,
  Tags,
  UnusedSettings,
  UnusedVerdict,
  UseReview,
} from '../../billing/index.js';
import {
  AgeSource,
  applyRemovalCap,
  checkedSince,
  removalShows,
  removalVerdict,
  reviewUse,
  UnusedVerdict as Verdict,
  UseStatus,
  wastedMonthly,
} from '../../billing/index.js';
import type { FleetProblem } from '../../ports/fleet-source.js';
import type { LastUse, UnusedWorkspaces } from '../../ports/unused-workspaces.js';
import type { Workspace } from '../../ports/workspace.js';
import { compareText } from '../../shared/compare-text.js';
import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { Read } from '../../shared/read.js';
import type { WriteFailure } from '../../shared/write-failure.js';
import type { WorkspaceResult } from '../workspace-result.js';
import type { RemovalRecord, UnusedLedger, UnusedRecord, UnusedRecords } from './unused-ledger.js';
import { eventPending, hasPendingEvent, RemovalStatus } from './unused-ledger.js';

/** What happened to a WorkSpace wco decided to remove. */
export const RemovalOutcome = {
  NONE: 'NONE',
  /** Removed by this run. */
  DONE: 'DONE',
  FAILED: 'FAILED',
  /** Removed (or being removed) by an earlier run: the ledger's status. */
  EARLIER: 'EARLIER',
} as const;
export type RemovalOutcome = (typeof RemovalOutcome)[keyof typeof RemovalOutcome];

/**
 * A WorkSpace the run saw with no connection this month (or unreadable usage):
 * what the review needs of its result, kept small so that a run holds only
 * these, never the fleet.
 */
export interface UnusedCandidate {
  readonly workspace: Workspace;
  readonly tags: Tags | undefined;
  /** `undefined`: usage could not be read. */
  readonly connectedThisMonth: boolean | undefined;
  readonly wasted?: { readonly currency: string; readonly monthly: Money } | undefined;
}

/**
 * The candidate of a result, or `undefined` when it billed hours this month
 * (any connected sample this month bills at least one hour, so 0 hours means
 * no connection since the 1st).
 */
export function unusedCandidate(result: WorkspaceResult): UnusedCandidate | undefined {
  if (result.billableHours !== undefined && result.billableHours > 0) return undefined;
  const prices = result.cost?.prices;
  const monthly = prices === undefined ? undefined : wastedMonthly(prices, result.workspace.runningMode);
  return {
    workspace: result.workspace,
    tags: result.tags,
    connectedThisMonth: result.billableHours === undefined ? undefined : false,
    wasted:
      prices === undefined || monthly === undefined ? undefined : { currency: prices.currency, monthly },
  };
}

/** One line of `unused.csv`: an unused WorkSpace, or one whose use is unknown, and what wco would do. */
export interface UnusedRow {
  readonly workspace: Workspace;
  readonly tags: Tags | undefined;
  /** Epoch ms; `null`: never connected; `undefined`: could not be read. */
  readonly lastConnection: number | null | undefined;
  /** Where the age of a never-used WorkSpace comes from. */
  readonly since?: { readonly at: number; readonly source: AgeSource } | undefined;
  readonly review: UseReview;
  readonly wasted?: UnusedCandidate['wasted'];
  readonly verdict: UnusedVerdict;
  /** The configured removal action (what `REMOVE` means). */
  readonly action: RemovalAction;
  readonly outcome: RemovalOutcome;
  /** Why the last connection could not be read, or why the removal failed. */
  readonly error?: string | undefined;
  /** First listed by this run this month: it is announced now. */
  readonly newlyListed: boolean;
  /**
   * An earlier run's removal left `INTENDED` (the run died before its
   * outcome), settled by this run from what the WorkSpace shows.
   */
  readonly settles?: { readonly status: 'DONE' | 'FAILED'; readonly error?: string | undefined } | undefined;
}

/** A removal claimed longer ago than this and never settled: its run died (the conversion ledger's lease). */
export const STALE_REMOVAL_MS = 15 * 60_000;

export interface UnusedReviewContext {
  readonly asOf: Date;
  readonly month: string;
  readonly runId: string;
  readonly dryRun: boolean;
  readonly settings: UnusedSettings;
  readonly ledger: UnusedLedger;
  readonly now: () => Date;
  readonly log: Log;
  /**
   * When the candidates' states were read, when that was before this process
   * began (the sharded merge reviews what its shard tasks read; default
   * `now()`): a removal claimed less than `STALE_REMOVAL_MS` before it is never
   * settled from those states, which may not show it.
   */
  readonly statesReadFrom?: Date | undefined;
}

/** What the review of one account's region found and did. */
export interface UnusedRegionOutcome {
  readonly account: string;
  readonly region: string;
  /** Directories the run could not read to the end: `unused.csv` keeps their stored rows. */
  readonly unreadDirectories?: readonly string[] | undefined;
  /** Unused WorkSpaces and those of unknown use, longest unused first. */
  readonly rows: readonly UnusedRow[];
  readonly problems: readonly FleetProblem[];
  readonly writeFailures: readonly WriteFailure[];
}

/** An account's region reviewed, its verdicts before the run's cap, nothing written or removed yet. */
export interface ReviewedRegion {
  readonly account: string;
  readonly region: string;
  /** Unused WorkSpaces and those of unknown use, longest unused first. */
  readonly rows: readonly UnusedRow[];
  readonly problems: readonly FleetProblem[];
  /** `undefined`: the ledger could not be read (nothing is removed). */
  readonly ledger: UnusedRecords | undefined;
  readonly seen: { readonly used: ReadonlySet<string>; readonly young: ReadonlyMap<string, string> };
  readonly reader: UnusedWorkspaces;
}

/**
 * The first half of the unused review of one account's region: the
 * candidates' last connections (the connection status) checked against this
 * month's usage (CloudWatch), the ledger read, the removal guards but the
 * cap. Then `capRemovals` over the run, and `removeInRegion`: only for the
 * verdicts `REMOVE`, each removal recorded in the unused ledger before the
 * call and settled after it. Dry runs read the ledger and write nothing. A
 * ledger that cannot be read or written means no removal in the region (a
 * problem, and for a write the run fails); one WorkSpace failing never stops
 * the others.
 */
export async function reviewRegionUse(
  context: UnusedReviewContext,
  scope: { readonly account: string; readonly region: string },
  reader: UnusedWorkspaces,
  candidates: readonly UnusedCandidate[],
): Promise<ReviewedRegion> {
  const { account, region } = scope;
  const problems: FleetProblem[] = [];
  const uses = await reader.lastConnections(
    region,
    candidates.map((candidate) => candidate.workspace.workspaceId),
  );
  // The usage history is asked only for those the connection status does not already show in use.
  const window = {
    start: checkedSince(context.asOf, context.settings.months).getTime(),
    end: context.asOf.getTime(),
  };
  const history = await reader.connectedIn(
    region,
    candidates
      .map((candidate) => candidate.workspace.workspaceId)
      .filter((id) => {
        const use = uses.get(id);
        return use?.ok === true && (use.value.lastConnection ?? Number.NEGATIVE_INFINITY) < window.start;
      }),
    window,
  );
  let ledger: UnusedRecords | undefined;
  try {
    ledger = await context.ledger.open(account, region);
  } catch (error) {
    problems.push({
      account,
      region,
      scope: 'unused ledger',
      message: `the unused ledger could not be read: nothing in the region is removed: ${errorMessage(error)}`,
    });
  }
  const all = candidates.map((candidate) =>
    reviewCandidate(
      context,
      candidate,
      uses.get(candidate.workspace.workspaceId),
      history.get(candidate.workspace.workspaceId),
      ledger,
    ),
  );
  // Never used but too young to count: only its first sighting is remembered, its age from then on.
  const young = new Map(
    all.flatMap((one) =>
      one.review.status === UseStatus.USED && one.row.since?.source === AgeSource.FIRST_SEEN
        ? [[one.workspace.workspaceId, new Date(one.row.since.at).toISOString()] as const]
        : [],
    ),
  );
  const used = new Set(
    all
      .filter((one) => one.review.status === UseStatus.USED && !young.has(one.workspace.workspaceId))
      .map((one) => one.workspace.workspaceId),
  );
  const reviewed = all
    .filter((one) => one.review.status !== UseStatus.USED)
    .sort(
      (a, b) =>
        b.review.monthsUnused - a.review.monthsUnused ||
        compareText(a.workspace.workspaceId, b.workspace.workspaceId),
    );
  const run = { asOf: context.asOf, dryRun: context.dryRun, settings: context.settings };
  const rows = reviewed.map(({ row, candidate }) => ({ ...row, verdict: removalVerdict(candidate, run) }));
  return { account, region, rows, problems, ledger, seen: { used, young }, reader };
}

/**
 * The per-run cap over the whole run: of every region's verdicts `REMOVE`,
 * the `cap` WorkSpaces unused longest stay (ties by account, region and id, so
 * the same fleet always keeps the same ones, whatever order the regions
 * finished in), the others become `CAP_REACHED`. Pure: one call for the run,
 * so no two regions can both spend the last removal.
 */
export function capRemovals(regions: readonly ReviewedRegion[], cap: number): UnusedRow[][] {
  const removing = regions
    .flatMap((region, index) =>
      region.rows.flatMap((row, at) => (row.verdict === Verdict.REMOVE ? [{ index, at, row }] : [])),
    )
    .sort(
      (a, b) =>
        b.row.review.monthsUnused - a.row.review.monthsUnused ||
        compareText(a.row.workspace.account, b.row.workspace.account) ||
        compareText(a.row.workspace.region, b.row.workspace.region) ||
        compareText(a.row.workspace.workspaceId, b.row.workspace.workspaceId),
    );
  const capped = applyRemovalCap(
    removing.map(({ row }) => row.verdict),
    cap,
  ).verdicts;
  const rows = regions.map((region) => [...region.rows]);
  removing.forEach(({ index, at, row }, order) => {
    rows[index]![at] = { ...row, verdict: capped[order]! };
  });
  return rows;
}

/**
 * The second half of a region's review, once the run's cap is applied: its
 * ledger written (first sightings, listings, the intents of its removals),
 * then each removal made and settled. A dry run, or a ledger that could not be
 * read, writes and removes nothing.
 */
export async function removeInRegion(
  context: UnusedReviewContext,
  reviewed: ReviewedRegion,
  capped: readonly UnusedRow[],
): Promise<UnusedRegionOutcome> {
  const { account, region, ledger } = reviewed;
  let rows = capped;
  const writeFailures: WriteFailure[] = [];
  if (ledger !== undefined && !context.dryRun) {
    const result = await recordAndRemove(context, ledger, capped, reviewed.seen, reviewed.reader);
    rows = result.rows;
    writeFailures.push(...result.writeFailures);
  }
  for (const failure of writeFailures) context.log.error('unused ledger write failed', { ...failure });
  return { account, region, rows, problems: reviewed.problems, writeFailures };
}

/** The whole review of one account's region on its own: reviewed, capped, recorded and removed. */
export async function reviewUnusedRegion(
  context: UnusedReviewContext,
  scope: { readonly account: string; readonly region: string },
  reader: UnusedWorkspaces,
  candidates: readonly UnusedCandidate[],
): Promise<UnusedRegionOutcome> {
  const reviewed = await reviewRegionUse(context, scope, reader, candidates);
  return removeInRegion(context, reviewed, capRemovals([reviewed], context.settings.maxPerRun)[0]!);
}

interface Reviewed {
  readonly row: UnusedRow;
  readonly candidate: RemovalCandidate;
  readonly review: UseReview;
  readonly workspace: Workspace;
}

function reviewCandidate(
  context: UnusedReviewContext,
  candidate: UnusedCandidate,
  use: Read<LastUse> | undefined,
  connectedInHistory: Read<boolean> | undefined,
  ledger: UnusedRecords | undefined,
): Reviewed {
  const { workspace } = candidate;
  const record = ledger?.records.get(workspace.workspaceId);
  const lastConnection = use?.ok ? use.value.lastConnection : undefined;
  const since = sinceOf(use, record, context.asOf);
  const review = reviewUse(
    {
      lastConnection,
      // This month's usage from the run, the months before from the history (asked when the status says old).
      connectedInCheckedMonths:
        candidate.connectedThisMonth === undefined
          ? undefined
          : candidate.connectedThisMonth ||
            (connectedInHistory === undefined
              ? false
              : connectedInHistory.ok
                ? connectedInHistory.value
                : undefined),
      since,
    },
    context.asOf,
    context.settings.months,
  );
  const announcedBefore =
    record?.announced?.month === context.month && Date.parse(record.announced.asOf) < context.asOf.getTime();
  const removal = record?.removal?.month === context.month ? record.removal : undefined;
  // The WorkSpace's state settles a claim only if it was read when the claim was already stale.
  const statesRead = (context.statesReadFrom ?? context.now()).getTime();
  const settles =
    removal?.status === RemovalStatus.INTENDED &&
    statesRead - Date.parse(removal.claimedAt) >= STALE_REMOVAL_MS
      ? removalShows(removal.action, workspace.state, workspace.runningMode)
        ? { status: RemovalStatus.DONE }
        : {
            status: RemovalStatus.FAILED,
            error: `the run ${removal.runId} stopped before its outcome, and the WorkSpace does not show it done`,
          }
      : undefined;
  const removedBefore = removal !== undefined && (settles?.status ?? removal.status) !== RemovalStatus.FAILED;
  const row: UnusedRow = {
    workspace,
    tags: candidate.tags,
    lastConnection,
    since: lastConnection === null ? since : undefined,
    review,
    wasted: candidate.wasted,
    verdict: Verdict.REPORT_ONLY,
    action: context.settings.action,
    outcome: removedBefore ? RemovalOutcome.EARLIER : RemovalOutcome.NONE,
    error:
      use !== undefined && !use.ok
        ? use.error
        : connectedInHistory?.ok === false
          ? connectedInHistory.error
          : (settles?.error ?? removal?.error),
    // A dry run remembers nothing, so it announces nothing: the next run that writes does.
    newlyListed:
      !context.dryRun && review.status === UseStatus.UNUSED && record?.announced?.month !== context.month,
    settles,
  };
  return {
    row,
    review,
    workspace,
    candidate: {
      workspaceId: workspace.workspaceId,
      review,
      tags: candidate.tags,
      state: workspace.state,
      runningMode: workspace.runningMode,
      standbyPair: workspace.standbyPair ?? false,
      announcedBefore,
      removedBefore,
      ledgerReadable: ledger !== undefined,
    },
  };
}

/** The age of a never-used WorkSpace: its creation when the source knows it, else its first sighting. */
function sinceOf(
  use: Read<LastUse> | undefined,
  record: UnusedRecord | undefined,
  asOf: Date,
): { at: number; source: AgeSource } | undefined {
  if (!use?.ok || use.value.lastConnection !== null) return undefined;
  if (use.value.createdAt !== undefined) return { at: use.value.createdAt, source: AgeSource.CREATED };
  return {
    at: record?.firstSeen === undefined ? asOf.getTime() : Date.parse(record.firstSeen),
    source: AgeSource.FIRST_SEEN,
  };
}

/**
 * The ledger's new records (first sightings, this month's listings, the
 * removals' intents) written before any call, then each removal made and
 * settled. No intent written, no call made.
 */
async function recordAndRemove(
  context: UnusedReviewContext,
  ledger: UnusedRecords,
  rows: readonly UnusedRow[],
  seen: { readonly used: ReadonlySet<string>; readonly young: ReadonlyMap<string, string> },
  reader: UnusedWorkspaces,
): Promise<{ rows: UnusedRow[]; writeFailures: WriteFailure[] }> {
  const { used, young } = seen;
  const records = new Map<string, UnusedRecord>();
  for (const [id, firstSeen] of young) records.set(id, { firstSeen });
  // Not reviewed this run (gone, or its directory unread): kept while it matters this month.
  // An event not yet published keeps its record whatever becomes of the WorkSpace: the record is the outbox.
  for (const [id, record] of ledger.records)
    if (
      hasPendingEvent(record) ||
      (!used.has(id) &&
        (record.announced?.month === context.month || record.removal?.month === context.month))
    )
      records.set(id, record);
  const asOf = context.asOf.toISOString();
  for (const row of rows) {
    const id = row.workspace.workspaceId;
    const before = ledger.records.get(id) ?? {};
    const firstSeen =
      row.since?.source === AgeSource.FIRST_SEEN ? new Date(row.since.at).toISOString() : before.firstSeen;
    const announced =
      row.review.status !== UseStatus.UNUSED || before.announced?.month === context.month
        ? before.announced
        : {
            month: context.month,
            asOf,
            userName: row.workspace.userName,
            monthsUnused: row.review.monthsUnused,
            ...(row.wasted === undefined
              ? {}
              : { waste: { currency: row.wasted.currency, amount: row.wasted.monthly.toFixed(2) } }),
            event: { published: false },
          };
    const earlier = before.removal?.month === context.month ? before.removal : undefined;
    const removal: RemovalRecord | undefined =
      row.verdict === Verdict.REMOVE
        ? {
            month: context.month,
            attempt: earlier === undefined ? 1 : (earlier.attempt ?? 1) + 1,
            action: row.action,
            status: RemovalStatus.INTENDED,
            runId: context.runId,
            asOf,
            claimedAt: context.now().toISOString(),
            directoryId: row.workspace.directoryId,
            userName: row.workspace.userName,
            monthsUnused: row.review.monthsUnused,
            event: { published: false },
          }
        : row.settles !== undefined && before.removal !== undefined
          ? { ...before.removal, ...row.settles, settledAt: context.now().toISOString() }
          : before.removal;
    // A failed attempt replaced before its event went out keeps its event due.
    const unpublished = [
      ...(before.unpublished ?? []),
      ...(row.verdict === Verdict.REMOVE &&
      before.removal !== undefined &&
      before.removal.status !== RemovalStatus.INTENDED &&
      eventPending(before.removal.event)
        ? [before.removal]
        : []),
    ];
    records.set(
      id,
      prune({ firstSeen, announced, removal, unpublished: unpublished.length > 0 ? unpublished : undefined }),
    );
  }
  const unchanged =
    records.size === ledger.records.size &&
    [...records].every(([id, record]) => JSON.stringify(record) === JSON.stringify(ledger.records.get(id)));
  let saved: UnusedRecords;
  try {
    saved = unchanged ? ledger : await context.ledger.save(ledger, records);
  } catch (error) {
    const message = errorMessage(error);
    return {
      rows: rows.map((row) =>
        row.verdict === Verdict.REMOVE
          ? {
              ...row,
              outcome: RemovalOutcome.FAILED,
              error: `not removed: the ledger could not record the intent: ${message}`,
            }
          : row,
      ),
      writeFailures: [{ target: `unused ledger ${ledger.account} ${ledger.region}`, message }],
    };
  }
  const removing = rows.filter((row) => row.verdict === Verdict.REMOVE);
  if (removing.length === 0) return { rows: [...rows], writeFailures: [] };
  const settled = new Map<string, { status: RemovalStatus; error?: string }>();
  for (const row of removing) {
    try {
      await reader.remove(row.workspace, row.action);
      settled.set(row.workspace.workspaceId, { status: RemovalStatus.DONE });
      context.log.info('unused WorkSpace removed', {
        workspaceId: row.workspace.workspaceId,
        action: row.action,
      });
    } catch (error) {
      settled.set(row.workspace.workspaceId, { status: RemovalStatus.FAILED, error: errorMessage(error) });
      context.log.error('unused WorkSpace could not be removed', {
        workspaceId: row.workspace.workspaceId,
        action: row.action,
        error: errorMessage(error),
      });
    }
  }
  const settledAt = context.now().toISOString();
  const final = new Map(
    [...saved.records].map(([id, record]) => {
      const outcome = settled.get(id);
      if (outcome === undefined || record.removal === undefined) return [id, record];
      return [id, { ...record, removal: { ...record.removal, ...outcome, settledAt } }];
    }),
  );
  const writeFailures: WriteFailure[] = [];
  try {
    await context.ledger.save(saved, final);
  } catch (error) {
    // The removals happened: the next run sees an INTENDED record and never calls again.
    writeFailures.push({
      target: `unused ledger ${ledger.account} ${ledger.region}`,
      message: errorMessage(error),
    });
  }
  return {
    rows: rows.map((row) => {
      const outcome = settled.get(row.workspace.workspaceId);
      if (outcome === undefined) return row;
      return {
        ...row,
        outcome: outcome.status === RemovalStatus.DONE ? RemovalOutcome.DONE : RemovalOutcome.FAILED,
        error: outcome.error,
      };
    }),
    writeFailures,
  };
}

/** A record without its absent fields (so an unchanged record serializes the same). */
function prune(record: UnusedRecord): UnusedRecord {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined),
  ) as UnusedRecord;
}
