import { describe, expect, it } from 'vitest';
import { AuditWriteError } from '../../../src/audit/audit-write-error.js';
import { LocalAuditEventSink } from '../../../src/audit/local-audit-event-sink.js';
import { simulatedLoginEvents } from '../../../src/audit/simulated-login-events.js';
import { WorkSpacesAccessDetail } from '../../../src/audit/audit-source-event.js';
import { writeDemoAudit } from '../../../src/audit/write-demo-audit.js';
import { queryAudit } from '../../../src/audit/audit-query.js';
import { SimulatedFleet } from '../../../src/simulated/index.js';
import { twoWorkspaces } from '../../helpers/audit/audit-fixture-store.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { MODE_CHANGED, RUN_COMPLETED } from '../../helpers/audit/optimizer-events.js';

const AS_OF = new Date('2026-11-05T12:00:00Z');

describe('Function: simulatedLoginEvents', () => {
  it('emits one documented-shape login per session started before asOf', () => {
    // Act
    const events = simulatedLoginEvents(twoWorkspaces(), AS_OF);

    // Assert: Oct 30 - Nov 5 09:00 for ws-aaa1111 (7), Oct 30 - Nov 4 14:00 for ws-bbb2222 (6)
    expect(events).toHaveLength(13);
    for (const event of events) {
      expect(event).toMatchObject({
        version: '0',
        source: 'aws.workspaces',
        'detail-type': 'WorkSpaces Access',
      });
      expect(WorkSpacesAccessDetail.safeParse(event.detail).success).toBe(true);
      expect(Date.parse(event.detail.loginTime)).toBeLessThan(AS_OF.getTime());
    }
    const forms = new Set(events.map((event) => event.detail.directoryId.startsWith('domain/')));
    expect(forms).toEqual(new Set([true, false]));
  });

  it('is stable across runs', () => {
    expect(simulatedLoginEvents(twoWorkspaces(), AS_OF)).toEqual(
      simulatedLoginEvents(twoWorkspaces(), AS_OF),
    );
  });
});

describe('Function: writeDemoAudit', () => {
  it('writes every login under kind=login and rewrites the same objects when run again', async () => {
    // Arrange
    const store = new MemoryStore();

    // Act
    const first = await writeDemoAudit(store, twoWorkspaces(), AS_OF);
    const keys = await store.list('audit/');
    await writeDemoAudit(store, twoWorkspaces(), AS_OF);

    // Assert
    expect(first.rejected).toBe(0);
    expect(keys.every((key) => key.startsWith('audit/kind=login/dt=20'))).toBe(true);
    expect(await store.list('audit/')).toEqual(keys);
    expect(store.records()).toHaveLength(13);
  });

  it('takes the seeded simulated fleet as it is and writes one login per session start', async () => {
    // Arrange
    const asOf = new Date('2026-11-20T12:00:00Z');
    const fleet = SimulatedFleet.generate({ seed: 42, asOf }).list().slice(0, 25);
    const starts = fleet.flatMap(({ workspace, sessions }) =>
      sessions
        .filter((session) => session.start < asOf.getTime())
        .map((session) => `${workspace.workspaceId}@${session.start}`),
    );
    const store = new MemoryStore();

    // Act
    await writeDemoAudit(store, fleet, asOf);

    // Assert
    const { records } = await queryAudit(store, { kinds: ['login'] });
    expect(starts.length).toBeGreaterThan(0);
    expect(
      records
        .map(
          (record) => `${record.workspaceId}@${Date.parse(record.kind === 'login' ? record.loginTime : '')}`,
        )
        .sort(),
    ).toEqual(starts.sort());
  });

  it('rejects with the failed objects when a write fails', async () => {
    // Arrange
    const store = new MemoryStore();
    store.failingPrefixes = ['audit/kind=login/dt=2026-11-02/'];

    // Act / Assert
    await expect(writeDemoAudit(store, twoWorkspaces(), AS_OF)).rejects.toThrow(AuditWriteError);
    expect(store.records()).toHaveLength(11);
  });
});

describe('Class: LocalAuditEventSink', () => {
  it("lands the optimizer's events under kind=conversion and kind=run, dated by asOf", async () => {
    // Arrange
    const store = new MemoryStore();
    const sink = new LocalAuditEventSink(store, { account: '111122223333', region: 'eu-west-1' });

    // Act
    await sink.publish([MODE_CHANGED, RUN_COMPLETED]);
    await sink.publish([MODE_CHANGED, RUN_COMPLETED]);

    // Assert
    const keys = await store.list('audit/');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^audit\/kind=conversion\/dt=2026-11-30\/[0-9a-f]{32}\.ndjson$/);
    expect(keys[1]).toMatch(/^audit\/kind=run\/dt=2026-11-30\/[0-9a-f]{32}\.ndjson$/);
    expect(store.records().map((record) => [record.kind, record.time])).toEqual([
      ['conversion', '2026-11-30T23:00:00.000Z'],
      ['run', '2026-11-30T23:00:00.000Z'],
    ]);
  });

  it('rejects when the audit object could not be written, as the EventSink port requires', async () => {
    // Arrange
    const store = new MemoryStore();
    store.failingPrefixes = ['audit/kind=conversion/'];
    const sink = new LocalAuditEventSink(store, { account: '111122223333', region: 'eu-west-1' });

    // Act / Assert
    await expect(sink.publish([MODE_CHANGED, RUN_COMPLETED])).rejects.toThrow(
      /audit\/kind=conversion\/.*AccessDenied/,
    );
    expect(store.records().map((record) => record.kind)).toEqual(['run']);
  });
});
