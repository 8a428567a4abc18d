import type { UnusedSummary } from '../app/unused/unused-run.js';

const ACTION_LABELS = {
  TERMINATE: 'terminated',
  STOP: 'stopped',
  TO_AUTO_STOP: 'switched to AutoStop',
} as const;

/** The unused review's lines of the run summary: the list in short, its cost, and every removal. */
export function formatUnused(unused: UnusedSummary | undefined): string[] {
  if (unused === undefined) return [];
  const waste = Object.entries(unused.monthlyWaste)
    .map(([currency, amount]) => `${amount} ${currency}`)
    .join(' + ');
  const lines = [
    `Unused for ${unused.months}+ months: ${unused.listed}${waste ? `, wasting ${waste} per month` : ''}${
      unused.unknown > 0 ? `; use unknown: ${unused.unknown}` : ''
    }${unused.newlyListed > 0 ? `; newly listed: ${unused.newlyListed}` : ''} (unused.csv has them all)`,
  ];
  for (const item of unused.items)
    lines.push(
      `  ${item.workspaceId} (${item.account} ${item.region}, ${item.userName}): ${item.monthsUnused} months, ${
        item.monthlyWaste === undefined
          ? 'no price'
          : `${item.monthlyWaste.amount} ${item.monthlyWaste.currency}/month`
      }, ${item.removed ? 'REMOVED' : item.verdict}`,
    );
  if (!unused.removal)
    lines.push(
      '  Removal is off (report only): --terminate-unused with --apply, on the last UTC day of a month',
    );
  for (const item of unused.removed)
    lines.push(
      `  REMOVED: ${item.workspaceId} (${item.account} ${item.region}) ${ACTION_LABELS[item.action]}`,
    );
  for (const item of unused.failed)
    lines.push(`  REMOVAL FAILED: ${item.workspaceId} (${item.account} ${item.region}): ${item.error ?? ''}`);
  if (unused.capReached > 0)
    lines.push(
      `  ${unused.capReached} more would have been removed: the per-run cap (--max-removals) was reached`,
    );
  return lines;
}
