import type { Decision, Outcome, Tags, Threshold } from '../billing/index.js';
import type { WorkspaceCost } from './workspace-cost.js';
import type { Workspace } from '../ports/workspace.js';

/** Everything the run learned and did about one WorkSpace: one report row. */
export interface WorkspaceResult {
  readonly workspace: Workspace;
  /** `undefined` when the tags could not be read. */
  readonly tags: Tags | undefined;
  readonly idleTimeoutMinutes: number;
  /** `undefined` when usage could not be read. */
  readonly billableHours: number | undefined;
  readonly threshold: Threshold;
  readonly decision: Decision;
  readonly outcome: Outcome;
  /** The mode after the run: the target for `APPLIED`, the current mode otherwise. */
  readonly newRunningMode: string;
  /** Why usage or tags could not be read, or why the modify failed. */
  readonly error?: string | undefined;
  /** Prices and cost figures; absent when the WorkSpace's prices are not known. */
  readonly cost?: WorkspaceCost | undefined;
}
