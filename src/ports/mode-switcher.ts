import type { ConvertibleMode, Tags } from '../billing/index.js';
import type { Read } from '../shared/read.js';
import type { Workspace } from './workspace.js';

/** Changes running modes; the only port that alters the fleet. */
export interface ModeSwitcher {
  /** The authoritative, per-WorkSpace tag read made right before converting it. */
  confirmTags(workspace: Workspace): Promise<Read<Tags>>;
  /**
   * Rejects when the change failed after the client's retries. A switch to
   * AutoStop sets `autoStopTimeoutMinutes` too, when given: the timeout its
   * hours were evaluated with, so it bills as it was evaluated.
   */
  setRunningMode(
    workspace: Workspace,
    mode: ConvertibleMode,
    options?: { readonly autoStopTimeoutMinutes?: number | undefined },
  ): Promise<void>;
}
