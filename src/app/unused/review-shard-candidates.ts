import type { LimitFunction } from 'p-limit';
import type { AccountFleet } from '../../ports/account-fleet.js';
import type { FleetProblem, Shard } from '../../ports/fleet-source.js';
import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { ShardOutcome } from '../run-shard.js';
import { restoredCandidate } from './stored-candidates.js';
import type { UnusedReview } from './unused-run.js';

/** An account's unused reader, and how to know it can be reached (its member role). */
export type UnusedAccount = Pick<AccountFleet, 'account' | 'unused' | 'reach'>;

/** What the merge step of a sharded run knows of the shards, for the unused review. */
export interface ShardsForReview {
  /** The account regions the plan opened (their directories listed), each reviewed as one. */
  readonly opened: readonly { readonly account: string; readonly region: string }[];
  /** The stored outcomes, in plan order. */
  readonly outcomes: readonly ShardOutcome[];
  /** The plan's shards without an outcome (their task failed after its retries). */
  readonly missing: readonly Shard[];
}

/**
 * The sharded run's unused review, as the single function reviews each
 * region after its shards ran: the shards' stored candidates gathered (only
 * WorkSpaces with no connection this month, so memory grows with them, not
 * with the fleet), then each opened account region reviewed with its
 * account's reader, `limit` at a time. A directory whose shard did not finish,
 * could not be read to the end or kept no candidates is unread: its stored
 * rows are kept. A region none of whose shards read anything is not reviewed
 * (like a region the single function could not open), nor are the regions of
 * an account that cannot be reached now. Returns those problems.
 */
export async function reviewShardCandidates(
  review: UnusedReview,
  shards: ShardsForReview,
  accounts: readonly UnusedAccount[],
  limit: LimitFunction,
  log: Log,
): Promise<FleetProblem[]> {
  for (const outcome of shards.outcomes)
    for (const candidate of outcome.unused?.candidates ?? [])
      review.addCandidate(restoredCandidate(candidate));
  const scopes = shards.opened.flatMap((scope) => {
    const inScope = (shard: Shard) => shard.account === scope.account && shard.region === scope.region;
    const outcomes = shards.outcomes.filter((outcome) => inScope(outcome.shard));
    const missing = shards.missing.filter(inScope);
    const read = outcomes.filter((outcome) => outcome.unread.length === 0);
    if (read.length === 0 && outcomes.length + missing.length > 0) return [];
    const unread = [
      ...outcomes.flatMap((outcome) => [
        ...outcome.problems.flatMap((problem) => problem.directoryId ?? []),
        // Stored by a shard task that kept no candidates (one of an earlier version).
        ...(outcome.unused === undefined ? [outcome.shard.directoryId] : []),
      ]),
      ...missing.map((shard) => shard.directoryId),
    ];
    const readFrom = outcomes.flatMap((outcome) =>
      outcome.unused === undefined ? [] : [Date.parse(outcome.unused.readFrom)],
    );
    return [
      {
        ...scope,
        unreadDirectories: [...new Set(unread)],
        statesReadFrom: readFrom.length === 0 ? undefined : new Date(Math.min(...readFrom)),
      },
    ];
  });

  const problems: FleetProblem[] = [];
  const byAccount = new Map(accounts.map((one) => [one.account, one]));
  const reachable = new Map<string, Promise<boolean>>();
  const reach = (account: string, one: UnusedAccount): Promise<boolean> => {
    let reached = reachable.get(account);
    if (reached === undefined) {
      reached = (async () => {
        try {
          await one.reach?.();
          return true;
        } catch (error) {
          const problem = {
            account,
            region: '',
            scope: `account ${account}`,
            message: `its unused WorkSpaces are not reviewed: ${errorMessage(error)}`,
          };
          problems.push(problem);
          log.error('account could not be reached for the unused review', { ...problem });
          return false;
        }
      })();
      reachable.set(account, reached);
    }
    return reached;
  };
  for (const account of new Set(scopes.map((scope) => scope.account)))
    if (!byAccount.has(account)) {
      const problem = {
        account,
        region: '',
        scope: `account ${account}`,
        message: "its unused WorkSpaces are not reviewed: the account is no longer among the run's accounts",
      };
      problems.push(problem);
      log.error('account of a shard is gone from the run', { ...problem });
    }
  await Promise.all(
    scopes.map((scope) =>
      limit(async () => {
        const one = byAccount.get(scope.account);
        if (one?.unused === undefined || !(await reach(scope.account, one))) return;
        await review.reviewRegion(
          scope.account,
          scope.region,
          one.unused,
          scope.unreadDirectories,
          scope.statesReadFrom,
        );
      }),
    ),
  );
  return problems;
}
