import { decisionOf } from './ledger/ledger-cost.js';
import type { LedgerEntry } from './ledger/ledger-entry.js';
import { LedgerStatus } from './ledger/ledger-entry.js';
import type { RunSummary } from './run-summary.js';
import type { ModeChangedDetail, OptimizerEvent } from '../ports/event-sink.js';
import { OptimizerDetailType } from '../ports/event-sink.js';

/**
 * The `WorkSpace Running Mode Changed` event of a conversion the ledger holds
 * as `APPLIED`, with the entry's record id: published from the ledger (the
 * outbox), so its content is the same however often it is sent.
 */
export function modeChangedEvent(entry: LedgerEntry): OptimizerEvent {
  return { detailType: OptimizerDetailType.MODE_CHANGED, detail: conversionDetail(entry) };
}

/** What every conversion event says of its ledger entry. */
function conversionDetail(entry: LedgerEntry): ModeChangedDetail {
  return {
    workspaceId: entry.workspaceId,
    directoryId: entry.directoryId,
    account: entry.account,
    region: entry.region,
    fromMode: entry.fromMode,
    toMode: entry.toMode,
    billableHours: entry.billableHours,
    thresholdHours: entry.thresholdHours,
    reason: decisionOf(entry).reason,
    asOf: entry.asOf,
    recordId: entry.id,
  };
}

/**
 * The `WorkSpace Running Mode Change Failed` event of a conversion the ledger
 * holds as `FAILED`: its record id, attempt and error, so a failed conversion
 * leaves a record in the audit trail as an applied one does.
 */
export function modeChangeFailedEvent(entry: LedgerEntry): OptimizerEvent {
  return {
    detailType: OptimizerDetailType.MODE_CHANGE_FAILED,
    detail: {
      ...conversionDetail(entry),
      recordId: entry.id,
      attempt: entry.attempts,
      error: entry.error ?? 'the running mode change failed',
    },
  };
}

/** The event the outbox publishes for a settled entry: applied or failed. */
export function conversionEvent(entry: LedgerEntry): OptimizerEvent {
  return entry.status === LedgerStatus.FAILED ? modeChangeFailedEvent(entry) : modeChangedEvent(entry);
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
