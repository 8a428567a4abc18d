/**
 * Benchmark of the AWS path: createAwsDependencies + runOptimizer (dry run)
 * with the real SDK clients against the emulator in a child process, with a
 * fixed added latency per API call. Prints API calls per WorkSpace by
 * operation, reads per WorkSpace, wall time and peak RSS, against the targets.
 *
 *   npm run bench [-- --sizes 1000,10000 --latency 20]
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hasCustomEndpoint } from '../src/aws/clients.js';
import { createAwsDependencies } from '../src/compose/aws.js';
import { runOptimizer } from '../src/app/run-optimizer.js';
import { thresholdPolicy } from '../src/billing/index.js';
import { CONFIG_DEFAULTS } from '../src/config/defaults.js';
import type { CallCounts } from '../test/integration/emulator/emulator-config.js';

const TARGETS = { readsPerWorkspace: 0.1, wallSecondsAt10k: 60, peakRssMiB: 512 };
/** Calls that are not reads: conversions, their tag confirmations (none in a dry run) and writes. */
const NOT_READS = new Set(['ModifyWorkspaceProperties', 'PutObject', 'PutEvents']);

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    latency: { type: 'string', default: '20' },
    regions: { type: 'string', default: 'eu-west-1,us-east-1' },
    'as-of': { type: 'string', default: '2026-11-30T22:00:00Z' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const regions = values.regions.split(',');
const asOf = new Date(values['as-of']);

async function startChild(workspaces: number): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = fork(
    fileURLToPath(new URL('./emulator-child.ts', import.meta.url)),
    [String(workspaces), values.latency, asOf.toISOString(), regions.join(',')],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { endpoint: string }).endpoint));
    child.once('exit', (code) => reject(new Error(`the emulator exited with code ${code}`)));
  });
  return { child, endpoint };
}

async function benchmark(workspaces: number) {
  const { child, endpoint } = await startChild(workspaces);
  try {
    process.env.AWS_ENDPOINT_URL = endpoint;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCH';
    process.env.AWS_SECRET_ACCESS_KEY = 'bench-secret';
    // Sampled, so approximate: how much of the RSS is live JavaScript heap (the rest is mostly garbage V8 has not collected yet).
    let peakHeapMiB = 0;
    const sampler = setInterval(() => {
      peakHeapMiB = Math.max(peakHeapMiB, process.memoryUsage().heapUsed / 1_048_576);
    }, 20);
    const started = performance.now();
    const deps = await createAwsDependencies({
      regions,
      bucket: 'wco-bench',
      customEndpoint: hasCustomEndpoint(process.env),
    });
    const { summary } = await runOptimizer(deps, {
      asOf,
      dryRun: true,
      forceMonthEnd: false,
      thresholds: thresholdPolicy(),
      assumedTimeoutMinutes: CONFIG_DEFAULTS.assumedTimeoutMinutes,
      regionConcurrency: CONFIG_DEFAULTS.regionConcurrency,
      modifyConcurrency: CONFIG_DEFAULTS.modifyConcurrency,
      account: deps.account,
    });
    const wallSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const calls = (await (await fetch(`${endpoint}/_emulator/calls`)).json()) as CallCounts;
    if (summary.workspaces !== workspaces)
      throw new Error(
        `read ${summary.workspaces} WorkSpaces of ${workspaces}: ${JSON.stringify(summary.problems)}`,
      );
    if (summary.writeFailures.length > 0)
      throw new Error(`writes failed: ${JSON.stringify(summary.writeFailures)}`);
    const reads = Object.entries(calls)
      .filter(([operation]) => !NOT_READS.has(operation))
      .reduce((sum, [, count]) => sum + (count ?? 0), 0);
    return {
      workspaces,
      calls,
      reads,
      wallSeconds,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      peakHeapMiB,
      errors: summary.errors.length,
    };
  } finally {
    child.disconnect();
  }
}

console.log(
  `wco AWS-path benchmark: dry run, ${regions.length} regions, ${values.latency} ms added per call, as of ${asOf.toISOString()}, node ${process.version}`,
);
console.log(
  `peak RSS before the first run (runtime, tsx, SDK loaded): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
let failedTargets = 0;
for (const size of sizes) {
  const result = await benchmark(size);
  console.log(`\n${size} WorkSpaces`);
  for (const [operation, count] of Object.entries(result.calls).sort())
    console.log(
      `  ${operation.padEnd(30)} ${String(count).padStart(6)}  ${((count ?? 0) / size).toFixed(4)} / WorkSpace`,
    );
  const readsPerWorkspace = result.reads / size;
  const checks = [
    [`reads per WorkSpace ${readsPerWorkspace.toFixed(4)}`, readsPerWorkspace <= TARGETS.readsPerWorkspace],
    [
      `wall time ${result.wallSeconds.toFixed(1)} s`,
      size < 10_000 || result.wallSeconds < TARGETS.wallSecondsAt10k,
    ],
    [`peak RSS ${result.peakRssMiB.toFixed(0)} MiB (process so far)`, result.peakRssMiB < TARGETS.peakRssMiB],
  ] as const;
  for (const [label, ok] of checks) {
    console.log(`  ${label.padEnd(45)} ${ok ? 'ok' : 'OVER TARGET'}`);
    if (!ok) failedTargets += 1;
  }
  console.log(`  peak heap used ~${result.peakHeapMiB.toFixed(0)} MiB (sampled every 20 ms)`);
  console.log(`  (${result.errors} WorkSpaces with errors)`);
}
process.exitCode = failedTargets > 0 ? 1 : 0;
