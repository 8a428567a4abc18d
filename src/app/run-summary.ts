import type { Action, Outcome } from '../billing/index.js';
import { Action as Actions, Outcome as Outcomes } from '../billing/index.js';
import type { FleetProblem } from '../ports/fleet-source.js';
import type { WorkspaceResult } from './workspace-result.js';
import type { WriteFailure } from '../shared/write-failure.js';

export interface WorkspaceError {
  readonly workspaceId: string;
  readonly region: string;
  readonly message: string;
}

/** What a run did, for people (the CLI), for machines (events, metrics) and for exit codes. */
export interface RunSummary {
  readonly asOf: Date;
  readonly dryRun: boolean;
  readonly monthEnd: boolean;
  readonly regions: readonly string[];
  readonly workspaces: number;
  readonly actions: Readonly<Record<Action, number>>;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** Conversions by `action` then `outcome`, e.g. `conversions.TO_ALWAYS_ON.APPLIED`. */
  readonly conversions: Readonly<Record<'TO_ALWAYS_ON' | 'TO_AUTO_STOP', Readonly<Record<Outcome, number>>>>;
  /** SKIP rows by reason. */
  readonly skipped: Readonly<Record<string, number>>;
  /** WorkSpaces whose usage could not be read or whose modify failed. */
  readonly errors: readonly WorkspaceError[];
  /** Regions or directories that could not be read. */
  readonly problems: readonly FleetProblem[];
  readonly reportKeys: readonly string[];
  /** Report or event writes that failed: the run has failed if any. */
  readonly writeFailures: readonly WriteFailure[];
  /** Where the reports are, for people. */
  readonly reportLocation: string;
  /** Daily report rows kept from an earlier run of the day for regions or directories this run could not read. */
  readonly keptRows: number;
  /** Conversion events published from the ledger by this run, and those still waiting (sent by the next run). */
  readonly events: { readonly published: number; readonly pending: number };
}

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

export function countResults(results: readonly WorkspaceResult[]) {
  const outcomeKeys = Object.values(Outcomes);
  const actions = zeroes(Object.values(Actions));
  const outcomes = zeroes(outcomeKeys);
  const conversions = { TO_ALWAYS_ON: zeroes(outcomeKeys), TO_AUTO_STOP: zeroes(outcomeKeys) };
  const skipped: Record<string, number> = {};
  const errors: WorkspaceError[] = [];
  for (const result of results) {
    const { action, reason } = result.decision;
    actions[action] += 1;
    outcomes[result.outcome] += 1;
    if (action === Actions.TO_ALWAYS_ON || action === Actions.TO_AUTO_STOP)
      conversions[action][result.outcome] += 1;
    if (action === Actions.SKIP) skipped[reason] = (skipped[reason] ?? 0) + 1;
    if (action === Actions.ERROR || result.outcome === Outcomes.FAILED) {
      errors.push({
        workspaceId: result.workspace.workspaceId,
        region: result.workspace.region,
        message: result.error ?? reason,
      });
    }
  }
  return { actions, outcomes, conversions, skipped, errors };
}

/** A run fails when anything it had to write (reports, events) was not written. */
export function runFailed(summary: RunSummary): boolean {
  return summary.writeFailures.length > 0;
}
