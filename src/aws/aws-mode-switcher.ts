import { ModifyWorkspacePropertiesCommand } from '@aws-sdk/client-workspaces';
import type { ConvertibleMode, Tags } from '../billing/index.js';
import type { ModeSwitcher } from '../ports/mode-switcher.js';
import type { Read } from '../shared/read.js';
import type { Workspace } from '../ports/workspace.js';
import { failed, ok } from '../shared/read.js';
import type { AwsClientsFor } from './clients.js';
import { describeTags } from './tag-reader.js';

/**
 * Converts WorkSpaces with `ModifyWorkspaceProperties`. Retries are the SDK's;
 * an error that survives them propagates and the use case reports `FAILED`.
 */
export class AwsModeSwitcher implements ModeSwitcher {
  constructor(private readonly clients: AwsClientsFor) {}

  /** `DescribeTags` on the WorkSpace itself: the bulk Tagging index may lag behind a fresh exemption. */
  async confirmTags(workspace: Workspace): Promise<Read<Tags>> {
    try {
      return ok(await describeTags(this.clients(workspace.region).workspaces, workspace.workspaceId));
    } catch (error) {
      return failed(error);
    }
  }

  async setRunningMode(
    workspace: Workspace,
    mode: ConvertibleMode,
    options: { readonly autoStopTimeoutMinutes?: number | undefined } = {},
  ): Promise<void> {
    const timeout =
      mode === 'AUTO_STOP' && options.autoStopTimeoutMinutes !== undefined
        ? { RunningModeAutoStopTimeoutInMinutes: options.autoStopTimeoutMinutes }
        : {};
    await this.clients(workspace.region).workspaces.send(
      new ModifyWorkspacePropertiesCommand({
        WorkspaceId: workspace.workspaceId,
        WorkspaceProperties: { RunningMode: mode, ...timeout },
      }),
    );
  }
}
