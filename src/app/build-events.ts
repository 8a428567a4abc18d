import { Action, Outcome } from '../billing/index.js';
import type { RunSummary } from './run-summary.js';
import type { WorkspaceResult } from './workspace-result.js';
import type { OptimizerEvent } from '../ports/event-sink.js';
import { OptimizerDetailType } from '../ports/event-sink.js';

/** The `WorkSpace Running Mode Changed` event of an `APPLIED` conversion; `undefined` otherwise. */
export function modeChangedEvent(result: WorkspaceResult, asOf: Date): OptimizerEvent | undefined {
  const { decision, workspace } = result;
  if (result.outcome !== Outcome.APPLIED || result.billableHours === undefined) return undefined;
  if (decision.action !== Action.TO_ALWAYS_ON && decision.action !== Action.TO_AUTO_STOP) return undefined;
  const toMode = decision.action === Action.TO_ALWAYS_ON ? 'ALWAYS_ON' : 'AUTO_STOP';
  return {
    detailType: OptimizerDetailType.MODE_CHANGED,
    detail: {
      workspaceId: workspace.workspaceId,
      directoryId: workspace.directoryId,
      account: workspace.account,
      region: workspace.region,
      fromMode: toMode === 'ALWAYS_ON' ? 'AUTO_STOP' : 'ALWAYS_ON',
      toMode,
      billableHours: result.billableHours,
      thresholdHours: result.threshold.hours,
      reason: decision.reason,
      asOf: asOf.toISOString(),
    },
  };
}

/** The `Optimizer Run Completed` event: the run's counts and report keys. */
export function runCompletedEvent(summary: RunSummary, account: string): OptimizerEvent {
  return {
    detailType: OptimizerDetailType.RUN_COMPLETED,
    detail: {
      account,
      asOf: summary.asOf.toISOString(),
      dryRun: summary.dryRun,
      monthEnd: summary.monthEnd,
      regions: [...summary.regions],
      workspaces: summary.workspaces,
      actions: { ...summary.actions },
      outcomes: { ...summary.outcomes },
      skipped: { ...summary.skipped },
      errors: summary.errors.length,
      problems: summary.problems.length,
      reportKeys: [...summary.reportKeys],
    },
  };
}
