import { Outcome, SUGGESTED_THRESHOLDS } from '../billing/index.js';
import type { RunSummary } from '../app/run-summary.js';
import { formatUnused } from './format-unused.js';

const CONVERSION_LABELS = { TO_ALWAYS_ON: 'to ALWAYS_ON', TO_AUTO_STOP: 'to AUTO_STOP' } as const;
const OUTCOME_LABELS: Record<Outcome, string> = {
  NONE: 'none',
  DRY_RUN: 'dry run',
  DEFERRED: 'deferred',
  APPLIED: 'applied',
  FAILED: 'FAILED',
};

/** The run summary a person reads at a glance after `wco run`. */
export function formatSummary(summary: RunSummary): string {
  const lines: string[] = [];
  const mode = summary.dryRun
    ? 'DRY RUN: nothing changed (add --apply to convert)'
    : 'APPLY: running modes changed';
  lines.push(
    `wco run as of ${summary.asOf.toISOString()}${summary.monthEnd ? ' (month end)' : ''} - ${mode}`,
  );
  lines.push(
    `WorkSpaces seen: ${summary.workspaces} in ${summary.regions.length} region(s): ${summary.regions.join(', ')}`,
  );

  lines.push('Conversions:');
  for (const [action, label] of Object.entries(CONVERSION_LABELS) as [
    keyof typeof CONVERSION_LABELS,
    string,
  ][]) {
    const byOutcome = summary.conversions[action];
    const total = Object.values(byOutcome).reduce((sum, count) => sum + count, 0);
    const detail = (Object.keys(OUTCOME_LABELS) as Outcome[])
      .filter((outcome) => outcome !== Outcome.NONE && byOutcome[outcome] > 0)
      .map((outcome) => `${OUTCOME_LABELS[outcome]} ${byOutcome[outcome]}`)
      .join(', ');
    lines.push(`  ${label.padEnd(13)} ${String(total).padStart(5)}${detail ? `  (${detail})` : ''}`);
  }
  lines.push(`  unchanged     ${String(summary.actions.NONE).padStart(5)}`);
  // A run over several accounts (a hub, the demo) says what each came to.
  const accounts = summary.accounts ?? [];
  if (accounts.length > 1) {
    lines.push(`Accounts: ${accounts.length}`);
    for (const one of accounts)
      lines.push(
        `  ${one.account}  ${String(one.workspaces).padStart(5)} WorkSpaces, to ALWAYS_ON ${one.toAlwaysOn}, to AUTO_STOP ${one.toAutoStop}`,
      );
  }

  const skipped = Object.entries(summary.skipped).sort(([a], [b]) => (a < b ? -1 : 1));
  const skippedTotal = skipped.reduce((sum, [, count]) => sum + count, 0);
  lines.push(
    `Skipped: ${skippedTotal}${skipped.length ? `  (${skipped.map(([reason, count]) => `${reason} ${count}`).join(', ')})` : ''}`,
  );

  // Every WorkSpace a person should look at, with what happened (the AWS error, the state): not only with --verbose.
  lines.push(`Needs attention: ${summary.attention.length}`);
  const width = Math.max(0, ...summary.attention.map((item) => item.reason.length));
  for (const item of summary.attention)
    lines.push(`  ${item.reason.padEnd(width)}  ${item.workspaceId} (${item.region}): ${item.detail}`);
  const fallback = Object.entries(summary.fallbackComputeTypes).sort(([a], [b]) => (a < b ? -1 : 1));
  if (fallback.length > 0) {
    lines.push(
      `Warning: wco has no threshold for ${fallback.length} compute type(s); decided by the default (set --threshold TYPE=HOURS, or give prices):`,
    );
    for (const [computeType, count] of fallback) {
      const suggested = Object.hasOwn(SUGGESTED_THRESHOLDS, computeType)
        ? ` (list prices suggest ${SUGGESTED_THRESHOLDS[computeType]} h: --threshold ${computeType}=${SUGGESTED_THRESHOLDS[computeType]})`
        : '';
      lines.push(
        `  ${computeType === '' ? '(none reported)' : computeType}: ${count.workspaces} WorkSpace(s) at ${count.hours} h${suggested}`,
      );
    }
  }
  lines.push(...formatUnused(summary.unused));
  if (summary.problems.length > 0) {
    lines.push(`Not read: ${summary.problems.length}`);
    for (const problem of summary.problems) lines.push(`  ${problemScope(problem)}: ${problem.message}`);
  }

  if (!summary.dryRun)
    lines.push(
      `Conversion events: ${summary.events.published} published from the ledger${
        summary.events.pending > 0 ? `, ${summary.events.pending} waiting for the next run` : ''
      }`,
    );
  if (summary.keptRows > 0)
    lines.push(
      `Kept from an earlier run today: ${summary.keptRows} row(s) of the parts not read (evaluated = no)`,
    );
  lines.push(`Reports: ${summary.reportKeys.length} file(s) under ${summary.reportLocation}`);
  // The per-directory files are many; people open the aggregates and the monthly summary.
  const headline = summary.reportKeys.filter(
    (key) => key.endsWith('/aggregated.csv') || key.includes('/summary.') || key.endsWith('/unused.csv'),
  );
  for (const key of headline) lines.push(`  ${key}`);
  if (summary.writeFailures.length > 0) {
    lines.push(`WRITE FAILURES: ${summary.writeFailures.length}`);
    for (const failure of summary.writeFailures) lines.push(`  ${failure.target}: ${failure.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `us-east-1 directory d-1`; `111111111111 us-east-1 region` in a member account; `account 555555555555`. */
function problemScope(problem: RunSummary['problems'][number]): string {
  if (problem.scope === `account ${problem.account}`) return problem.scope;
  return [problem.account, problem.region, problem.scope].filter((part) => part).join(' ');
}
