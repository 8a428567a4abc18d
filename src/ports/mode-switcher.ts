import type { ConvertibleMode, Tags } from '../billing/index.js';
import type { Read } from '../shared/read.js';
import type { Workspace } from './workspace.js';

/** Changes running modes; the only port that alters the fleet. */
export interface ModeSwitcher {
  /** The authoritative, per-WorkSpace tag read made right before converting it. */
  confirmTags(workspace: Workspace): Promise<Read<Tags>>;
  /** Rejects when the change failed after the client's retries. */
  setRunningMode(workspace: Workspace, mode: ConvertibleMode): Promise<void>;
}
