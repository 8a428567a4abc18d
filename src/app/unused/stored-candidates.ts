import { money } from '../../billing/index.js';
import type { Tags } from '../../billing/index.js';
import type { Workspace } from '../../ports/workspace.js';
import type { UnusedCandidate } from './review-unused.js';

/**
 * A shard's unused candidates as the sharded deployment stores them with its
 * outcome, for the merge step to review: JSON-safe (the waste as decimal
 * text), and only the WorkSpaces with no connection this month, so a shard's
 * record grows with its candidates, never with its directory.
 */
export interface StoredUnusedCandidates {
  /**
   * When the shard began reading its WorkSpaces (ISO): their states are no
   * newer, so a removal claimed after it cannot be settled from them.
   */
  readonly readFrom: string;
  readonly candidates: readonly StoredUnusedCandidate[];
}

export interface StoredUnusedCandidate {
  readonly workspace: Workspace;
  readonly tags?: Tags | undefined;
  /** Absent: usage could not be read. */
  readonly connectedThisMonth?: boolean | undefined;
  readonly wasted?: { readonly currency: string; readonly monthly: string } | undefined;
}

export function storedCandidate(candidate: UnusedCandidate): StoredUnusedCandidate {
  return {
    workspace: candidate.workspace,
    tags: candidate.tags,
    connectedThisMonth: candidate.connectedThisMonth,
    wasted:
      candidate.wasted === undefined
        ? undefined
        : { currency: candidate.wasted.currency, monthly: candidate.wasted.monthly.toFixed() },
  };
}

export function restoredCandidate(stored: StoredUnusedCandidate): UnusedCandidate {
  return {
    workspace: stored.workspace,
    tags: stored.tags,
    connectedThisMonth: stored.connectedThisMonth,
    wasted:
      stored.wasted === undefined
        ? undefined
        : { currency: stored.wasted.currency, monthly: money(stored.wasted.monthly) },
  };
}
