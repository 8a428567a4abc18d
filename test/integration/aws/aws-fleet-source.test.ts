import { describe, expect, it } from 'vitest';
import { AwsFleetSource } from '../../../src/aws/aws-fleet-source.js';
import { SPOT_CHECKS } from '../../../src/aws/tag-reader.js';
import { awsClientsPerRegion } from '../../../src/aws/clients.js';
import type { RegionFleet } from '../../../src/ports/fleet-source.js';
import type { EmulatedWorkspace } from '../emulator/emulator.js';
import {
  dailySessions,
  readRegion,
  testClients,
  useEmulator,
  workspacesOf,
} from '../../helpers/aws-test-kit.js';

const asOf = new Date('2026-11-20T23:00:00Z');
const query = { asOf, assumedTimeoutMinutes: 60 };
const REGION = 'eu-west-1';
const OTHER = 'us-east-1';

// 19 whole days before Nov 20 with a 09:00-13:00 session: 4 connected hours a day.
const fourHoursADay = dailySessions(asOf, 4);

const bigDirectory = workspacesOf('d-big', 65, (index): Partial<EmulatedWorkspace> => ({
  sessions: fourHoursADay,
  tags: index === 0 ? { Skip_Convert: '' } : index === 1 ? { CostCenter: '42', Team: 'a,b' } : {},
}));
const smallDirectory = workspacesOf('d-small', 3, (index) => ({
  runningMode: index === 0 ? 'ALWAYS_ON' : 'AUTO_STOP',
  autoStopTimeoutMinutes: index === 2 ? 90 : 60,
  sessions: fourHoursADay,
}));
const broken = workspacesOf('d-broken', 2);
const manyAlwaysOn = workspacesOf('d-many', 620, () => ({
  runningMode: 'ALWAYS_ON',
  sessions: fourHoursADay,
}));

const fleetConfig = () => ({
  regions: {
    [REGION]: {
      directories: [{ directoryId: 'd-big' }, { directoryId: 'd-small' }, { directoryId: 'd-broken' }],
      workspaces: [...bigDirectory, ...smallDirectory, ...broken],
    },
    [OTHER]: { directories: [{ directoryId: 'd-many' }], workspaces: manyAlwaysOn },
  },
});
const emulator = useEmulator(fleetConfig);

function byId(fleet: RegionFleet) {
  return new Map(fleet.workspaces.map((observed) => [observed.workspace.workspaceId, observed]));
}

const idOf = (workspace: EmulatedWorkspace) => workspace.workspaceId;

function source(options: { describeTagsConcurrency?: number } = {}) {
  return new AwsFleetSource({
    regions: [REGION, OTHER],
    account: '123456789012',
    clients: testClients(),
    ...options,
  });
}

describe('Class: AwsFleetSource', () => {
  it('reads every page of a directory with more than 25 WorkSpaces, their tags in bulk and hourly usage', async () => {
    // Arrange
    emulator.current.state.faults = { describeWorkspacesFailsFor: ['d-broken'] };
    emulator.current.resetCalls();

    // Act
    const fleet = await readRegion(source(), REGION, query);

    // Assert
    const observed = byId(fleet);
    expect(fleet.workspaces).toHaveLength(65 + 3);
    expect(emulator.current.calls.DescribeWorkspaces).toBe(3 + 1 + 1);
    expect(emulator.current.calls.GetResources).toBe(1);
    // The bulk answer is spot-checked once for the region, on a few WorkSpaces it did not list (they have no tags: trusted).
    expect(emulator.current.calls.DescribeTags).toBe(SPOT_CHECKS);
    // Batches are per directory and sample period: d-big's 65 hourly WorkSpaces in one call,
    // d-small's two hourly ones in another, its 90-minute one in a 5-minute call.
    expect(emulator.current.calls.GetMetricData).toBe(3);
    expect(fleet.problems).toEqual([
      {
        region: REGION,
        scope: 'directory d-broken',
        // Named, so the day's earlier rows of that directory are kept in the report.
        directoryId: 'd-broken',
        message: expect.stringContaining('d-broken'),
      },
    ]);
    const first = observed.get(idOf(bigDirectory[0]!))!;
    expect(first.workspace).toMatchObject({
      account: '123456789012',
      region: REGION,
      directoryId: 'd-big',
      userName: 'user0',
      runningMode: 'AUTO_STOP',
      autoStopTimeoutMinutes: 60,
      computeType: 'STANDARD',
      state: 'AVAILABLE',
    });
    expect(first.tags).toEqual({ ok: true, value: { Skip_Convert: '' } });
    expect(observed.get(idOf(bigDirectory[1]!))!.tags).toEqual({
      ok: true,
      value: { CostCenter: '42', Team: 'a,b' },
    });
    expect(observed.get(idOf(bigDirectory[2]!))!.tags).toEqual({ ok: true, value: {} });
    const usage = first.usage;
    expect(usage.ok && usage.value.periodMinutes).toBe(60);
    expect(usage.ok && usage.value.connectedStarts).toHaveLength(19 * 4);
  });

  it('reads 5-minute samples for a WorkSpace whose idle timeout is not whole hours', async () => {
    // Arrange
    emulator.current.state.faults = {};

    // Act
    const fleet = await readRegion(source(), REGION, query);

    // Assert
    const usage = byId(fleet).get(idOf(smallDirectory[2]!))!.usage;
    expect(usage.ok && usage.value.periodMinutes).toBe(5);
    expect(usage.ok && usage.value.connectedStarts).toHaveLength(19 * 4 * 12);
    const alwaysOn = byId(fleet).get(idOf(smallDirectory[0]!))!.usage;
    expect(alwaysOn.ok && alwaysOn.value.connectedStarts).toHaveLength(19 * 4);
  });

  it('batches 500 WorkSpaces per GetMetricData call and merges a query split across pages', async () => {
    // Arrange: 620 AlwaysOn WorkSpaces report every hour, ~300k datapoints: several pages of 100,800.
    emulator.current.state.faults = {};
    emulator.current.resetCalls();

    // Act
    const fleet = await readRegion(source(), OTHER, query);

    // Assert
    expect(fleet.workspaces).toHaveLength(620);
    expect(emulator.current.calls.GetMetricData).toBeGreaterThanOrEqual(4);
    for (const observed of fleet.workspaces) {
      expect(observed.usage.ok && observed.usage.value.connectedStarts).toHaveLength(19 * 4);
    }
  });

  it('falls back to DescribeTags per WorkSpace when the Tagging API fails, and marks unreadable tags', async () => {
    // Arrange
    const unreadable = idOf(bigDirectory[5]!);
    emulator.current.state.faults = { taggingFailsIn: [REGION], describeTagsFailsFor: [unreadable] };
    emulator.current.resetCalls();

    // Act
    const fleet = await readRegion(source(), REGION, query);

    // Assert
    const observed = byId(fleet);
    expect(emulator.current.calls.DescribeTags).toBe(65 + 3 + 2);
    expect(observed.get(idOf(bigDirectory[0]!))!.tags).toEqual({ ok: true, value: { Skip_Convert: '' } });
    expect(observed.get(idOf(bigDirectory[2]!))!.tags).toEqual({ ok: true, value: {} });
    expect(observed.get(unreadable)!.tags).toEqual({
      ok: false,
      error: expect.stringContaining('AccessDenied'),
    });
  });

  it('reads every tag with DescribeTags when the Tagging API lists none of a fleet (as moto does), and says so', async () => {
    // Arrange: the answer leaves out both tagged WorkSpaces, so it lists nothing at all
    emulator.current.state.faults = { taggingOmits: [idOf(bigDirectory[0]!), idOf(bigDirectory[1]!)] };
    emulator.current.resetCalls();
    const warnings: unknown[] = [];
    const log = { info() {}, error() {}, warn: (...args: unknown[]) => warnings.push(args) };

    // Act
    const fleet = await readRegion(
      new AwsFleetSource({ regions: [REGION], account: '123456789012', clients: testClients(), log }),
      REGION,
      query,
    );

    // Assert
    const observed = byId(fleet);
    expect(emulator.current.calls.DescribeTags).toBe(65 + 3 + 2);
    expect(observed.get(idOf(bigDirectory[0]!))!.tags).toEqual({ ok: true, value: { Skip_Convert: '' } });
    expect(observed.get(idOf(bigDirectory[1]!))!.tags).toEqual({
      ok: true,
      value: { CostCenter: '42', Team: 'a,b' },
    });
    expect(warnings).toEqual([
      [
        "tagging API answer incomplete; reading the unlisted WorkSpaces' tags one by one",
        { region: REGION, reason: 'the Tagging API listed no WorkSpace' },
      ],
    ]);
  });

  it('reads the unlisted WorkSpaces one by one when a spot check finds tags the Tagging API left out', async () => {
    // Arrange: a lagging index that lists the Skip_Convert WorkSpace but not the other tagged one
    emulator.current.reset({
      regions: {
        [REGION]: {
          directories: [{ directoryId: 'd-few' }],
          workspaces: workspacesOf('d-few', 6, (index): Partial<EmulatedWorkspace> => ({
            tags: index === 0 ? { Skip_Convert: '' } : index === 3 ? { skip_convert: 'yes' } : {},
          })),
        },
      },
      faults: { taggingOmits: ['ws-few00003'] },
    });
    emulator.current.resetCalls();

    // Act
    const fleet = await readRegion(source(), REGION, query);

    // Assert: 5 unlisted, all spot-checked, one of them tagged: none left to read
    expect(emulator.current.calls.DescribeTags).toBe(5);
    expect(byId(fleet).get('ws-few00003')!.tags).toEqual({ ok: true, value: { skip_convert: 'yes' } });
    expect(byId(fleet).get('ws-few00000')!.tags).toEqual({ ok: true, value: { Skip_Convert: '' } });
    emulator.current.reset(fleetConfig());
  });

  it('fails only the usage of a WorkSpace whose metric query fails', async () => {
    // Arrange
    const failing = idOf(bigDirectory[7]!);
    emulator.current.state.faults = { metricQueryFailsFor: [failing] };

    // Act
    const fleet = await readRegion(source(), REGION, query);

    // Assert
    const failedReads = fleet.workspaces.filter((observed) => !observed.usage.ok);
    expect(failedReads.map((observed) => observed.workspace.workspaceId)).toEqual([failing]);
    expect(failedReads[0]!.usage).toEqual({ ok: false, error: expect.stringContaining('InternalError') });
  });

  it('fails only the batch of a GetMetricData call that fails after retries', async () => {
    // Arrange
    emulator.current.state.faults = { metricCallFailsFor: [idOf(manyAlwaysOn[0]!)] };

    // Act
    const fleet = await readRegion(source(), OTHER, query);

    // Assert
    const failedIds = fleet.workspaces
      .filter((observed) => !observed.usage.ok)
      .map((o) => o.workspace.workspaceId);
    expect(failedIds).toEqual(manyAlwaysOn.slice(0, 500).map(idOf));
  });

  it('rejects when the region cannot list its directories', async () => {
    // Arrange
    emulator.current.state.faults = { directoriesFailIn: [OTHER] };

    // Act / Assert
    await expect(readRegion(source(), OTHER, query)).rejects.toThrow(/not authorized/);
  });

  it('succeeds through throttling with the production (adaptive) retry settings', async () => {
    // Arrange
    emulator.current.state.faults = {
      throttle: { DescribeWorkspaceDirectories: 1, GetResources: 1, GetMetricData: 1 },
    };
    emulator.current.resetCalls();
    const production = new AwsFleetSource({
      regions: [REGION],
      account: '123456789012',
      clients: awsClientsPerRegion({ customEndpoint: true }),
    });

    // Act
    const fleet = await readRegion(production, REGION, { asOf, assumedTimeoutMinutes: 60 });

    // Assert
    expect(fleet.workspaces).toHaveLength(65 + 3 + 2);
    expect(fleet.workspaces.every((observed) => observed.usage.ok && observed.tags.ok)).toBe(true);
    expect(emulator.current.calls.DescribeWorkspaceDirectories).toBe(2);
  });
});
