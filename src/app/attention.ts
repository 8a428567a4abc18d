import type { Money } from '../billing/index.js';
import { Action, Outcome, Reason, RunningMode } from '../billing/index.js';
import type { WorkspaceResult } from './workspace-result.js';

/**
 * Why a WorkSpace needs a person to look at it, first that applies:
 * - `FAILED`: its conversion failed (the AWS error says why, e.g. an SCP's AccessDenied);
 * - `DEFERRED`: its conversion waits (its state, or another run's claim); the next run tries again;
 * - `METRICS_UNAVAILABLE`: its usage could not be read, so it was not decided;
 * - `TAGS_UNAVAILABLE`: its tags could not be read, so it was not converted (it might be exempt);
 * - `UNSUPPORTED_MODE`: a running mode wco never converts (`MANUAL`);
 * - `COSTS_MORE`: its conversion is projected to cost money, this month or per month from next month on.
 * The daily report's `needs_attention` and `attention_detail`, the run summary
 * and `summary.html` all show these.
 */
export const AttentionReason = {
  FAILED: 'FAILED',
  DEFERRED: 'DEFERRED',
  METRICS_UNAVAILABLE: 'METRICS_UNAVAILABLE',
  TAGS_UNAVAILABLE: 'TAGS_UNAVAILABLE',
  UNSUPPORTED_MODE: 'UNSUPPORTED_MODE',
  COSTS_MORE: 'COSTS_MORE',
} as const;
export type AttentionReason = (typeof AttentionReason)[keyof typeof AttentionReason];

export interface Attention {
  readonly reason: AttentionReason;
  /** What happened, in words: the AWS error, the state, the projected extra cost. */
  readonly detail: string;
}

/** The row fields the reason follows from: the same for a run's result and a stored report row. */
export interface AttentionFacts {
  readonly action: string;
  readonly reason: string;
  readonly outcome: string;
  readonly currency: string;
  readonly savingsThisMonth: Money | undefined;
  readonly savingsPerMonthFromNextMonth: Money | undefined;
}

const negative = (amount: Money | undefined): amount is Money =>
  amount !== undefined && amount.isNegative() && !amount.isZero();

/** The reason a row needs attention, if it does. */
export function attentionReasonOf(facts: AttentionFacts): AttentionReason | undefined {
  if (facts.outcome === Outcome.FAILED) return AttentionReason.FAILED;
  if (facts.outcome === Outcome.DEFERRED) return AttentionReason.DEFERRED;
  if (facts.action === Action.ERROR) return AttentionReason.METRICS_UNAVAILABLE;
  if (facts.reason === Reason.TAGS_UNAVAILABLE) return AttentionReason.TAGS_UNAVAILABLE;
  if (facts.reason === Reason.UNSUPPORTED_MODE) return AttentionReason.UNSUPPORTED_MODE;
  const converts = facts.action === Action.TO_ALWAYS_ON || facts.action === Action.TO_AUTO_STOP;
  if (converts && (negative(facts.savingsThisMonth) || negative(facts.savingsPerMonthFromNextMonth)))
    return AttentionReason.COSTS_MORE;
  return undefined;
}

/** Whether a run's result needs attention, and why in words. */
export function attentionOf(result: WorkspaceResult): Attention | undefined {
  const figures = result.cost?.figures;
  const currency = result.cost?.prices.currency ?? '';
  const reason = attentionReasonOf({
    action: result.decision.action,
    reason: result.decision.reason,
    outcome: result.outcome,
    currency,
    savingsThisMonth: figures?.savingsThisMonth,
    savingsPerMonthFromNextMonth: figures?.savingsPerMonthFromNextMonth,
  });
  if (reason === undefined) return undefined;
  const { workspace } = result;
  switch (reason) {
    case AttentionReason.FAILED:
      return { reason, detail: result.error ?? 'the running mode change failed' };
    case AttentionReason.DEFERRED:
      return {
        reason,
        detail:
          result.error ??
          `state ${workspace.state}: a running mode can change only when AVAILABLE or STOPPED; the next run tries again`,
      };
    case AttentionReason.METRICS_UNAVAILABLE:
      return { reason, detail: result.error ?? 'usage could not be read' };
    case AttentionReason.TAGS_UNAVAILABLE:
      return { reason, detail: result.error ?? 'tags could not be read' };
    case AttentionReason.UNSUPPORTED_MODE:
      return {
        reason,
        detail: `running mode ${workspace.runningMode}: ${
          workspace.runningMode === RunningMode.MANUAL ? 'power-managed by a partner, ' : ''
        }never converted by wco`,
      };
    case AttentionReason.COSTS_MORE:
      return { reason, detail: extraCostText(currency, figures!) };
  }
}

/** `projected to cost USD 0.99 more this month` (and/or per month from next month on). */
export function extraCostText(
  currency: string,
  figures: Pick<AttentionFacts, 'savingsThisMonth' | 'savingsPerMonthFromNextMonth'>,
): string {
  const parts: string[] = [];
  if (negative(figures.savingsThisMonth))
    parts.push(`${currency} ${figures.savingsThisMonth.negated().toFixed(2)} more this month`);
  if (negative(figures.savingsPerMonthFromNextMonth))
    parts.push(
      `${currency} ${figures.savingsPerMonthFromNextMonth.negated().toFixed(2)} more per month from next month on`,
    );
  return `conversion projected to cost ${parts.join(' and ')} at this month's usage rate; decided by the billing rules`;
}
