import type { OptimizerEvent } from '../../ports/event-sink.js';
import { OptimizerDetailType, UNUSED_LISTED_MAX_ITEMS } from '../../ports/event-sink.js';
import { UseStatus } from '../../billing/index.js';
import type { UnusedRow } from './review-unused.js';
import type { UnusedSummary } from './unused-run.js';

/**
 * This run's `WorkSpaces Unused Listed` event, when it listed some for the
 * first time this month (a rerun lists none anew, so it announces nothing
 * twice). It and the removals' events go out through the unused ledger's
 * outbox (`unused-outbox.ts`), which marks each published.
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
        listingId: listingIdOf(run.asOf.toISOString()),
      },
    });
  return events;
}

/** The id of the listing made by the run at `asOf` (ISO): every WorkSpace it listed first says so in the ledger. */
export const listingIdOf = (asOf: string) => `unused-listed/${asOf}`;
