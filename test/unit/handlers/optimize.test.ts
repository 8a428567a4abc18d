import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectedSamples, ConvertibleMode, Tags } from '../../../src/billing/index.js';
import { ConfigError } from '../../../src/config/settings.js';
import type {
  FleetQuery,
  FleetSource,
  RegionFleet,
  RegionReading,
  Shard,
} from '../../../src/ports/fleet-source.js';
import { openWholeRegion } from '../../../src/ports/fleet-source.js';
import type { ModeSwitcher } from '../../../src/ports/mode-switcher.js';
import type { ObservedWorkspace, Workspace } from '../../../src/ports/workspace.js';
import type { Read } from '../../../src/shared/read.js';
import { ok } from '../../../src/shared/read.js';
import type { OptimizerPorts, PortsFactory } from '../../../src/compose/optimizer-ports.js';
import { createOptimizeHandler, RunFailedError } from '../../../src/handlers/optimize-handler.js';
import { RecordingSink } from '../../helpers/recording-sink.js';
import { InvalidEventError } from '../../../src/handlers/scheduled-event.js';
import { LocalFolderStore } from '../../../src/store/local-folder-store.js';
import type { DocumentStore } from '../../../src/ports/document-store.js';
import type { StreamingObjectStore } from '../../../src/ports/object-store.js';
import { scheduledEvent as scheduledEventFor } from '../../helpers/scheduled-event.js';
import { storeBacked } from '../../helpers/store-backed.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ENV = { REPORT_BUCKET: 'wco-reports-123456789012', AWS_REGION: REGION };
const MONTH_END = '2026-11-30T23:00:00Z';

const scheduledEvent = (overrides: Partial<ScheduledEvent> = {}) =>
  scheduledEventFor({ account: ACCOUNT, region: REGION, time: MONTH_END }, overrides);

function workspace(workspaceId: string, runningMode: string): Workspace {
  return {
    workspaceId,
    account: ACCOUNT,
    region: REGION,
    directoryId: 'd-1234567890',
    userName: `user-${workspaceId}`,
    computerName: `PC-${workspaceId}`,
    computeType: 'STANDARD',
    runningMode,
    autoStopTimeoutMinutes: runningMode === 'AUTO_STOP' ? 60 : undefined,
    state: 'AVAILABLE',
  };
}

// Connected every 5 minutes from the 1st to the 10th of November: 216+ billable hours, far over 85.
const heavyUse = {
  connectedStarts: Array.from(
    { length: 9 * 24 * 12 },
    (_, i) => Date.parse('2026-11-01T00:00:00Z') + i * 5 * 60_000,
  ),
  periodMinutes: 5,
};
const noUse: ConnectedSamples = { connectedStarts: [], periodMinutes: 5 };

const observed = (ws: Workspace, tags: Tags, usage = noUse): ObservedWorkspace => ({
  workspace: ws,
  tags: ok(tags),
  usage: ok(usage),
});

const FLEET: readonly ObservedWorkspace[] = [
  observed(workspace('ws-heavy', 'AUTO_STOP'), { CostCenter: '42' }, heavyUse),
  observed(workspace('ws-idle', 'ALWAYS_ON'), {}),
  observed(workspace('ws-exempt', 'ALWAYS_ON'), { skip_convert: '' }),
];

class FakeFleet implements FleetSource, ModeSwitcher {
  openRegion(region: string, query: FleetQuery, only?: readonly Shard[]): Promise<RegionReading> {
    return openWholeRegion(this, region, query, only);
  }

  readonly regions = [REGION];
  readonly queries: Date[] = [];
  readonly switched: { workspaceId: string; mode: ConvertibleMode }[] = [];

  async readRegion(region: string, query: { asOf: Date }): Promise<RegionFleet> {
    this.queries.push(query.asOf);
    return { region, workspaces: FLEET, problems: [] };
  }

  async confirmTags(ws: Workspace): Promise<Read<Tags>> {
    return FLEET.find((o) => o.workspace.workspaceId === ws.workspaceId)!.tags;
  }

  async setRunningMode(ws: Workspace, mode: ConvertibleMode): Promise<void> {
    this.switched.push({ workspaceId: ws.workspaceId, mode });
  }
}

/** Fails every write whose key contains `failing`; the others go through. */
class PartlyFailingStore implements StreamingObjectStore, DocumentStore {
  constructor(
    private readonly inner: StreamingObjectStore & DocumentStore,
    private readonly failing: string,
  ) {}
  put(key: string, body: string, contentType: string) {
    return key.includes(this.failing)
      ? Promise.reject(new Error('AccessDenied'))
      : this.inner.put(key, body, contentType);
  }
  putStream(key: string, body: AsyncIterable<string>, contentType: string) {
    return key.includes(this.failing)
      ? Promise.reject(new Error('AccessDenied'))
      : this.inner.putStream(key, body, contentType);
  }
  get = (key: string) => this.inner.get(key);
  getStream = (key: string) => this.inner.getStream(key);
  list = (prefix: string) => this.inner.list(prefix);
  locate = (key: string) => this.inner.locate(key);
  read = (key: string) => this.inner.read(key);
  create = (key: string, body: string) => this.inner.create(key, body);
  replace = (key: string, body: string, version: string) => this.inner.replace(key, body, version);
  remove = (key: string) => this.inner.remove(key);
  listVersions = (prefix: string) => this.inner.listVersions(prefix);
}

describe('Function: createOptimizeHandler', () => {
  let folder: string;
  let fleet: FakeFleet;
  let sink: RecordingSink;
  let stdout: string[];

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wco-handler-'));
    fleet = new FakeFleet();
    sink = new RecordingSink();
    stdout = [];
    // Powertools writes JSON logs and EMF metrics to stdout; keep them to assert on.
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(folder, { recursive: true, force: true });
  });

  const portsInto = (
    store: StreamingObjectStore & DocumentStore = new LocalFolderStore(folder),
  ): PortsFactory =>
    vi.fn(async (): Promise<OptimizerPorts> => ({
      fleet,
      switcher: fleet,
      ...storeBacked(store),
      events: sink,
    }));

  const jsonLines = () =>
    stdout
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  describe('at cold start', () => {
    it('throws a message naming the bad variable', () => {
      // Act
      const create = () => createOptimizeHandler({ AWS_REGION: REGION }, { createPorts: portsInto() });

      // Assert
      expect(create).toThrow(ConfigError);
      expect(create).toThrow(/REPORT_BUCKET: is required/);
    });

    it('names every bad variable at once', () => {
      // Arrange
      const env = { ...ENV, DRY_RUN: 'perhaps', THRESHOLDS: 'STANDARD', REGION_CONCURRENCY: '0' };

      // Act
      let error: unknown;
      try {
        createOptimizeHandler(env, { createPorts: portsInto() });
      } catch (caught) {
        error = caught;
      }

      // Assert
      expect(error).toBeInstanceOf(ConfigError);
      const names = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
      expect(names).toEqual(['DRY_RUN', 'THRESHOLDS', 'REGION_CONCURRENCY']);
    });
  });

  it("optimizes the run's accounts, listed anew for each invocation with its request id for the role sessions", async () => {
    // Arrange: the hub's ports give one member account besides the fleet of the hub
    const member = new FakeFleet();
    const accountFleets = vi.fn(async () => [{ account: '111111111111', fleet: member, switcher: member }]);
    const createPorts: PortsFactory = vi.fn(async () => ({
      fleet,
      switcher: fleet,
      ...storeBacked(new LocalFolderStore(folder)),
      events: sink,
      accountFleets,
    }));
    const handler = createOptimizeHandler({ ...ENV, ACCOUNTS: '111111111111' }, { createPorts });

    // Act
    await handler(scheduledEvent(), { awsRequestId: 'req-1' } as Context);
    await handler(scheduledEvent(), { awsRequestId: 'req-2' } as Context);

    // Assert: the member's fleet was read (not the hub's), once per invocation
    expect(accountFleets.mock.calls).toEqual([['lambda:req-1'], ['lambda:req-2']]);
    expect(member.queries).toHaveLength(2);
    expect(fleet.queries).toEqual([]);
    expect(createPorts).toHaveBeenCalledWith(
      expect.objectContaining({
        accounts: expect.objectContaining({ kind: 'list', accounts: ['111111111111'] }),
      }),
      ACCOUNT,
      expect.anything(),
    );
  });

  it('runs the use case in dry run by default and returns a JSON-safe summary', async () => {
    // Arrange
    const createPorts = portsInto();
    const handler = createOptimizeHandler(ENV, { createPorts });

    // Act
    const summary = await handler(scheduledEvent());

    // Assert
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(summary).toMatchObject({
      asOf: '2026-11-30T23:00:00.000Z',
      dryRun: true,
      monthEnd: true,
      regions: [REGION],
      workspaces: 3,
      writeFailures: [],
    });
    expect(summary.conversions.TO_ALWAYS_ON.DRY_RUN).toBe(1);
    expect(summary.conversions.TO_AUTO_STOP.DRY_RUN).toBe(1);
    expect(summary.skipped).toEqual({ EXEMPT_TAG: 1 });
    expect(fleet.switched).toEqual([]);
    expect(createPorts).toHaveBeenCalledWith(
      expect.objectContaining({ reportBucket: ENV.REPORT_BUCKET }),
      ACCOUNT,
      expect.objectContaining({ info: expect.any(Function) }),
    );
    expect(await new LocalFolderStore(folder).list('reports/')).toEqual([
      'reports/daily/2026/11/30/123456789012_eu-west-1_d-1234567890.csv',
      'reports/daily/2026/11/30/aggregated.csv',
      'reports/monthly/2026-11/aggregated.csv',
      'reports/monthly/2026-11/summary.csv',
      'reports/monthly/2026-11/summary.html',
    ]);
  });

  it('takes T from the event time and the account from the event', async () => {
    // Arrange
    const handler = createOptimizeHandler(ENV, { createPorts: portsInto() });

    // Act
    const summary = await handler(scheduledEvent({ time: '2026-11-12T23:00:00Z', account: '210987654321' }));

    // Assert
    expect(fleet.queries).toEqual([new Date('2026-11-12T23:00:00Z')]);
    expect(summary.asOf).toBe('2026-11-12T23:00:00.000Z');
    expect(summary.monthEnd).toBe(false);
    expect(summary.conversions.TO_AUTO_STOP.DRY_RUN).toBe(0);
    const completed = sink.events.find((event) => event.detailType === 'Optimizer Run Completed');
    expect(completed?.detail).toMatchObject({ account: '210987654321', asOf: '2026-11-12T23:00:00.000Z' });
  });

  it('converts when DRY_RUN is false', async () => {
    // Arrange
    const handler = createOptimizeHandler({ ...ENV, DRY_RUN: 'false' }, { createPorts: portsInto() });

    // Act
    const summary = await handler(scheduledEvent());

    // Assert
    // Conversions run concurrently: their order is not part of the contract.
    expect([...fleet.switched].sort((a, b) => a.workspaceId.localeCompare(b.workspaceId))).toEqual([
      { workspaceId: 'ws-heavy', mode: 'ALWAYS_ON' },
      { workspaceId: 'ws-idle', mode: 'AUTO_STOP' },
    ]);
    expect(summary.outcomes.APPLIED).toBe(2);
  });

  it('uses the configured thresholds', async () => {
    // Arrange
    const env = { ...ENV, THRESHOLDS: 'STANDARD=500', FORCE_END_OF_MONTH: 'false' };
    const handler = createOptimizeHandler(env, { createPorts: portsInto() });

    // Act
    const summary = await handler(scheduledEvent());

    // Assert
    expect(summary.conversions.TO_ALWAYS_ON.DRY_RUN).toBe(0);
    expect(summary.actions.NONE).toBe(1);
  });

  it('gives each TAG_COLUMNS key a column of its own in the daily report', async () => {
    // Arrange
    const handler = createOptimizeHandler(
      { ...ENV, TAG_COLUMNS: 'CostCenter,Department' },
      { createPorts: portsInto() },
    );

    // Act
    await handler(scheduledEvent());

    // Assert
    const csv = await readFile(join(folder, 'reports/daily/2026/11/30/aggregated.csv'), 'utf8');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row.workspace_id, row['tag:CostCenter'], row['tag:Department']])).toEqual([
      ['ws-exempt', '', ''],
      ['ws-heavy', '42', ''],
      ['ws-idle', '', ''],
    ]);
  });

  it.each([
    ['time', { time: 'yesterday' }],
    ['time', { time: undefined as unknown as string }],
    ['account', { account: 'me' }],
  ])('rejects an event with a bad %s before reading the fleet', async (field, overrides) => {
    // Arrange
    const createPorts = portsInto();
    const handler = createOptimizeHandler(ENV, { createPorts });

    // Act
    const invocation = handler(scheduledEvent(overrides));

    // Assert
    await expect(invocation).rejects.toThrow(InvalidEventError);
    await expect(invocation).rejects.toThrow(new RegExp(`${field}: `));
    expect(createPorts).not.toHaveBeenCalled();
  });

  it('fails the invocation on a write failure, after writing everything else', async () => {
    // Arrange
    const store = new PartlyFailingStore(new LocalFolderStore(folder), 'aggregated');
    const handler = createOptimizeHandler(ENV, { createPorts: portsInto(store) });

    // Act
    const invocation = handler(scheduledEvent());

    // Assert
    await expect(invocation).rejects.toThrow(RunFailedError);
    await expect(invocation).rejects.toThrow(/aggregated\.csv: AccessDenied/);
    expect(await new LocalFolderStore(folder).list('reports/')).toEqual([
      'reports/daily/2026/11/30/123456789012_eu-west-1_d-1234567890.csv',
    ]);
    expect(sink.events.map((event) => event.detailType)).toContain('Optimizer Run Completed');
    const metrics = jsonLines().filter((line) => '_aws' in line && 'WriteFailures' in line);
    expect(metrics.map((line) => line.WriteFailures)).toEqual([3]);
    expect(jsonLines()).toContainEqual(
      expect.objectContaining({ message: 'report write failed', detailMessage: 'AccessDenied' }),
    );
  });

  it('builds the adapters once per account and reuses them on warm invocations', async () => {
    // Arrange
    const createPorts = portsInto();
    const handler = createOptimizeHandler(ENV, { createPorts });

    // Act
    await handler(scheduledEvent());
    await handler(scheduledEvent({ time: '2026-12-01T23:00:00Z' }));

    // Assert
    expect(createPorts).toHaveBeenCalledTimes(1);
  });

  it('retries the wiring on the next invocation when it failed', async () => {
    // Arrange
    const createPorts = vi
      .fn<PortsFactory>()
      .mockRejectedValueOnce(new Error('throttled'))
      .mockImplementation(portsInto());
    const handler = createOptimizeHandler(ENV, { createPorts });

    // Act
    const first = handler(scheduledEvent());
    await expect(first).rejects.toThrow('throttled');
    const second = await handler(scheduledEvent());

    // Assert
    expect(second.workspaces).toBe(3);
    expect(createPorts).toHaveBeenCalledTimes(2);
  });

  it('warns in its log about compute types it has no threshold for', async () => {
    // Arrange: one WorkSpace of a compute type in no table
    const g7 = { ...workspace('ws-g7', 'AUTO_STOP'), computeType: 'GRAPHICS_G7_2XLARGE' };
    fleet.readRegion = async (region) => ({ region, workspaces: [observed(g7, {})], problems: [] });
    const handler = createOptimizeHandler(ENV, { createPorts: portsInto() });

    // Act
    const summary = await handler(scheduledEvent());

    // Assert
    expect(summary.fallbackComputeTypes).toEqual({ GRAPHICS_G7_2XLARGE: { workspaces: 1, hours: 82 } });
    expect(jsonLines()).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'compute types without a threshold were decided by the default',
        fallbackComputeTypes: { GRAPHICS_G7_2XLARGE: { workspaces: 1, hours: 82 } },
      }),
    );
  });

  it('logs JSON and publishes the run metrics in the wco namespace', async () => {
    // Arrange
    const handler = createOptimizeHandler(ENV, { createPorts: portsInto() });

    // Act
    await handler(scheduledEvent());

    // Assert
    const lines = jsonLines();
    expect(lines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'run completed' }));
    const emf = lines.filter((line) => '_aws' in line);
    const namespaces = emf.map(
      (line) => (line._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0]!.Namespace,
    );
    expect(new Set(namespaces)).toEqual(new Set(['wco']));
    expect(emf).toContainEqual(
      expect.objectContaining({ service: 'optimizer', WorkSpacesEvaluated: 3, Skipped: 1, Errors: 0 }),
    );
    expect(emf).toContainEqual(expect.objectContaining({ Direction: 'TO_ALWAYS_ON', ConversionsDryRun: 1 }));
    expect(emf).toContainEqual(expect.objectContaining({ Direction: 'TO_AUTO_STOP', ConversionsApplied: 0 }));
  });
});
