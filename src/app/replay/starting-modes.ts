import type { Interval } from '../../billing/index.js';
import { monthOf, nextMonthStartUtc, RunningMode } from '../../billing/index.js';
import type { FleetHistory, WorkspaceHistory } from '../../ports/fleet-history.js';
import type { ConversionLedger } from '../ledger/conversion-ledger.js';
import type { LedgerEntry } from '../ledger/ledger-entry.js';
import { LedgerStatus } from '../ledger/ledger-entry.js';

/**
 * The modes a real fleet started the period in. The inventory shows today's
 * modes; where the conversion ledger holds a conversion wco applied since the
 * period started, the WorkSpace was in that conversion's `from` mode before
 * (with the idle timeout the conversion recorded). Months from the period's
 * first to `until`'s are read. The notes say how many came from where: a
 * change an operator made by hand is in no ledger.
 */
export async function startingModesFromLedger(
  history: FleetHistory,
  ledger: ConversionLedger,
  period: Interval,
  until: Date,
): Promise<FleetHistory> {
  const first = new Map<string, LedgerEntry>();
  const notes: string[] = [];
  for (let month = new Date(period.start); month <= until; month = nextMonthStartUtc(month)) {
    const { entries, problems } = await ledger.entriesOfMonth(monthOf(month));
    if (problems.length > 0)
      notes.push(
        `${problems.length} ledger entr${problems.length === 1 ? 'y' : 'ies'} of ${monthOf(month)} could not be read (${problems[0]}): those WorkSpaces start in their current mode`,
      );
    for (const entry of entries) {
      if (entry.status !== LedgerStatus.APPLIED || Date.parse(entry.asOf) < period.start) continue;
      const key = keyOf(entry.account, entry.region, entry.workspaceId);
      const known = first.get(key);
      if (known === undefined || entry.asOf < known.asOf) first.set(key, entry);
    }
  }
  let fromLedger = 0;
  const workspaces = history.workspaces.map((item): WorkspaceHistory => {
    const { workspace } = item;
    const entry = first.get(keyOf(workspace.account, workspace.region, workspace.workspaceId));
    if (entry === undefined) return item;
    fromLedger += 1;
    return {
      ...item,
      workspace: {
        ...workspace,
        runningMode: entry.fromMode,
        autoStopTimeoutMinutes:
          entry.fromMode === RunningMode.AUTO_STOP
            ? (workspace.autoStopTimeoutMinutes ?? entry.idleTimeoutMinutes)
            : workspace.autoStopTimeoutMinutes,
      },
    };
  });
  const since = new Date(period.start).toISOString().slice(0, 10);
  notes.unshift(
    `Starting modes: ${fromLedger} WorkSpace(s) from the conversion ledger (wco converted them since ${since}), ` +
      `${workspaces.length - fromLedger} their current mode (no conversion of theirs is in the ledger since then; a change made by hand would not show).`,
  );
  return { ...history, workspaces, notes: [...history.notes, ...notes] };
}

function keyOf(account: string, region: string, workspaceId: string): string {
  return `${account}/${region}/${workspaceId}`;
}
