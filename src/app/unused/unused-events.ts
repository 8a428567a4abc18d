import type { OptimizerEvent } from '../../ports/event-sink.js';
import { OptimizerDetailType, UNUSED_LISTED_MAX_ITEMS } from '../../ports/event-sink.js';
import { UseStatus } from '../../billing/index.js';
import type { UnusedRow } from './review-unused.js';
import { RemovalOutcome } from './review-unused.js';
import type { UnusedSummary } from './unused-run.js';

/**
 * The review's events: `WorkSpaces Unused Listed` when this run listed some
 * for the first time this month (a rerun lists none anew, so it announces
 * nothing twice), and one event per removal this run made or tried.
 */
export function unusedEvents(
  run: {
    readonly account: string;
    readonly asOf: Date;
    readonly month: string;
    readonly reportKey?: string | undefined;
  },
  summary: UnusedSummary,
  rows: readonly UnusedRow[],
): OptimizerEvent[] {
  const events: OptimizerEvent[] = [];
  const newly = rows.filter((row) => row.newlyListed && row.review.status === UseStatus.UNUSED);
  if (newly.length > 0)
    events.push({
      detailType: OptimizerDetailType.UNUSED_LISTED,
      detail: {
        account: run.account,
        asOf: run.asOf.toISOString(),
        month: run.month,
        months: summary.months,
        removal: summary.removal,
        listed: summary.listed,
        newlyListed: newly.length,
        monthlyWaste: { ...summary.monthlyWaste },
        workspaces: newly.slice(0, UNUSED_LISTED_MAX_ITEMS).map((row) => ({
          workspaceId: row.workspace.workspaceId,
          account: row.workspace.account,
          region: row.workspace.region,
          userName: row.workspace.userName,
          monthsUnused: row.review.monthsUnused,
        })),
        reportKey: run.reportKey,
      },
    });
  for (const row of rows) {
    if (row.outcome !== RemovalOutcome.DONE && row.outcome !== RemovalOutcome.FAILED) continue;
    events.push({
      detailType:
        row.outcome === RemovalOutcome.DONE
          ? OptimizerDetailType.UNUSED_REMOVED
          : OptimizerDetailType.UNUSED_REMOVAL_FAILED,
      detail: {
        workspaceId: row.workspace.workspaceId,
        directoryId: row.workspace.directoryId,
        account: row.workspace.account,
        region: row.workspace.region,
        userName: row.workspace.userName,
        action: row.action,
        monthsUnused: row.review.monthsUnused,
        asOf: run.asOf.toISOString(),
        ...(row.error === undefined ? {} : { error: row.error }),
      },
    });
  }
  return events;
}
