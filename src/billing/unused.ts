import { UTCDate } from '@date-fns/utc';
import { addMonths, differenceInCalendarMonths, startOfMonth } from 'date-fns';
import type { Tags } from './decide.js';
import { hasExemptTag } from './decide.js';
import type { ModePrices } from './cost.js';
import type { Money } from './money.js';
import { isLastDayOfMonthUtc } from './month.js';

/**
 * Unused WorkSpaces: who has had no user connection for `N` whole months, and
 * whether wco may remove it. Pure: the last connections, tags, states, the
 * ledger's memory and `T` in; a verdict per WorkSpace out. Applying a verdict
 * is the shell's (`src/app/unused/`).
 */

/** `UNUSED_MONTHS` bounds: CloudWatch keeps hourly `UserConnected` for 455 days, so 15 months at most. */
export const UNUSED_MONTHS_MIN = 1;
export const UNUSED_MONTHS_MAX = 15;
export const UNUSED_MONTHS_DEFAULT = 2;
/** `MAX_REMOVALS_PER_RUN` default: a brake against a bug or a bad metric. */
export const MAX_REMOVALS_DEFAULT = 10;

/** The tag key that exempts a WorkSpace from removal (like `Skip_Convert`, any case, any value). */
export const SKIP_TERMINATE_TAG_KEY = 'Skip_Terminate';

/** What wco does to a WorkSpace it may remove: terminate it, or the gentler alternatives. */
export const RemovalAction = {
  TERMINATE: 'TERMINATE',
  STOP: 'STOP',
  TO_AUTO_STOP: 'TO_AUTO_STOP',
} as const;
export type RemovalAction = (typeof RemovalAction)[keyof typeof RemovalAction];

/** How a WorkSpace's use is known. */
export const UseStatus = {
  /** A user connected within the checked months. */
  USED: 'USED',
  /** No user connection in any of the checked months, by both sources. */
  UNUSED: 'UNUSED',
  /** A source could not be read, or the age of a never-used WorkSpace is not known: never "unused". */
  UNKNOWN: 'UNKNOWN',
} as const;
export type UseStatus = (typeof UseStatus)[keyof typeof UseStatus];

/** Where the age of a never-used WorkSpace comes from. */
export const AgeSource = {
  /** The fleet source knows when it was created (the simulated fleet). */
  CREATED: 'CREATED',
  /** The first run that saw it without any connection (the unused ledger): `DescribeWorkspaces` gives no creation time. */
  FIRST_SEEN: 'FIRST_SEEN',
} as const;
export type AgeSource = (typeof AgeSource)[keyof typeof AgeSource];

/**
 * What wco would do (or did) with one unused WorkSpace: the first guard that
 * stops it, or `REMOVE`. Shown in `unused.csv`'s `verdict` column.
 */
export const UnusedVerdict = {
  /** Use unknown: reported, never removed. */
  USE_UNKNOWN: 'USE_UNKNOWN',
  /** Unused for fewer than `UNUSED_MONTHS` months: not listed (kept for completeness). */
  TOO_RECENT: 'TOO_RECENT',
  /** Removal is off (`TERMINATE_UNUSED` / `--terminate-unused`): reported only. */
  REPORT_ONLY: 'REPORT_ONLY',
  /** The unused ledger could not be read: without its memory nothing is removed. */
  LEDGER_UNAVAILABLE: 'LEDGER_UNAVAILABLE',
  TAGS_UNAVAILABLE: 'TAGS_UNAVAILABLE',
  /** `Skip_Convert` or `Skip_Terminate`, any case. */
  EXEMPT_TAG: 'EXEMPT_TAG',
  /** A standby WorkSpace or the primary of one (`RelatedWorkspaces`). */
  STANDBY_PAIR: 'STANDBY_PAIR',
  /** A state in which the call would be refused, or a mode the alternative does not apply to. */
  STATE: 'STATE',
  /** Removal happens only on the last UTC day of the month. */
  NOT_MONTH_END: 'NOT_MONTH_END',
  /** Not yet listed by an earlier run: this run announces it, a later one may remove it. */
  NOT_ANNOUNCED: 'NOT_ANNOUNCED',
  /** Removed by an earlier run (the ledger): never called twice. */
  ALREADY_REMOVED: 'ALREADY_REMOVED',
  DRY_RUN: 'DRY_RUN',
  /** The per-run cap (`MAX_REMOVALS_PER_RUN`) was reached. */
  CAP_REACHED: 'CAP_REACHED',
  REMOVE: 'REMOVE',
} as const;
export type UnusedVerdict = (typeof UnusedVerdict)[keyof typeof UnusedVerdict];

/** States in which `TerminateWorkspaces` is accepted (it refuses transitional ones: PENDING, REBOOTING, ...). */
const TERMINABLE_STATES: ReadonlySet<string> = new Set([
  'AVAILABLE',
  'STOPPED',
  'ERROR',
  'IMPAIRED',
  'UNHEALTHY',
]);

export interface UnusedSettings {
  /** `UNUSED_MONTHS`: whole calendar months, the current one included, without a user connection. */
  readonly months: number;
  /** `TERMINATE_UNUSED` and `--terminate-unused`; off by default. */
  readonly removal: boolean;
  /** What removal does; default `TERMINATE`. */
  readonly action: RemovalAction;
  /** At most this many removals per run. */
  readonly maxPerRun: number;
}

/** What the billing core needs to know about one WorkSpace to review its use. */
export interface UseEvidence {
  /**
   * `LastKnownUserConnectionTimestamp` (epoch ms): a number, `null` when the
   * service has none (never connected), `undefined` when it could not be read.
   */
  readonly lastConnection: number | null | undefined;
  /**
   * Whether CloudWatch's `UserConnected` shows a connection in the checked
   * months (this month's samples the run read, and the hourly history before
   * them); `undefined`: not read.
   */
  readonly connectedInCheckedMonths: boolean | undefined;
  /** When the WorkSpace is known to have existed since (epoch ms), and how that is known. */
  readonly since?: { readonly at: number; readonly source: AgeSource } | undefined;
}

export interface UseReview {
  readonly status: UseStatus;
  /** Whole calendar months without a connection, the current one included; 0 when used this month or unknown. */
  readonly monthsUnused: number;
  /** Why the status is `UNKNOWN`. */
  readonly unknownBecause?: 'LAST_CONNECTION_UNREADABLE' | 'USAGE_UNREADABLE' | 'AGE_UNKNOWN' | undefined;
}

/**
 * Months without a connection, counted in whole UTC calendar months up to
 * `T`'s month: a WorkSpace last used in August is unused in September,
 * October and November (3) at any `T` in November. A never-used WorkSpace
 * counts from the month after the one it was first known in. Both sources
 * must agree: the connection status, and CloudWatch's `UserConnected` over the
 * checked months; either unreadable is `UNKNOWN`, never unused.
 * @example
 * reviewUse({ lastConnection: Date.parse('2026-08-20T00:00:00Z'), connectedInCheckedMonths: false }, new Date('2026-11-30T23:00:00Z'), 2)
 * // { status: 'UNUSED', monthsUnused: 3 }
 */
export function reviewUse(evidence: UseEvidence, asOf: Date, months: number): UseReview {
  if (evidence.lastConnection === undefined)
    return { status: UseStatus.UNKNOWN, monthsUnused: 0, unknownBecause: 'LAST_CONNECTION_UNREADABLE' };
  if (evidence.connectedInCheckedMonths === undefined)
    return { status: UseStatus.UNKNOWN, monthsUnused: 0, unknownBecause: 'USAGE_UNREADABLE' };
  if (evidence.connectedInCheckedMonths) return { status: UseStatus.USED, monthsUnused: 0 };
  const from = evidence.lastConnection ?? evidence.since?.at;
  if (from === undefined)
    return { status: UseStatus.UNKNOWN, monthsUnused: 0, unknownBecause: 'AGE_UNKNOWN' };
  const monthsUnused = Math.max(0, monthsSince(from, asOf));
  return { status: monthsUnused >= months ? UseStatus.UNUSED : UseStatus.USED, monthsUnused };
}

/** Whole calendar months after `from`'s month up to and including `asOf`'s. */
function monthsSince(from: number, asOf: Date): number {
  return differenceInCalendarMonths(new UTCDate(asOf), new UTCDate(from));
}

/**
 * The first instant of the checked months: a connection at or after it means
 * "used". @example checkedSince(new Date('2026-11-30T23:00:00Z'), 2) // 2026-10-01T00:00:00.000Z
 */
export function checkedSince(asOf: Date, months: number): Date {
  return new Date(addMonths(startOfMonth(new UTCDate(asOf)), -(months - 1)).getTime());
}

/** Any tag key equal to `Skip_Convert` or `Skip_Terminate` ignoring case, whatever its value. */
export function hasRemovalExemption(tags: Tags): boolean {
  const wanted = SKIP_TERMINATE_TAG_KEY.toLowerCase();
  return hasExemptTag(tags) || Object.keys(tags).some((key) => key.toLowerCase() === wanted);
}

/** One unused (or unknown) WorkSpace as the removal guards see it. */
export interface RemovalCandidate {
  readonly workspaceId: string;
  readonly review: UseReview;
  /** `undefined` when the tags could not be read. */
  readonly tags: Tags | undefined;
  readonly state: string;
  readonly runningMode: string;
  /** It is a standby WorkSpace or has one (`RelatedWorkspaces` not empty). */
  readonly standbyPair: boolean;
  /** An earlier run (earlier `T`) listed it as unused this month: its owner has had the chance to exempt it. */
  readonly announcedBefore: boolean;
  /** The ledger holds a removal of it this month that was made (or is in flight). */
  readonly removedBefore: boolean;
  /** The unused ledger could be read (its memory is what the last two guards rest on). */
  readonly ledgerReadable: boolean;
}

export interface RemovalRun {
  readonly asOf: Date;
  readonly dryRun: boolean;
  readonly settings: UnusedSettings;
}

/**
 * The guards of removal, in order: the first that matches gives the verdict.
 * Each names one reason a WorkSpace is kept; only a candidate no guard stops
 * is `REMOVE` (subject to the per-run cap, applied by `applyRemovalCap`).
 */
export const REMOVAL_GUARDS: readonly {
  readonly verdict: UnusedVerdict;
  readonly stops: (candidate: RemovalCandidate, run: RemovalRun) => boolean;
}[] = [
  { verdict: UnusedVerdict.USE_UNKNOWN, stops: (c) => c.review.status === UseStatus.UNKNOWN },
  {
    verdict: UnusedVerdict.TOO_RECENT,
    stops: (c, run) => c.review.status !== UseStatus.UNUSED || c.review.monthsUnused < run.settings.months,
  },
  { verdict: UnusedVerdict.ALREADY_REMOVED, stops: (c) => c.removedBefore },
  { verdict: UnusedVerdict.REPORT_ONLY, stops: (_, run) => !run.settings.removal },
  { verdict: UnusedVerdict.LEDGER_UNAVAILABLE, stops: (c) => !c.ledgerReadable },
  { verdict: UnusedVerdict.TAGS_UNAVAILABLE, stops: (c) => c.tags === undefined },
  { verdict: UnusedVerdict.EXEMPT_TAG, stops: (c) => hasRemovalExemption(c.tags ?? {}) },
  { verdict: UnusedVerdict.STANDBY_PAIR, stops: (c) => c.standbyPair },
  { verdict: UnusedVerdict.STATE, stops: (c, run) => !actionApplies(run.settings.action, c) },
  { verdict: UnusedVerdict.NOT_MONTH_END, stops: (_, run) => !isLastDayOfMonthUtc(run.asOf) },
  { verdict: UnusedVerdict.NOT_ANNOUNCED, stops: (c) => !c.announcedBefore },
  { verdict: UnusedVerdict.DRY_RUN, stops: (_, run) => run.dryRun },
];

/** Whether `action` can be applied to the WorkSpace in its state and mode (else the service refuses, or it is a no-op). */
function actionApplies(action: RemovalAction, candidate: RemovalCandidate): boolean {
  switch (action) {
    case RemovalAction.TERMINATE:
      return TERMINABLE_STATES.has(candidate.state);
    case RemovalAction.STOP:
      // StopWorkspaces applies to AutoStop (and Manual) WorkSpaces that are running.
      return candidate.state === 'AVAILABLE' && candidate.runningMode !== 'ALWAYS_ON';
    case RemovalAction.TO_AUTO_STOP:
      return (
        candidate.runningMode === 'ALWAYS_ON' &&
        (candidate.state === 'AVAILABLE' || candidate.state === 'STOPPED')
      );
  }
}

/**
 * The verdict of one candidate before the cap: the first guard that stops it, else `REMOVE`.
 * @example removalVerdict({ ...candidate, tags: { skip_terminate: '' } }, run) // 'EXEMPT_TAG'
 */
export function removalVerdict(candidate: RemovalCandidate, run: RemovalRun): UnusedVerdict {
  return REMOVAL_GUARDS.find((guard) => guard.stops(candidate, run))?.verdict ?? UnusedVerdict.REMOVE;
}

/**
 * The per-run cap: of the verdicts `REMOVE`, the first `left` stay, the rest
 * become `CAP_REACHED`. Callers order the candidates (longest unused first) so
 * that the cap keeps the clearest cases. Returns the verdicts and what is left.
 */
export function applyRemovalCap(
  verdicts: readonly UnusedVerdict[],
  left: number,
): { verdicts: UnusedVerdict[]; left: number } {
  let remaining = Math.max(0, left);
  const capped = verdicts.map((verdict) => {
    if (verdict !== UnusedVerdict.REMOVE) return verdict;
    if (remaining === 0) return UnusedVerdict.CAP_REACHED;
    remaining -= 1;
    return verdict;
  });
  return { verdicts: capped, left: remaining };
}

/**
 * What an unused WorkSpace costs every month for nothing: its AlwaysOn price,
 * or its AutoStop monthly fee (no hours: nobody connects). `undefined` for
 * other modes (Manual: billed by the hour only).
 * @example wastedMonthly({ currency: 'USD', alwaysOnMonthly: money('35'), autoStopMonthlyFee: money('9.75'), autoStopHourly: money('0.30') }, 'AUTO_STOP') // 9.75
 */
export function wastedMonthly(prices: ModePrices, runningMode: string): Money | undefined {
  if (runningMode === 'ALWAYS_ON') return prices.alwaysOnMonthly;
  if (runningMode === 'AUTO_STOP') return prices.autoStopMonthlyFee;
  return undefined;
}

/**
 * Whether a WorkSpace shows that `action` was done: how a removal whose run
 * died between its intent and its outcome ended (terminating or terminated,
 * stopping or stopped, in AutoStop). Nothing is called twice to find out.
 * @example removalShows('TERMINATE', 'TERMINATING', 'ALWAYS_ON') // true
 */
export function removalShows(action: RemovalAction, state: string, runningMode: string): boolean {
  switch (action) {
    case RemovalAction.TERMINATE:
      return state === 'TERMINATING' || state === 'TERMINATED';
    case RemovalAction.STOP:
      return state === 'STOPPING' || state === 'STOPPED';
    case RemovalAction.TO_AUTO_STOP:
      return runningMode === 'AUTO_STOP';
  }
}
