import type { Interval } from '../../../src/billing/index.js';
import { LocalAuditEventSink } from '../../../src/audit/local-audit-event-sink.js';
import type { WorkspaceSessions } from '../../../src/audit/simulated-login-events.js';
import { writeDemoAudit } from '../../../src/audit/write-demo-audit.js';
import type { ObjectStore } from '../../../src/ports/object-store.js';
import { MODE_CHANGED, RUN_COMPLETED } from './optimizer-events.js';

const HOUR = 3_600_000;

/** Two WorkSpaces, one session a day at 09:00 UTC (ws-aaa1111) and 14:00 UTC (ws-bbb2222), Oct 30 - Nov 10. */
export function twoWorkspaces(): WorkspaceSessions[] {
  const daily = (hourUtc: number): Interval[] =>
    Array.from({ length: 12 }, (_, day) => {
      const start = Date.UTC(2026, 9, 30 + day, hourUtc);
      return { start, end: start + 2 * HOUR };
    });
  return [
    {
      workspace: {
        workspaceId: 'ws-aaa1111',
        directoryId: 'd-9067aaaaaa',
        account: '111122223333',
        region: 'eu-west-1',
      },
      sessions: daily(9),
    },
    {
      workspace: {
        workspaceId: 'ws-bbb2222',
        directoryId: 'd-9067bbbbbb',
        account: '111122223333',
        region: 'us-east-1',
      },
      sessions: daily(14),
    },
  ];
}

/** The logins of `twoWorkspaces` up to Nov 30 23:00, plus the Nov 30 conversion of ws-abc12345 and its run. */
export async function writeSampleAudit(store: ObjectStore): Promise<void> {
  await writeDemoAudit(store, twoWorkspaces(), new Date('2026-11-30T23:00:00Z'));
  await new LocalAuditEventSink(store, { account: '111122223333', region: 'eu-west-1' }).publish([
    MODE_CHANGED,
    RUN_COMPLETED,
  ]);
}
