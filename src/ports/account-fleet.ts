import type { FleetSource } from './fleet-source.js';
import type { ModeSwitcher } from './mode-switcher.js';
import type { UnusedWorkspaces } from './unused-workspaces.js';

/** One account of a run: its fleet, read and switched with that account's credentials. */
export interface AccountFleet {
  readonly account: string;
  readonly fleet: FleetSource;
  readonly switcher: ModeSwitcher;
  /** Last connections and removal, with the account's credentials; absent: the account's unused review is skipped. */
  readonly unused?: UnusedWorkspaces | undefined;
  /**
   * Resolves once the account can be reached (its member role assumed);
   * rejects with why not. The run then reports the account as a problem and
   * goes on with the others. Absent: nothing to check (the run's own account).
   */
  readonly reach?: (() => Promise<void>) | undefined;
}

/**
 * The accounts of one run, listed anew for each run (an organization gains
 * and loses accounts; member sessions carry the run's id). Rejects when the
 * accounts cannot be listed at all (AWS Organizations refused).
 */
export type AccountFleets = (runId: string) => Promise<readonly AccountFleet[]>;
