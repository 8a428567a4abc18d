import type { Decision } from './decide.js';
import type { ConvertibleMode } from './modes.js';
import { Action, MODIFIABLE_STATES, Outcome, RunningMode } from './modes.js';

/**
 * What the shell must do with a decision. Either the outcome is already known
 * (`settled`), or the shell calls `ModifyWorkspaceProperties` and the outcome is
 * `APPLIED` or `FAILED` depending on that call.
 */
export type ApplicationPlan =
  | {
      readonly kind: 'settled';
      readonly outcome: typeof Outcome.NONE | typeof Outcome.DRY_RUN | typeof Outcome.DEFERRED;
    }
  | { readonly kind: 'modify'; readonly targetMode: ConvertibleMode };

/** The mode a conversion action switches to; `undefined` for non-conversions. */
export function targetModeOf(decision: Decision): ConvertibleMode | undefined {
  if (decision.action === Action.TO_ALWAYS_ON) return RunningMode.ALWAYS_ON;
  if (decision.action === Action.TO_AUTO_STOP) return RunningMode.AUTO_STOP;
  return undefined;
}

/**
 * The state check comes before dry run: a decided conversion on a WorkSpace
 * that is not `AVAILABLE` or `STOPPED` is `DEFERRED` in dry run too.
 * @example planApplication({ action: 'TO_ALWAYS_ON', reason: 'OVER_THRESHOLD' }, 'AVAILABLE', true)
 * // { kind: 'settled', outcome: 'DRY_RUN' }
 */
export function planApplication(decision: Decision, state: string, dryRun: boolean): ApplicationPlan {
  const targetMode = targetModeOf(decision);
  if (targetMode === undefined) return { kind: 'settled', outcome: Outcome.NONE };
  if (!MODIFIABLE_STATES.has(state)) return { kind: 'settled', outcome: Outcome.DEFERRED };
  if (dryRun) return { kind: 'settled', outcome: Outcome.DRY_RUN };
  return { kind: 'modify', targetMode };
}

/** The mode a WorkSpace has after the run: the target for `APPLIED`, else unchanged. */
export function runningModeAfter(currentMode: string, decision: Decision, outcome: Outcome): string {
  return outcome === Outcome.APPLIED ? (targetModeOf(decision) ?? currentMode) : currentMode;
}
