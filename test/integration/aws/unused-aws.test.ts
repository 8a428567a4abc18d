import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import { AwsUnusedWorkspaces } from '../../../src/aws/aws-unused-workspaces.js';
import type { UnusedSettings } from '../../../src/billing/index.js';
import { RemovalAction } from '../../../src/billing/index.js';
import { createAwsDependencies } from '../../../src/compose/aws.js';
import { OptimizerDetailType } from '../../../src/ports/event-sink.js';
import { parseCsvRecords } from '../../../src/report/csv.js';
import { unusedKey } from '../../../src/report/unused-report.js';
import type { EmulatedWorkspace, EmulatorConfig } from '../emulator/emulator.js';
import {
  dailySessions,
  fastRetryStrategy,
  testClients,
  useEmulator,
  workspacesOf,
} from '../../helpers/aws-test-kit.js';
import { optimizerSettings } from '../../helpers/run-settings.js';

const REGION = 'eu-west-1';
const BUCKET = 'wco-reports';
const HUB = '999999999999';
const ONE = '111111111111';
const TWO = '222222222222';
const GONE = '555555555555';
const EXTERNAL_ID = 'shared-secret-0123456789';
/** The run before month end lists (announces); the month-end run may remove what it listed. */
const DAY_BEFORE = new Date('2026-11-29T23:00:00Z');
const MONTH_END = new Date('2026-11-30T23:00:00Z');

const used = dailySessions(MONTH_END, 2);
const longAgo = '2026-06-10T12:00:00Z';

/** The hub's fleet: one WorkSpace per guard, named after it. */
const HUB_FLEET: Record<string, Partial<EmulatedWorkspace>> = {
  'ws-hub-unused': { lastConnection: longAgo, runningMode: 'ALWAYS_ON' },
  'ws-hub-usednow': { lastConnection: longAgo, sessions: used },
  'ws-hub-recent': { lastConnection: '2026-10-02T09:00:00Z' },
  // The connection status says June, but CloudWatch's hourly history has a session in October: used.
  'ws-hub-cwused': {
    lastConnection: longAgo,
    sessions: [{ start: '2026-10-15T09:00:00Z', end: '2026-10-15T11:00:00Z' }],
  },
  'ws-hub-exempt': { lastConnection: longAgo, tags: { skip_terminate: '' } },
  'ws-hub-noconv': { lastConnection: longAgo, tags: { SKIP_CONVERT: 'yes' } },
  'ws-hub-primary': {
    lastConnection: longAgo,
    relatedWorkspaces: [{ workspaceId: 'ws-hub-standby', type: 'STANDBY' }],
  },
  'ws-hub-standby': {
    lastConnection: longAgo,
    relatedWorkspaces: [{ workspaceId: 'ws-hub-primary', type: 'PRIMARY' }],
  },
  'ws-hub-pending': { lastConnection: longAgo, state: 'PENDING' },
  // Never connected and DescribeWorkspaces gives no creation time: first seen by these runs, too young.
  'ws-hub-never': { lastConnection: null },
  // The connection status leaves it out: its use is unknown, never unused.
  'ws-hub-unknown': { lastConnection: longAgo },
};
const hubFleet = (): EmulatedWorkspace[] =>
  Object.entries(HUB_FLEET).map(([workspaceId, overrides]) => ({
    ...workspacesOf('d-hub', 1)[0]!,
    workspaceId,
    ...overrides,
  }));

const memberFleet = (directoryId: string, unused: number, usedToo: number): EmulatedWorkspace[] =>
  workspacesOf(directoryId, unused + usedToo, (n) =>
    n < unused ? { lastConnection: longAgo } : { sessions: used },
  );

function fleetConfig(): EmulatorConfig {
  return {
    account: HUB,
    buckets: [BUCKET],
    regions: { [REGION]: { directories: [{ directoryId: 'd-hub' }], workspaces: hubFleet() } },
    members: {
      [ONE]: {
        regions: {
          [REGION]: { directories: [{ directoryId: 'd-one' }], workspaces: memberFleet('d-one', 2, 1) },
        },
        externalId: EXTERNAL_ID,
      },
      [TWO]: {
        regions: {
          [REGION]: { directories: [{ directoryId: 'd-two' }], workspaces: memberFleet('d-two', 1, 2) },
        },
        externalId: EXTERNAL_ID,
      },
    },
    faults: { assumeRoleDeniedFor: [GONE], connectionStatusOmits: ['ws-hub-unknown'] },
  };
}

const emulator = useEmulator(fleetConfig);

const enabled: UnusedSettings = { months: 2, removal: true, action: RemovalAction.TERMINATE, maxPerRun: 10 };

async function run(asOf: Date, options: { dryRun?: boolean; unused?: UnusedSettings } = {}) {
  const deps = await createAwsDependencies({
    regions: [REGION],
    account: HUB,
    bucket: BUCKET,
    eventBusName: 'wco-bus',
    customEndpoint: true,
    clients: testClients(),
    accounts: {
      kind: 'list',
      accounts: [HUB, ONE, TWO, GONE],
      memberRole: { roleName: 'wco-member', externalId: EXTERNAL_ID },
    },
    memberClientOptions: { customEndpoint: true, retryStrategy: fastRetryStrategy() },
  });
  const accounts = await deps.accountFleets(`run-${asOf.toISOString()}`);
  return runOptimizer(
    { ...deps, accounts },
    optimizerSettings(asOf, HUB, { dryRun: options.dryRun ?? false, unused: options.unused ?? enabled }),
  );
}

const terminated = () =>
  emulator.current.state.terminations.map((one) => `${one.account}/${one.workspaceId}`).sort();

const unusedCsv = () => {
  const body = emulator.current.state.objects.get(`${BUCKET}/${unusedKey('2026-11')}`)?.body.toString('utf8');
  return parseCsvRecords(body ?? '').map(({ record }) => record);
};

describe('The unused review on the emulator (real SDK), a hub and two member accounts', () => {
  beforeEach(() => emulator.current.reset(fleetConfig()));
  afterEach(() => emulator.current.resetCalls());

  it('terminates, at month end and when enabled, exactly the WorkSpaces unused for the months and listed by an earlier run', async () => {
    // Act: the day before lists them; month end removes them
    const before = await run(DAY_BEFORE);
    const listedBefore = emulator.current.calls.TerminateWorkspaces ?? 0;
    const { summary } = await run(MONTH_END);

    // Assert
    expect(listedBefore).toBe(0);
    expect(before.summary.unused?.newlyListed).toBe(9);
    expect(terminated()).toEqual(
      [`${ONE}/ws-one00000`, `${ONE}/ws-one00001`, `${HUB}/ws-hub-unused`, `${TWO}/ws-two00000`].sort(),
    );
    expect(summary.unused?.removed.map((item) => item.workspaceId).sort()).toEqual(
      ['ws-hub-unused', 'ws-one00000', 'ws-one00001', 'ws-two00000'].sort(),
    );
    // The unreachable account is a problem; the others were reviewed.
    expect(summary.problems.map((problem) => problem.scope)).toContain(`account ${GONE}`);
    const verdicts = Object.fromEntries(unusedCsv().map((row) => [row.workspace_id, row.verdict]));
    expect(verdicts).toMatchObject({
      'ws-hub-unused': 'REMOVE',
      'ws-hub-exempt': 'EXEMPT_TAG',
      'ws-hub-noconv': 'EXEMPT_TAG',
      'ws-hub-primary': 'STANDBY_PAIR',
      'ws-hub-standby': 'STANDBY_PAIR',
      'ws-hub-pending': 'STATE',
      'ws-hub-unknown': 'USE_UNKNOWN',
    });
    expect(verdicts).not.toHaveProperty('ws-hub-usednow');
    expect(verdicts).not.toHaveProperty('ws-hub-recent');
    expect(verdicts).not.toHaveProperty('ws-hub-cwused');
    expect(verdicts).not.toHaveProperty('ws-hub-never');
    // Each removal announced on the bus, and the list the day before.
    const types = emulator.current.state.events.map((event) => event.detailType);
    expect(types.filter((type) => type === OptimizerDetailType.UNUSED_REMOVED)).toHaveLength(4);
    expect(types.filter((type) => type === OptimizerDetailType.UNUSED_LISTED)).toHaveLength(1);
  });

  it('never terminates twice: a rerun of the month-end run calls TerminateWorkspaces no more', async () => {
    // Arrange
    await run(DAY_BEFORE);
    await run(MONTH_END);
    const calls = emulator.current.calls.TerminateWorkspaces;

    // Act
    const { summary } = await run(MONTH_END);

    // Assert
    expect(emulator.current.calls.TerminateWorkspaces).toBe(calls);
    expect(summary.unused?.removed).toEqual([]);
    expect(summary.unused?.newlyListed).toBe(0);
  });

  it('publishes on a rerun the removal events EventBridge refused, each once, with no removal made again', async () => {
    // Arrange: the month-end run removes, but every removal event is refused
    await run(DAY_BEFORE);
    emulator.current.state.faults = {
      ...emulator.current.state.faults,
      eventsFailMatching: ['"recordId":"unused/'],
    };
    const failed = await run(MONTH_END);
    const calls = emulator.current.calls.TerminateWorkspaces;
    emulator.current.state.faults = { ...emulator.current.state.faults, eventsFailMatching: [] };

    // Act: Lambda's retry, then a third run
    const retry = await run(MONTH_END);
    await run(MONTH_END);

    // Assert
    expect(failed.summary.writeFailures.map((failure) => failure.target)).toContain('events');
    expect(retry.summary.writeFailures).toEqual([]);
    expect(emulator.current.calls.TerminateWorkspaces).toBe(calls);
    const removals = emulator.current.state.events.filter(
      (event) => event.detailType === OptimizerDetailType.UNUSED_REMOVED && !event.failed,
    );
    expect(removals.map((event) => JSON.parse(event.detail).workspaceId).sort()).toEqual(
      ['ws-hub-unused', 'ws-one00000', 'ws-one00001', 'ws-two00000'].sort(),
    );
    expect(new Set(removals.map((event) => JSON.parse(event.detail).recordId)).size).toBe(4);
  });

  it('removes nothing when a run is the first to list them, even at month end', async () => {
    // Act
    await run(MONTH_END);

    // Assert
    expect(emulator.current.calls.TerminateWorkspaces ?? 0).toBe(0);
  });

  it('never calls TerminateWorkspaces in a dry run', async () => {
    // Act
    await run(DAY_BEFORE);
    const { summary } = await run(MONTH_END, { dryRun: true });

    // Assert
    expect(emulator.current.calls.TerminateWorkspaces ?? 0).toBe(0);
    expect(summary.unused?.listed).toBeGreaterThan(0);
  });

  it('never calls TerminateWorkspaces when removal is off (the default)', async () => {
    // Act
    await run(DAY_BEFORE, { unused: { ...enabled, removal: false } });
    const { summary } = await run(MONTH_END, { unused: { ...enabled, removal: false } });

    // Assert
    expect(emulator.current.calls.TerminateWorkspaces ?? 0).toBe(0);
    expect(summary.unused?.items.every((item) => item.verdict === 'REPORT_ONLY')).toBe(true);
  });

  it('stops at the per-run cap', async () => {
    // Act
    await run(DAY_BEFORE);
    const { summary } = await run(MONTH_END, { unused: { ...enabled, maxPerRun: 2 } });

    // Assert
    expect(emulator.current.state.terminations).toHaveLength(2);
    expect(summary.unused?.capReached).toBe(2);
  });
});

describe('Class: AwsUnusedWorkspaces', () => {
  beforeEach(() => {
    const workspaces = workspacesOf('d-many', 60, (n) => ({
      lastConnection: n % 2 === 0 ? `2026-0${1 + (n % 9)}-01T00:00:00Z` : null,
    }));
    emulator.current.reset({
      regions: { [REGION]: { directories: [{ directoryId: 'd-many' }], workspaces } },
    });
  });

  it('asks 25 WorkSpaces a call, follows every page, and reads never-connected as null', async () => {
    // Arrange
    const ids = Array.from({ length: 60 }, (_, n) => `ws-many${String(n).padStart(5, '0')}`);

    // Act
    const answers = await new AwsUnusedWorkspaces(testClients()).lastConnections(REGION, ids);

    // Assert
    const requests = emulator.current.state.connectionStatusRequests;
    expect(requests.every((request) => request.length <= 25)).toBe(true);
    expect(new Set(requests.flat())).toEqual(new Set(ids));
    // 25 + 25 + 10 ids, in pages of 10: 3 + 3 + 1 calls.
    expect(requests).toHaveLength(7);
    expect(answers.get('ws-many00000')).toEqual({
      ok: true,
      value: { lastConnection: Date.parse('2026-01-01T00:00:00Z') },
    });
    expect(answers.get('ws-many00001')).toEqual({ ok: true, value: { lastConnection: null } });
  });

  it('makes a failed batch and an unanswered WorkSpace failed reads, and reads the rest', async () => {
    // Arrange
    emulator.current.state.faults = {
      connectionStatusFailsFor: ['ws-many00030'],
      connectionStatusOmits: ['ws-many00002'],
    };
    const ids = Array.from({ length: 60 }, (_, n) => `ws-many${String(n).padStart(5, '0')}`);

    // Act
    const answers = await new AwsUnusedWorkspaces(testClients()).lastConnections(REGION, ids);

    // Assert: the second batch (25..49) failed as a whole; the omitted one is unknown
    const failedIds = ids.filter((id) => !answers.get(id)!.ok);
    expect(failedIds).toEqual(['ws-many00002', ...ids.slice(25, 50)]);
    expect(answers.get('ws-many00050')!.ok).toBe(true);
  });
});
