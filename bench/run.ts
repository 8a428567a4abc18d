/**
 * Benchmark of the AWS path against the emulator (a child process), 20 ms added
 * to every call, dry run, month end. Each run (or each step of the sharded
 * run) is a process of its own, so its peak RSS is its own, as a Lambda's is.
 *
 *   npm run bench                                  # the three scenarios below
 *   npm run bench -- --scenarios 50k --latency 20 # one of them
 *
 * - 50k: 50,000 WorkSpaces in one region: wall < 60 s, peak RSS < 300 MiB, reads per WorkSpace <= 0.06.
 * - 200k: 200,000 WorkSpaces in two regions, one process: peak RSS < 512 MiB.
 * - sharded: the same 200,000 through plan, one shard task per directory and merge:
 *   the same report bytes as the single process.
 *
 * Then the replay (bench/replay.ts, in a process of its own): `--replay-months`
 * months of `--replay-size` simulated WorkSpaces, daily runs (`--skip-replay`).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../src/aws/s3-object-store.js';
import type { Shard } from '../src/ports/fleet-source.js';
import type { CallCounts } from '../test/integration/emulator/emulator-config.js';
import type { Step, StepArguments, StepMeasurement } from './runner-child.js';

/** Calls that are not reads of the fleet: conversions, writes, and the reading back of the run's own reports. */
const NOT_READS = new Set([
  'ModifyWorkspaceProperties',
  'PutObject',
  'PutEvents',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
]);

const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', default: '50k,200k,sharded' },
    latency: { type: 'string', default: '20' },
    'as-of': { type: 'string', default: '2026-11-30T22:00:00Z' },
    // V8's heap limit for each run (MiB), as NODE_OPTIONS would set it; 0 = V8's default, which on a
    // machine with plenty of RAM lets garbage pile up long before collecting it.
    heap: { type: 'string', default: '256' },
    'replay-size': { type: 'string', default: '10000' },
    'replay-months': { type: 'string', default: '3' },
    'skip-replay': { type: 'boolean', default: false },
  },
});
const scenarios = new Set(values.scenarios.split(','));
const asOf = values['as-of'];
const BUCKET = 'wco-bench';
const credentials = {
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_REGION: 'eu-west-1',
};

async function startEmulator(workspaces: number, regions: readonly string[]) {
  const child = fork(
    fileURLToPath(new URL('./emulator-child.ts', import.meta.url)),
    [String(workspaces), values.latency, asOf, regions.join(',')],
    {
      execArgv: ['--import', 'tsx', '--max-old-space-size=8192'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { endpoint: string }).endpoint));
    child.once('exit', (code) => reject(new Error(`the emulator exited with code ${code}`)));
  });
  const calls = async () => (await (await fetch(`${endpoint}/_emulator/calls`)).json()) as CallCounts;
  return { child, endpoint, calls };
}

function runStep(endpoint: string, step: Step, args: StepArguments): Promise<StepMeasurement> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./runner-child.ts', import.meta.url)),
    [JSON.stringify(step), JSON.stringify(args)],
    {
      execArgv: [
        '--import',
        'tsx',
        ...(Number(values.heap) > 0 ? [`--max-old-space-size=${values.heap}`] : []),
      ],
      env: { ...process.env, ...credentials, AWS_ENDPOINT_URL: endpoint },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    let measurement: StepMeasurement | undefined;
    child.on('message', (message) => (measurement = message as StepMeasurement));
    child.once('exit', (code) =>
      measurement ? resolve(measurement) : reject(new Error(`step ${step.step} exited with code ${code}`)),
    );
  });
}

function benchStore(endpoint: string): S3ObjectStore {
  return new S3ObjectStore(
    new S3Client({
      region: 'eu-west-1',
      endpoint,
      forcePathStyle: true,
      credentials: {
        accessKeyId: credentials.AWS_ACCESS_KEY_ID,
        secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY,
      },
    }),
    BUCKET,
  );
}

/** SHA-256 of every report in the bucket: what "the same report bytes" is checked on. */
async function reportDigests(endpoint: string): Promise<Map<string, string>> {
  const store = benchStore(endpoint);
  const digests = new Map<string, string>();
  for (const key of await store.list('reports/')) {
    const hash = createHash('sha256');
    for await (const piece of (await store.getStream(key))!) hash.update(piece);
    digests.set(key, hash.digest('hex'));
  }
  return digests;
}

const reads = (before: CallCounts, after: CallCounts) =>
  Object.entries(after)
    .filter(([operation]) => !NOT_READS.has(operation))
    .reduce(
      (sum, [operation, count]) => sum + (count ?? 0) - (before[operation as keyof CallCounts] ?? 0),
      0,
    );
const delta = (before: CallCounts, after: CallCounts) =>
  Object.entries(after)
    .map(
      ([operation, count]) =>
        [operation, (count ?? 0) - (before[operation as keyof CallCounts] ?? 0)] as const,
    )
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));

let failedTargets = 0;
function check(label: string, ok: boolean): void {
  console.log(`  ${label.padEnd(58)} ${ok ? 'ok' : 'OVER TARGET'}`);
  if (!ok) failedTargets += 1;
}
function report(size: number, measurement: StepMeasurement, before: CallCounts, after: CallCounts): number {
  for (const [operation, count] of delta(before, after))
    console.log(
      `  ${operation.padEnd(30)} ${String(count).padStart(7)}  ${(count / size).toFixed(4)} / WorkSpace`,
    );
  console.log(
    `  ${measurement.workspaces} WorkSpaces read, ${measurement.errors} with errors; peak heap used ~${measurement.peakHeapMiB.toFixed(0)} MiB (sampled)`,
  );
  if (
    measurement.workspaces !== size ||
    measurement.writeFailures.length > 0 ||
    measurement.problems.length > 0
  )
    throw new Error(`the run was not complete: ${JSON.stringify(measurement)}`);
  return reads(before, after) / size;
}

console.log(
  `wco benchmark: AWS path on the emulator, ${values.latency} ms added per call, dry run, as of ${asOf}, heap limit ${Number(values.heap) > 0 ? `${values.heap} MiB` : 'V8 default'}, node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);

if (scenarios.has('50k')) {
  const size = 50_000;
  const regions = ['eu-west-1'];
  const emulator = await startEmulator(size, regions);
  try {
    console.log(`\n50,000 WorkSpaces in one region, one process`);
    const before = await emulator.calls();
    const measurement = await runStep(
      emulator.endpoint,
      { step: 'single' },
      { regions, bucket: BUCKET, asOf },
    );
    const readsPerWorkspace = report(size, measurement, before, await emulator.calls());
    check(`reads per WorkSpace ${readsPerWorkspace.toFixed(4)} (target <= 0.06)`, readsPerWorkspace <= 0.06);
    check(`wall time ${measurement.wallSeconds.toFixed(1)} s (target < 60 s)`, measurement.wallSeconds < 60);
    check(
      `peak RSS ${measurement.peakRssMiB.toFixed(0)} MiB (target < 300 MiB)`,
      measurement.peakRssMiB < 300,
    );
  } finally {
    emulator.child.disconnect();
  }
}

if (scenarios.has('200k') || scenarios.has('sharded')) {
  const size = 200_000;
  const regions = ['eu-west-1', 'us-east-1'];
  const emulator = await startEmulator(size, regions);
  const args = { regions, bucket: BUCKET, asOf };
  try {
    let single: Map<string, string> | undefined;
    if (scenarios.has('200k')) {
      console.log(`\n200,000 WorkSpaces in two regions, one process`);
      const before = await emulator.calls();
      const measurement = await runStep(emulator.endpoint, { step: 'single' }, args);
      const readsPerWorkspace = report(size, measurement, before, await emulator.calls());
      console.log(
        `  reads per WorkSpace ${readsPerWorkspace.toFixed(4)}, wall time ${measurement.wallSeconds.toFixed(1)} s`,
      );
      check(
        `peak RSS ${measurement.peakRssMiB.toFixed(0)} MiB (target < 512 MiB)`,
        measurement.peakRssMiB < 512,
      );
      single = await reportDigests(emulator.endpoint);
      // The sharded run must write every one of them again: none may be left over from this run.
      const store = benchStore(emulator.endpoint);
      for (const key of single.keys()) await store.remove(key);
    }
    if (scenarios.has('sharded')) {
      console.log(`\nThe same 200,000, sharded: plan, one task per directory (one process each), merge`);
      const runId = randomUUID();
      const before = await emulator.calls();
      const started = performance.now();
      const plan = await runStep(emulator.endpoint, { step: 'plan', runId }, args);
      const shards: readonly Shard[] = plan.shards ?? [];
      let workspaces = 0;
      let peakTask = 0;
      for (const shard of shards) {
        const task = await runStep(emulator.endpoint, { step: 'shard', runId, shards: [shard] }, args);
        console.log(
          `  shard ${shard.region}/${shard.directoryId}: ${task.workspaces} WorkSpaces, ${task.wallSeconds.toFixed(1)} s, peak RSS ${task.peakRssMiB.toFixed(0)} MiB`,
        );
        workspaces += task.workspaces;
        peakTask = Math.max(peakTask, task.peakRssMiB);
      }
      const merge = await runStep(emulator.endpoint, { step: 'merge', runId }, args);
      const wall = (performance.now() - started) / 1000;
      const readsPerWorkspace = report(
        size,
        { ...merge, workspaces: merge.workspaces },
        before,
        await emulator.calls(),
      );
      console.log(
        `  ${shards.length} shards, ${workspaces} WorkSpaces; merge ${merge.wallSeconds.toFixed(1)} s, peak RSS ${merge.peakRssMiB.toFixed(0)} MiB; ` +
          `reads per WorkSpace ${readsPerWorkspace.toFixed(4)}; wall ${wall.toFixed(1)} s one task at a time; largest task peak RSS ${peakTask.toFixed(0)} MiB`,
      );
      if (single !== undefined) {
        const sharded = await reportDigests(emulator.endpoint);
        const differing = [...new Set([...single.keys(), ...sharded.keys()])].filter(
          (key) => single.get(key) !== sharded.get(key),
        );
        check(
          `report bytes equal to the single process's (${sharded.size} files${differing.length ? `; differ: ${differing.join(', ')}` : ''})`,
          differing.length === 0 && sharded.size === single.size,
        );
      }
    }
  } finally {
    emulator.child.disconnect();
  }
}
if (!values['skip-replay']) {
  const replay = fork(
    fileURLToPath(new URL('./replay.ts', import.meta.url)),
    ['--size', values['replay-size'], '--months', values['replay-months']],
    { execArgv: ['--import', 'tsx'], stdio: 'inherit' },
  );
  const code = await new Promise<number | null>((resolve) => replay.once('exit', resolve));
  if (code !== 0) failedTargets += 1;
}
process.exitCode = failedTargets > 0 ? 1 : 0;
