import { describe, expect, it } from 'vitest';
import { ReplayFleet } from '../../../../src/app/replay/replay-fleet.js';
import { replayPeriod, runTimes } from '../../../../src/app/replay/replay-period.js';
import type { WorkspaceHistory } from '../../../../src/ports/fleet-history.js';
import { workspace } from '../../../helpers/in-memory-fleet.js';
import { ms } from '../../../helpers/billing.js';

const HOUR_MS = 3_600_000;

function history(overrides: Partial<WorkspaceHistory> & { id: string }): WorkspaceHistory {
  const { id, ...rest } = overrides;
  return {
    workspace: workspace({ workspaceId: id }),
    tags: { ok: true, value: {} },
    // Connected 09:00-11:00 on Nov 2, 3 and 4.
    usage: {
      ok: true,
      value: {
        connectedStarts: ['2026-11-02', '2026-11-03', '2026-11-04'].flatMap((day) => [
          ms(`${day}T09:00:00Z`),
          ms(`${day}T10:00:00Z`),
        ]),
        periodMinutes: 60,
      },
    },
    ...rest,
  };
}

const read = async (fleet: ReplayFleet, asOf: string) =>
  (await fleet.readRegion('us-east-1', { asOf: new Date(asOf), assumedTimeoutMinutes: 60 })).workspaces;

describe('ReplayFleet: the history played back run by run', () => {
  it('shows the usage before T only, and the state by the idle timeout', async () => {
    const fleet = new ReplayFleet([history({ id: 'ws-1' })], ['us-east-1'], 60);
    const [during] = await read(fleet, '2026-11-03T11:00:00Z');
    expect(during!.usage).toEqual({
      ok: true,
      value: {
        connectedStarts: [
          ms('2026-11-02T09:00:00Z'),
          ms('2026-11-02T10:00:00Z'),
          ms('2026-11-03T09:00:00Z'),
          ms('2026-11-03T10:00:00Z'),
        ],
        periodMinutes: 60,
      },
    });
    // Connected until 11:00, with a 60-minute timeout: running until 12:00.
    expect(during!.workspace.state).toBe('AVAILABLE');
    const [evening] = await read(fleet, '2026-11-03T23:00:00Z');
    expect(evening!.workspace.state).toBe('STOPPED');
  });

  it('shows a WorkSpace only while it exists', async () => {
    const existence = { start: ms('2026-11-10T08:00:00Z'), end: ms('2026-11-20T18:00:00Z') };
    const fleet = new ReplayFleet([history({ id: 'ws-1', existence })], ['us-east-1'], 60);
    expect(await read(fleet, '2026-11-09T23:00:00Z')).toEqual([]);
    expect(await read(fleet, '2026-11-15T23:00:00Z')).toHaveLength(1);
    expect(await read(fleet, '2026-11-20T23:00:00Z')).toEqual([]);
  });

  it('keeps the mode a run set for the next runs; a switch to AutoStop sets the timeout given', async () => {
    const fleet = new ReplayFleet(
      [
        history({
          id: 'ws-1',
          workspace: workspace({
            workspaceId: 'ws-1',
            runningMode: 'ALWAYS_ON',
            autoStopTimeoutMinutes: undefined,
          }),
        }),
      ],
      ['us-east-1'],
      60,
    );
    const [before] = await read(fleet, '2026-11-30T23:00:00Z');
    await fleet.setRunningMode(before!.workspace, 'AUTO_STOP', { autoStopTimeoutMinutes: 120 });
    const [after] = await read(fleet, '2026-12-01T23:00:00Z');
    expect(after!.workspace).toMatchObject({ runningMode: 'AUTO_STOP', autoStopTimeoutMinutes: 120 });
    expect(fleet.modeOf('ws-1')).toBe('AUTO_STOP');
  });

  it('meets the history’s faults and fixed states on every run', async () => {
    const fleet = new ReplayFleet(
      [
        history({
          id: 'ws-1',
          faults: { usage: 'ThrottlingException: Rate exceeded', modify: 'AccessDeniedException: no' },
        }),
        history({ id: 'ws-2', state: 'PENDING' }),
      ],
      ['us-east-1'],
      60,
    );
    const [faulty, pending] = await read(fleet, '2026-11-05T23:00:00Z');
    expect(faulty!.usage).toEqual({ ok: false, error: 'ThrottlingException: Rate exceeded' });
    await expect(fleet.setRunningMode(faulty!.workspace, 'ALWAYS_ON')).rejects.toThrow(
      'AccessDeniedException',
    );
    expect(pending!.workspace.state).toBe('PENDING');
    await expect(fleet.setRunningMode(pending!.workspace, 'ALWAYS_ON')).rejects.toThrow('PENDING');
    expect(fleet.modeOf('ws-1')).toBe('AUTO_STOP');
  });
});

describe('runTimes', () => {
  const november = replayPeriod(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'));

  it('runs daily at the hour, on every day of the period', () => {
    const runs = runTimes(november, { kind: 'daily', hourUtc: 23 });
    expect(runs).toHaveLength(30);
    expect(runs[0]!.toISOString()).toBe('2026-11-01T23:00:00.000Z');
    expect(runs.at(-1)!.toISOString()).toBe('2026-11-30T23:00:00.000Z');
  });

  it('runs every hour, on whole hours', () => {
    const runs = runTimes(november, { kind: 'hourly' });
    expect(runs).toHaveLength(720);
    expect(runs.every((run) => run.getTime() % HOUR_MS === 0)).toBe(true);
  });
});
