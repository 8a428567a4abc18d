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
const monthEnd = new Date(TIME);

/** Two directories, so two shards: each with conversions both ways, an exempt WorkSpace and a failing metric. */
function fleet(faults: EmulatorConfig['faults'] = {}): EmulatorConfig {
  const directory = (directoryId: string): EmulatedWorkspace[] =>
    workspacesOf(directoryId, 9, (n): Partial<EmulatedWorkspace> => {
      if (n < 4) return { sessions: dailySessions(monthEnd, 8) };
      if (n === 4) return { sessions: dailySessions(monthEnd, 8), tags: { Skip_Convert: 'yes' } };
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

const env = () => ({
  REPORT_BUCKET: BUCKET,
  REGIONS: REGION,
  AWS_REGION: REGION,
  DRY_RUN: 'false',
  EVENT_BUS_NAME: 'wco-bus',
  SHARDS_PER_TASK: '1',
  AWS_ENDPOINT_URL: emulator.current.endpoint,
});
const options = () => ({
  createPorts: awsPorts(env(), { retryStrategy: fastRetryStrategy() }),
  logger: new Logger({ logLevel: 'SILENT' }),
  metrics: new Metrics({ namespace: 'wco-test', serviceName: 'optimizer' }),
});

/** The single function's run. */
async function singleRun() {
  const handler = createOptimizeHandler(env(), options());
  return handler({ time: TIME, account: ACCOUNT } as never);
}

/**
 * The sharded run: the deployed definition driven in process, each task a real
 * handler on the emulator. `crash` makes a shard task die before doing anything
 * (a timeout, an out-of-memory) for the directories it names, that many times.
 */
async function shardedRun(crash: Record<string, number> = {}) {
  const shard = createShardHandler(env(), options());
  const handlers: Record<string, (payload: unknown) => Promise<unknown>> = {
    plan: createPlanHandler(env(), options()),
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
    merge: createMergeHandler(env(), options()),
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
  const output = await machine.run({ time: TIME, account: ACCOUNT });
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
      // The unused review's memory is the single run's only (docs/unused.md).
      .filter(([key]) => !key.startsWith('ledger/index/') && !key.startsWith('ledger/unused/'))
      .map(([key, body]) => {
        if (!key.endsWith('.json')) return [key, body];
        const { runId: _runId, claimedAt: _claimed, settledAt: _settled, event, ...entry } = JSON.parse(body);
        return [key, { ...entry, published: event.published }];
      }),
  );
/**
 * The single run's reports without what its unused review adds (`unused.csv`,
 * the summary's unused section): the sharded run does not review unused
 * WorkSpaces (docs/unused.md).
 */
const withoutUnusedReview = (reports: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(reports)
      .filter(([key]) => !key.endsWith('/unused.csv'))
      .map(([key, body]) => [key, body.replace(/<section id="unused">[\s\S]*?<\/section>\n/, '')]),
  );
/** The single run's events without the unused review's (its events, its report's key). */
const withoutUnusedEvents = (published: ReturnType<typeof events>) =>
  published
    .filter((event) => !/Unused/.test(event.detailType))
    .map((event) => {
      const detail = event.detail as { reportKeys?: string[] };
      return detail.reportKeys === undefined
        ? event
        : {
            ...event,
            detail: {
              ...detail,
              reportKeys: detail.reportKeys.filter((key) => !key.endsWith('/unused.csv')),
            },
          };
    });
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
      reports: withoutUnusedReview(objects('reports/')),
      ledger: ledger(),
      events: withoutUnusedEvents(events()),
    };
    const modifies = emulator.current.state.modifies.length;
    emulator.current.reset(fleet());

    // Act
    const { output, attempts } = await shardedRun();

    // Assert
    expect(attempts.filter((attempt) => attempt.state === 'Shard')).toHaveLength(2);
    expect(output).toMatchObject({ workspaces: 18, problems: 0 });
    expect(objects('reports/')).toEqual(single.reports);
    expect(Object.keys(single.reports)).toEqual(
      expect.arrayContaining([
        `reports/daily/2026/11/30/${ACCOUNT}_${REGION}_d-alpha.csv`,
        `reports/daily/2026/11/30/${ACCOUNT}_${REGION}_d-beta.csv`,
        'reports/daily/2026/11/30/aggregated.csv',
        'reports/monthly/2026-11/summary.csv',
      ]),
    );
    expect(ledger()).toEqual(single.ledger);
    expect(events()).toEqual(single.events);
    expect(emulator.current.state.modifies).toHaveLength(modifies);
    expect(modifies).toBe(2 * (4 + 3));
  });

  it('retries a shard task that died, and ends as if it had not', async () => {
    // Arrange
    await singleRun();
    const single = {
      reports: withoutUnusedReview(objects('reports/')),
      events: withoutUnusedEvents(events()),
    };
    emulator.current.reset(fleet());

    // Act
    const { output, attempts } = await shardedRun({ 'd-beta': 1 });

    // Assert
    expect(attempts.filter((attempt) => attempt.state === 'Shard').map((attempt) => attempt.failed)).toEqual(
      expect.arrayContaining([true, false, false]),
    );
    expect(output).toMatchObject({ workspaces: 18, problems: 0 });
    expect(objects('reports/')).toEqual(single.reports);
    expect(events()).toEqual(single.events);
  });

  it('reports a shard task that fails every retry, and keeps the work of the others', async () => {
    // Act: d-beta's task dies on every attempt (1 + 2 retries).
    const { output, attempts } = await shardedRun({ 'd-beta': 3 });

    // Assert: the run finishes; d-beta is a problem, not evaluated, not converted.
    expect(attempts.filter((attempt) => attempt.state === 'Shard' && attempt.failed)).toHaveLength(3);
    expect(output).toMatchObject({ workspaces: 9, problems: 1 });
    const aggregate = rows('reports/daily/2026/11/30/aggregated.csv');
    expect(new Set(aggregate.map((row) => row.directory_id))).toEqual(new Set(['d-alpha']));
    expect(aggregate.filter((row) => row.outcome === 'APPLIED')).toHaveLength(7);
    const modified = emulator.current.state.modifies.map((modify) => modify.workspaceId);
    expect(modified).toHaveLength(7);
    expect(modified.every((id) => id.startsWith('ws-alpha'))).toBe(true);
    const run = events().find((event) => event.detailType === 'Optimizer Run Completed')!;
    expect(run.detail).toMatchObject({ workspaces: 9, problems: 1 });
    expect(events().filter((event) => event.detailType === 'WorkSpace Running Mode Changed')).toHaveLength(7);
  });
});
