import { describe, expect, it } from 'vitest';
import { AwsFleetSource } from '../../../src/aws/aws-fleet-source.js';
import { billableHours, usageWindow } from '../../../src/billing/index.js';
import { readRegion, testClients, useEmulator, workspacesOf } from '../../helpers/aws-test-kit.js';

const REGION = 'us-east-1';
const at = (time: string) => Date.parse(`2026-11-20T${time}:00Z`);

// T is mid-hour (10:30). An hourly Maximum for 10:00-11:00 would also see a
// session that starts after T; the reader must not bill it.
const fleet = workspacesOf('d-mid', 4, (index) => ({
  sessions: [
    [{ start: at('10:40'), end: at('10:59') }], // only after T: bills nothing yet
    [{ start: at('10:05'), end: at('10:10') }], // before T in T's hour: bills hour 10
    [{ start: at('08:00'), end: at('09:00') }], // earlier: hours 08 and 09
    [
      { start: at('08:00'), end: at('08:30') },
      { start: at('10:45'), end: at('10:55') },
    ], // hours 08 and 09, not 10
  ][index]!,
}));

const emulator = useEmulator(() => ({
  regions: { [REGION]: { directories: [{ directoryId: 'd-mid' }], workspaces: fleet } },
}));

async function hoursAt(asOf: Date): Promise<number[]> {
  const source = new AwsFleetSource({ regions: [REGION], account: '123456789012', clients: testClients() });
  const read = await readRegion(source, REGION, { asOf, assumedTimeoutMinutes: 60 });
  return fleet.map(({ workspaceId }) => {
    const usage = read.workspaces.find((observed) => observed.workspace.workspaceId === workspaceId)!.usage;
    if (!usage.ok) throw new Error(usage.error);
    return billableHours(usage.value, 60, usageWindow(asOf));
  });
}

describe('Function: readUsage, with T in the middle of an hour', () => {
  it("bills T's hour only for usage before T, as the 5-minute contract does", async () => {
    emulator.current.resetCalls();
    expect(await hoursAt(new Date('2026-11-20T10:30:00Z'))).toEqual([0, 1, 2, 2]);
    // One hourly call up to 10:00 and one 5-minute call for 10:00-10:30.
    expect(emulator.current.calls.GetMetricData).toBe(2);
  });

  it('needs a single hourly call when T is on the hour', async () => {
    emulator.current.resetCalls();
    expect(await hoursAt(new Date('2026-11-20T11:00:00Z'))).toEqual([1, 1, 2, 3]);
    expect(emulator.current.calls.GetMetricData).toBe(1);
  });
});
