import type { Action, Outcome, ThresholdPolicy } from '../billing/index.js';
import { Action as Actions, fellBack, Outcome as Outcomes } from '../billing/index.js';
import type { FleetProblem } from '../ports/fleet-source.js';
import type { WorkspaceResult } from './workspace-result.js';
import type { WriteFailure } from '../shared/write-failure.js';

export interface WorkspaceError {
  readonly workspaceId: string;
  readonly region: string;
  readonly message: string;
}

/** WorkSpaces of one compute type decided by the fallback threshold, and its hours. */
export interface FallbackCount {
  readonly workspaces: number;
  readonly hours: number;
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
  /**
   * WorkSpaces decided by the fallback threshold because wco has no threshold
   * (and no price) for their compute type, by compute type: a warning, so a
   * new compute type is never decided at 82 hours unnoticed.
   */
  readonly fallbackComputeTypes: Readonly<Record<string, FallbackCount>>;
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

export function countResults(results: readonly WorkspaceResult[], thresholds: ThresholdPolicy) {
  const outcomeKeys = Object.values(Outcomes);
  const actions = zeroes(Object.values(Actions));
  const outcomes = zeroes(outcomeKeys);
  const conversions = { TO_ALWAYS_ON: zeroes(outcomeKeys), TO_AUTO_STOP: zeroes(outcomeKeys) };
  const skipped: Record<string, number> = {};
  const errors: WorkspaceError[] = [];
  // A Map: compute types come from the service, and `__proto__` must stay a key.
  const fallback = new Map<string, FallbackCount>();
  for (const result of results) {
    const { action, reason } = result.decision;
    const { computeType } = result.workspace;
    if (fellBack(thresholds, computeType, result.threshold))
      fallback.set(computeType, {
        workspaces: (fallback.get(computeType)?.workspaces ?? 0) + 1,
        hours: result.threshold.hours,
      });
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
  return {
    actions,
    outcomes,
    conversions,
    skipped,
    errors,
    fallbackComputeTypes: Object.fromEntries(fallback),
  };
}

/** A run fails when anything it had to write (reports, events) was not written. */
export function runFailed(summary: RunSummary): boolean {
  return summary.writeFailures.length > 0;
}

/** The summary in JSON terms: what `JSON.stringify` makes of it, `asOf` in ISO 8601. */
export type JsonRunSummary = Omit<RunSummary, 'asOf'> & { readonly asOf: string };

/** The summary as automation receives it: the Lambda's return value, `wco run --json`, `run-summary.json`. */
export function toJsonSummary(summary: RunSummary): JsonRunSummary {
  return { ...summary, asOf: summary.asOf.toISOString() };
}
