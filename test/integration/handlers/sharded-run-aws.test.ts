import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsPorts } from '../../../src/compose/optimizer-ports.js';
import { createOptimizeHandler } from '../../../src/handlers/optimize-handler.js';
import {
  createMergeHandler,
  createPlanHandler,
  createShardHandler,
} from '../../../src/handlers/sharded-handlers.js';
import type { EmulatedWorkspace, EmulatorConfig } from '../emulator/emulator.js';
import { dailySessions, fastRetryStrategy, useEmulator, workspacesOf } from '../../helpers/aws-test-kit.js';
import { LocalStateMachine } from '../../helpers/local-state-machine.js';
import { offlineEnv } from '../deploy/template-helpers.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGION = 'eu-west-1';
const BUCKET = 'wco-reports';
const ACCOUNT = '123456789012';
const TIME = '2026-11-30T23:00:00Z'; // month end: conversions both ways, the monthly summary
const DAY_BEFORE = '2026-11-29T23:00:00Z'; // lists the unused WorkSpaces that the month-end run may remove
const monthEnd = new Date(TIME);
const UNUSED_CSV = 'reports/monthly/2026-11/unused.csv';

/**
 * Two directories, so two shards: each with conversions both ways, an exempt
 * WorkSpace, a failing metric (its use unknown), an unused WorkSpace, an
 * unused one tagged Skip_Terminate and one never connected (too young).
 */
function fleet(faults: EmulatorConfig['faults'] = {}): EmulatorConfig {
  const directory = (directoryId: string): EmulatedWorkspace[] =>
    workspacesOf(directoryId, 12, (n): Partial<EmulatedWorkspace> => {
      if (n < 4) return { sessions: dailySessions(monthEnd, 8) };
      if (n === 4) return { sessions: dailySessions(monthEnd, 8), tags: { Skip_Convert: 'yes' } };
      if (n === 9) return { lastConnection: '2026-06-10T12:00:00Z' };
      if (n === 10) return { lastConnection: '2026-07-01T08:00:00Z', tags: { Skip_Terminate: '' } };
      if (n === 11) return { lastConnection: null };
      return {
        sessions: dailySessions(monthEnd, 1),
        runningMode: 'ALWAYS_ON',
        autoStopTimeoutMinutes: undefined,
      };
    });
  const a = directory('d-alpha');
  const b = directory('d-beta');
  return {
    account: ACCOUNT,
    buckets: [BUCKET],
    regions: {
      [REGION]: {
        directories: [{ directoryId: 'd-alpha' }, { directoryId: 'd-beta' }],
        workspaces: [...a, ...b],
      },
    },
    faults: { metricQueryFailsFor: [a[8]!.workspaceId, b[8]!.workspaceId], ...faults },
  };
}

const emulator = useEmulator(() => fleet());

let definition: unknown;
beforeAll(async () => {
  // The deployed definition, as osls resolves serverless.yml (its ${...} placeholders left for CloudFormation).
  const { stdout } = await run(
    join(ROOT, 'node_modules', '.bin', 'osls'),
    [
      'print',
      '--format',
      'json',
      '--path',
      'resources.Resources.ShardedRunStateMachine.Properties.Definition',
    ],
    { cwd: ROOT, env: offlineEnv(), timeout: 180_000 },
  );
  definition = JSON.parse(stdout);
}, 180_000);

beforeEach(() => {
  emulator.current.reset(fleet());
  // Powertools writes JSON logs and EMF metrics to stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

/** `terminate`: the unused WorkSpaces are removed (TERMINATE_UNUSED=true). */
const env = (terminate = false) => ({
  REPORT_BUCKET: BUCKET,
  REGIONS: REGION,
  AWS_REGION: REGION,
  DRY_RUN: 'false',
  EVENT_BUS_NAME: 'wco-bus',
  SHARDS_PER_TASK: '1',
  TERMINATE_UNUSED: String(terminate),
  AWS_ENDPOINT_URL: emulator.current.endpoint,
});
const options = (terminate = false) => ({
  createPorts: awsPorts(env(terminate), { retryStrategy: fastRetryStrategy() }),
  logger: new Logger({ logLevel: 'SILENT' }),
  metrics: new Metrics({ namespace: 'wco-test', serviceName: 'optimizer' }),
});

/** The single function's run. */
async function singleRun(time = TIME, terminate = false) {
  const handler = createOptimizeHandler(env(terminate), options(terminate));
  return handler({ time, account: ACCOUNT } as never);
}

/**
 * The sharded run: the deployed definition driven in process, each task a real
 * handler on the emulator. `crash` makes a shard task die before doing anything
 * (a timeout, an out-of-memory) for the directories it names, that many times.
 */
async function shardedRun(crash: Record<string, number> = {}, time = TIME, terminate = false) {
  const shard = createShardHandler(env(terminate), options(terminate));
  const handlers: Record<string, (payload: unknown) => Promise<unknown>> = {
    plan: createPlanHandler(env(terminate), options(terminate)),
    shard: async (payload) => {
      const directories = (payload as { Items: { directoryId: string }[] }).Items.map(
        (item) => item.directoryId,
      );
      for (const directoryId of directories)
        if ((crash[directoryId] ?? 0) > 0) {
          crash[directoryId]! -= 1;
          throw new Error(`Task timed out after 900.00 seconds (${directoryId})`);
        }
      return shard(payload);
    },
    merge: createMergeHandler(env(terminate), options(terminate)),
  };
  const machine = new LocalStateMachine(
    LocalStateMachine.substituted(definition, {
      PlanFunctionArn: 'plan',
      ShardFunctionArn: 'shard',
      MergeFunctionArn: 'merge',
      ReportBucket: BUCKET,
    }),
    {
      invoke: (name, payload) => handlers[name]!(payload),
      readObject: async (bucket, key) =>
        emulator.current.state.objects.get(`${bucket}/${key}`)!.body.toString('utf8'),
    },
  );
  const output = await machine.run({ time, account: ACCOUNT });
  return { output: output as Record<string, unknown>, attempts: machine.attempts };
}

const objects = (prefix: string): Record<string, string> =>
  Object.fromEntries(
    [...emulator.current.state.objects]
      .filter(([path]) => path.startsWith(`${BUCKET}/${prefix}`))
      .map(([path, object]): [string, string] => [
        path.slice(BUCKET.length + 1),
        object.body.toString('utf8'),
      ])
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
/** Ledger entries without what names the run or the wall clock (they differ between any two runs). */
const ledger = () =>
  Object.fromEntries(
    Object.entries(objects('ledger/'))
      // The index caches entries by version (ETags and order differ between any two runs): the entries are compared.
      .filter(([key]) => !key.startsWith('ledger/index/'))
      .map(([key, body]) => {
        if (!key.endsWith('.json')) return [key, body];
        if (key.startsWith('ledger/unused/')) return [key, unusedRecords(body)];
        const { runId: _runId, claimedAt: _claimed, settledAt: _settled, event, ...entry } = JSON.parse(body);
        return [key, { ...entry, published: event.published }];
      }),
  );
/** The unused ledger's records, their removals and events without the run and the wall clock. */
function unusedRecords(body: string) {
  const document = JSON.parse(body, (key, value: unknown) => (key === 'publishedAt' ? undefined : value)) as {
    workspaces: Record<string, { removal?: Record<string, unknown> }>;
  };
  return {
    ...document,
    workspaces: Object.fromEntries(
      Object.entries(document.workspaces).map(([id, record]) => {
        if (record.removal === undefined) return [id, record];
        const { runId: _runId, claimedAt: _claimed, settledAt: _settled, ...removal } = record.removal;
        return [id, { ...record, removal }];
      }),
    ),
  };
}
const events = () =>
  emulator.current.state.events
    .filter((event) => !event.failed)
    .map((event) => ({ detailType: event.detailType, detail: JSON.parse(event.detail) as unknown }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
const rows = (key: string) =>
  parse(objects(key)[key] as string, { columns: true }) as Record<string, string>[];

describe('The sharded run (plan, a shard task per directory, merge) on the emulator', () => {
  it('gives the same reports, ledger and events as one run of the single function', async () => {
    // Arrange: the single function's run, on a fresh fleet.
    await singleRun();
    const single = {
      reports: objects('reports/'),
      ledger: ledger(),
      events: events(),
    };
    const modifies = emulator.current.state.modifies.length;
    emulator.current.reset(fleet());

    // Act
    const { output, attempts } = await shardedRun();

    // Assert
    expect(attempts.filter((attempt) => attempt.state === 'Shard')).toHaveLength(2);
    expect(output).toMatchObject({ workspaces: 24, problems: 0 });
    expect(objects('reports/')).toEqual(single.reports);
    expect(Object.keys(single.reports)).toEqual(
      expect.arrayContaining([
        `reports/daily/2026/11/30/${ACCOUNT}_${REGION}_d-alpha.csv`,
        `reports/daily/2026/11/30/${ACCOUNT}_${REGION}_d-beta.csv`,
        'reports/daily/2026/11/30/aggregated.csv',
        'reports/monthly/2026-11/summary.csv',
        UNUSED_CSV,
      ]),
    );
    // Per directory: the unused WorkSpace, the exempt one and the one whose usage could not be read.
    expect(rows(UNUSED_CSV).map((row) => [row.workspace_id, row.use, row.verdict])).toEqual([
      ['ws-alpha00009', 'UNUSED', 'REPORT_ONLY'],
      ['ws-beta00009', 'UNUSED', 'REPORT_ONLY'],
      ['ws-alpha00010', 'UNUSED', 'REPORT_ONLY'],
      ['ws-beta00010', 'UNUSED', 'REPORT_ONLY'],
      ['ws-alpha00008', 'UNKNOWN', 'USE_UNKNOWN'],
      ['ws-beta00008', 'UNKNOWN', 'USE_UNKNOWN'],
    ]);
    expect(ledger()).toEqual(single.ledger);
    expect(events()).toEqual(single.events);
    expect(emulator.current.state.modifies).toHaveLength(modifies);
    expect(modifies).toBe(2 * (4 + 3));
  });

  it('retries a shard task that died, and ends as if it had not', async () => {
    // Arrange
    await singleRun();
    const single = {
      reports: objects('reports/'),
      events: events(),
    };
    emulator.current.reset(fleet());

    // Act
    const { output, attempts } = await shardedRun({ 'd-beta': 1 });

    // Assert
    expect(attempts.filter((attempt) => attempt.state === 'Shard').map((attempt) => attempt.failed)).toEqual(
      expect.arrayContaining([true, false, false]),
    );
    expect(output).toMatchObject({ workspaces: 24, problems: 0 });
    expect(objects('reports/')).toEqual(single.reports);
    expect(events()).toEqual(single.events);
  });

  it('reports a shard task that fails every retry, and keeps the work of the others', async () => {
    // Act: d-beta's task dies on every attempt (1 + 2 retries).
    const { output, attempts } = await shardedRun({ 'd-beta': 3 });

    // Assert: the run finishes; d-beta is a problem, not evaluated, not converted.
    expect(attempts.filter((attempt) => attempt.state === 'Shard' && attempt.failed)).toHaveLength(3);
    expect(output).toMatchObject({ workspaces: 12, problems: 1 });
    const aggregate = rows('reports/daily/2026/11/30/aggregated.csv');
    expect(new Set(aggregate.map((row) => row.directory_id))).toEqual(new Set(['d-alpha']));
    expect(aggregate.filter((row) => row.outcome === 'APPLIED')).toHaveLength(7);
    const modified = emulator.current.state.modifies.map((modify) => modify.workspaceId);
    expect(modified).toHaveLength(7);
    expect(modified.every((id) => id.startsWith('ws-alpha'))).toBe(true);
    const run = events().find((event) => event.detailType === 'Optimizer Run Completed')!;
    expect(run.detail).toMatchObject({ workspaces: 12, problems: 1 });
    expect(events().filter((event) => event.detailType === 'WorkSpace Running Mode Changed')).toHaveLength(7);
  });

  it('lists, then removes at month end, the same unused WorkSpaces as the single function, and a rerun of the merge removes nothing twice', async () => {
    // Arrange: the single function lists the day before month end and removes at month end.
    await singleRun(DAY_BEFORE, true);
    await singleRun(TIME, true);
    const single = {
      reports: objects('reports/'),
      ledger: ledger(),
      events: events(),
      terminations: [...emulator.current.state.terminations],
    };
    emulator.current.reset(fleet());

    // Act
    await shardedRun({}, DAY_BEFORE, true);
    const { output } = await shardedRun({}, TIME, true);

    // Assert: the same removals (the unused WorkSpace of each directory; not the exempt one), reports, ledger, events.
    expect(single.terminations.map((removal) => removal.workspaceId).sort()).toEqual([
      'ws-alpha00009',
      'ws-beta00009',
    ]);
    expect(emulator.current.state.terminations).toEqual(single.terminations);
    expect(objects('reports/')).toEqual(single.reports);
    expect(ledger()).toEqual(single.ledger);
    expect(events()).toEqual(single.events);
    expect(
      events()
        .filter((event) => event.detailType === 'Unused WorkSpace Removed')
        .map((event) => event.detail),
    ).toHaveLength(2);

    // Act: Step Functions runs the merge again (a retry, a redrive).
    const merge = createMergeHandler(env(true), options(true));
    await merge({ runId: output.runId, asOf: TIME, account: ACCOUNT });

    // Assert: no second call; the rows say the removals are done, by an earlier run.
    expect(emulator.current.state.terminations).toEqual(single.terminations);
    expect(
      rows(UNUSED_CSV)
        .filter((row) => row.removal_outcome !== 'NONE')
        .map((row) => [row.workspace_id, row.verdict, row.removal_outcome]),
    ).toEqual([
      ['ws-alpha00009', 'ALREADY_REMOVED', 'EARLIER'],
      ['ws-beta00009', 'ALREADY_REMOVED', 'EARLIER'],
    ]);
  });

  it("keeps the stored unused rows of a directory whose shard task failed, and replaces the others'", async () => {
    // Arrange: a run that reviews both directories.
    await shardedRun();
    const before = rows(UNUSED_CSV);
    expect(before.filter((row) => row.directory_id === 'd-beta')).toHaveLength(3);
    // Stored rows of d-alpha that this run no longer finds.
    const stale = { ...before[0]!, workspace_id: 'ws-alpha-gone', months_unused: '9' };
    const text = objects(UNUSED_CSV)[UNUSED_CSV]!;
    emulator.current.state.objects.set(`${BUCKET}/${UNUSED_CSV}`, {
      ...emulator.current.state.objects.get(`${BUCKET}/${UNUSED_CSV}`)!,
      body: Buffer.from(
        `${text}${Object.values(stale)
          .map((cell) => (/[,"]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell))
          .join(',')}\n`,
      ),
    });

    // Act: d-beta's task dies on every attempt.
    const { output } = await shardedRun({ 'd-beta': 3 });

    // Assert: d-beta's rows as they were, d-alpha's as this run found them.
    expect(output).toMatchObject({ problems: 1 });
    expect(rows(UNUSED_CSV)).toEqual(before);
  });
});
