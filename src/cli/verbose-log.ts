import type { WorkspaceResult } from '../app/workspace-result.js';
import { Action, Outcome } from '../billing/index.js';
import type { Log } from '../shared/log.js';

/**
 * `--verbose`: one line per WorkSpace whose decision is not `NONE` (planned,
 * applied, deferred, failed, skipped with its reason, unreadable), so a dry
 * run shows what it would do. Failures and unreadable WorkSpaces are errors
 * and warnings; the rest information.
 */
export function logDecision(result: WorkspaceResult, log: Log): void {
  {
    const { action, reason } = result.decision;
    if (action === Action.NONE) return;
    const attributes: Record<string, unknown> = {
      workspaceId: result.workspace.workspaceId,
      region: result.workspace.region,
      action,
      reason,
      outcome: result.outcome,
      ...(result.billableHours === undefined ? {} : { billableHours: result.billableHours }),
      thresholdHours: result.threshold.hours,
      ...(result.error === undefined ? {} : { error: result.error }),
    };
    if (result.outcome === Outcome.FAILED) log.error('conversion failed', attributes);
    else if (action === Action.ERROR) log.warn('not evaluated', attributes);
    else if (action === Action.SKIP) log.info('skipped', attributes);
    else log.info(conversionMessage(result.outcome), attributes);
  }
}

function conversionMessage(outcome: Outcome): string {
  switch (outcome) {
    case Outcome.DRY_RUN:
      return 'would convert (dry run)';
    case Outcome.DEFERRED:
      return 'conversion deferred';
    case Outcome.APPLIED:
      return 'converted';
    default:
      return `conversion ${outcome}`;
  }
}
