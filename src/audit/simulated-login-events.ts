import { createHash } from 'node:crypto';
import type { Interval } from '../billing/index.js';
import type { Workspace } from '../ports/workspace.js';
import type { WorkSpacesAccessDetail } from './audit-source-event.js';
import { WORKSPACES_ACCESS_DETAIL_TYPE, WORKSPACES_EVENT_SOURCE } from './audit-source-event.js';
import type { EventBridgeEvent } from './event-bridge-event.js';
import { deterministicEventId, eventBridgeEvent } from './event-bridge-event.js';

/** A simulated WorkSpace and the times its user was connected. */
export interface WorkspaceSessions {
  readonly workspace: Pick<Workspace, 'workspaceId' | 'directoryId' | 'account' | 'region'>;
  readonly sessions: readonly Interval[];
}

/** Client products, platforms and versions as the WorkSpaces documentation lists them. */
const CLIENTS = [
  { product: 'WorkSpaces Desktop client', platform: 'Windows', version: '5.22.1.5241' },
  { product: 'WorkSpaces Desktop client', platform: 'OSX', version: '5.22.0.5187' },
  { product: 'WorkSpaces Desktop client', platform: 'Linux', version: '2024.8.5191' },
  { product: 'WorkSpacesWebClient', platform: 'Web', version: '5.7.0.3472' },
  { product: 'Amazon WorkSpaces Mobile client', platform: 'iOS', version: '3.2.0' },
] as const;

/** EventBridge delivers the login event a few seconds after the login itself. */
const DELIVERY_DELAY_MS = 20_000;

/**
 * The `WorkSpaces Access` events the WorkSpaces clients would have sent for
 * the simulated sessions: one per session that started before `asOf`. Client
 * and address are derived from the WorkSpace and session (stable across
 * runs); addresses are from the documentation ranges (RFC 5737). The
 * directory id alternates between the `d-…` and `domain/d-…` forms the
 * service is seen to send.
 */
export function simulatedLoginEvents(
  fleet: readonly WorkspaceSessions[],
  asOf: Date,
): EventBridgeEvent<WorkSpacesAccessDetail>[] {
  const events: EventBridgeEvent<WorkSpacesAccessDetail>[] = [];
  for (const { workspace, sessions } of fleet) {
    const client = CLIENTS[hash(workspace.workspaceId) % CLIENTS.length]!;
    const office = `198.51.100.${1 + (hash(`${workspace.workspaceId}/office`) % 254)}`;
    const home = `203.0.113.${1 + (hash(`${workspace.workspaceId}/home`) % 254)}`;
    for (const session of sessions) {
      if (session.start >= asOf.getTime()) continue;
      const sessionHash = hash(`${workspace.workspaceId}@${session.start}`);
      events.push(
        eventBridgeEvent({
          id: deterministicEventId(WORKSPACES_EVENT_SOURCE, workspace.workspaceId, String(session.start)),
          source: WORKSPACES_EVENT_SOURCE,
          detailType: WORKSPACES_ACCESS_DETAIL_TYPE,
          account: workspace.account,
          region: workspace.region,
          time: new Date(session.start + DELIVERY_DELAY_MS),
          detail: {
            clientIpAddress: sessionHash % 5 === 0 ? home : office,
            actionType: 'successfulLogin',
            workspacesClientProductName: client.product,
            loginTime: new Date(session.start).toISOString(),
            clientPlatform: client.platform,
            directoryId: sessionHash % 2 === 0 ? `domain/${workspace.directoryId}` : workspace.directoryId,
            clientVersion: client.version,
            workspaceId: workspace.workspaceId,
          },
        }),
      );
    }
  }
  return events;
}

function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
