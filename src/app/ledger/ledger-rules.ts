import type { LedgerFacts } from '../../billing/index.js';
import type { LedgerEntry } from './ledger-entry.js';
import { LedgerStatus } from './ledger-entry.js';

/**
 * How long a claim (`INTENDED`) belongs to the run that made it. Claim ->
 * modify -> settle takes seconds; the lease only has to outlive the slowest
 * `ModifyWorkspaceProperties` with its retries, and a Lambda invocation ends
 * after 15 minutes at the latest, so after that an `INTENDED` entry belongs to
 * a run that died between claim and settle.
 */
export const CLAIM_LEASE_MS = 15 * 60_000;

/** `YYYY-MM-DD` of an ISO 8601 instant or a date, in UTC. */
export function utcDateOf(t: Date | string): string {
  return (typeof t === 'string' ? new Date(t) : t).toISOString().slice(0, 10);
}

/**
 * Whether another run may take over an `INTENDED` entry at wall-clock time
 * `now`. Decided from `now` handed in, never from a clock read here.
 */
export function leaseExpired(entry: LedgerEntry, now: Date, leaseMs: number = CLAIM_LEASE_MS): boolean {
  return now.getTime() - new Date(entry.claimedAt).getTime() >= leaseMs;
}

/**
 * What a run does with the month's entry of a WorkSpace it just observed, before deciding:
 * - `applied-today`: wco switched it on `T`'s UTC date already; the day's report
 *   shows that conversion as `APPLIED` and nothing is called again;
 * - `settle`: a run died between its claim and its settle; the observed mode
 *   tells how it ended (`APPLIED` when the WorkSpace has the target mode);
 * - `in-progress`: another run holds the claim; this run must not convert it;
 * - `history`: anything else; the decision takes these facts.
 */
export type EntryStep =
  | { readonly kind: 'applied-today' }
  | {
      readonly kind: 'settle';
      readonly status: typeof LedgerStatus.APPLIED | typeof LedgerStatus.FAILED;
      readonly error?: string;
    }
  | { readonly kind: 'in-progress' }
  | { readonly kind: 'history'; readonly facts: LedgerFacts };

/**
 * @param entry the WorkSpace's entry for `T`'s month, if any
 * @param observedMode the running mode this run read from the service
 * @param recordedTimeoutMinutes the timeout remembered from its last switch to AlwaysOn
 */
export function stepForEntry(
  entry: LedgerEntry | undefined,
  observedMode: string,
  asOf: Date,
  now: Date,
  recordedTimeoutMinutes?: number,
  leaseMs: number = CLAIM_LEASE_MS,
): EntryStep {
  const history = (convertedThisMonth: boolean): EntryStep => ({
    kind: 'history',
    facts: { convertedThisMonth, recordedTimeoutMinutes },
  });
  if (entry === undefined) return history(false);
  if (entry.status === LedgerStatus.INTENDED) {
    if (!leaseExpired(entry, now, leaseMs)) return { kind: 'in-progress' };
    return observedMode === entry.toMode
      ? { kind: 'settle', status: LedgerStatus.APPLIED }
      : {
          kind: 'settle',
          status: LedgerStatus.FAILED,
          error: `interrupted: the run that claimed it at ${entry.claimedAt} did not finish, and the WorkSpace is still ${observedMode}`,
        };
  }
  if (entry.status === LedgerStatus.APPLIED)
    return utcDateOf(entry.asOf) === utcDateOf(asOf) ? { kind: 'applied-today' } : history(true);
  // FAILED: tried again by this run if the rules still say so.
  return history(false);
}

/**
 * The latest remembered AlwaysOn timeout per WorkSpace from the timeout markers'
 * key names (`<workspace>/YYYY-MM_<minutes>`): the most recent month wins.
 */
export function latestTimeouts(markers: readonly { workspaceId: string; month: string; minutes: number }[]) {
  const latest = new Map<string, { month: string; minutes: number }>();
  for (const marker of markers) {
    const known = latest.get(marker.workspaceId);
    if (known === undefined || marker.month > known.month)
      latest.set(marker.workspaceId, { month: marker.month, minutes: marker.minutes });
  }
  return new Map([...latest].map(([workspaceId, { minutes }]) => [workspaceId, minutes]));
}
