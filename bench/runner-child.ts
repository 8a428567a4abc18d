/**
 * One step of a benchmark scenario, in its own process so that its peak RSS is
 * its own (as a Lambda invocation's would be): the single-process run, or the
 * sharded deployment's plan, one shard task, or the merge. The AWS path with
 * the real SDK against the emulator (AWS_ENDPOINT_URL), dry run.
 * argv: <step> <JSON arguments>. Sends one JSON message with its measurements.
 */
import { hasCustomEndpoint } from '../src/aws/clients.js';
import { createAwsDependencies } from '../src/compose/aws.js';
import type { OptimizerSettings } from '../src/app/run-optimizer.js';
import { mergeShards, planRun, runOptimizer, runShardTask } from '../src/app/run-optimizer.js';
import { RunRecords } from '../src/app/run-records.js';
import { thresholdPolicy } from '../src/billing/index.js';
import { CONFIG_DEFAULTS } from '../src/config/defaults.js';
import type { Shard } from '../src/ports/fleet-source.js';

export type Step =
  | { readonly step: 'single' }
  | { readonly step: 'plan'; readonly runId: string }
  | { readonly step: 'shard'; readonly runId: string; readonly shards: readonly Shard[] }
  | { readonly step: 'merge'; readonly runId: string };

export interface StepArguments {
  readonly regions: readonly string[];
  readonly bucket: string;
  readonly asOf: string;
}

export interface StepMeasurement {
  readonly wallSeconds: number;
  readonly peakRssMiB: number;
  readonly peakHeapMiB: number;
  readonly workspaces: number;
  readonly errors: number;
  readonly writeFailures: readonly string[];
  readonly problems: readonly string[];
  /** The plan's shards, for the parent to hand out. */
  readonly shards?: readonly Shard[];
}

const [, , stepJson = '{}', argumentsJson = '{}'] = process.argv;
const step = JSON.parse(stepJson) as Step;
const args = JSON.parse(argumentsJson) as StepArguments;

// Sampled, so approximate: how much of the RSS is live JavaScript heap (the rest is mostly garbage not yet collected).
let peakHeapMiB = 0;
const sampler = setInterval(() => {
  peakHeapMiB = Math.max(peakHeapMiB, process.memoryUsage().heapUsed / 1_048_576);
}, 20);
const started = performance.now();
const deps = await createAwsDependencies({
  regions: args.regions,
  bucket: args.bucket,
  account: '123456789012',
  customEndpoint: hasCustomEndpoint(process.env),
});
const settings: OptimizerSettings = {
  asOf: new Date(args.asOf),
  dryRun: true,
  forceMonthEnd: false,
  thresholds: thresholdPolicy(),
  assumedTimeoutMinutes: CONFIG_DEFAULTS.assumedTimeoutMinutes,
  regionConcurrency: CONFIG_DEFAULTS.regionConcurrency,
  modifyConcurrency: CONFIG_DEFAULTS.modifyConcurrency,
  account: deps.account,
  keepResults: false,
};
const records = new RunRecords(deps.store);

let measured: Omit<StepMeasurement, 'wallSeconds' | 'peakRssMiB' | 'peakHeapMiB'>;
switch (step.step) {
  case 'single': {
    const { summary } = await runOptimizer(deps, settings);
    measured = {
      workspaces: summary.workspaces,
      errors: summary.errors.length,
      writeFailures: summary.writeFailures.map((failure) => `${failure.target}: ${failure.message}`),
      problems: summary.problems.map((problem) => `${problem.region} ${problem.scope}: ${problem.message}`),
    };
    break;
  }
  case 'plan': {
    const plan = await planRun(deps, { ...settings, runId: step.runId });
    await records.savePlan(plan);
    measured = { workspaces: 0, errors: 0, writeFailures: [], problems: [], shards: plan.shards };
    break;
  }
  case 'shard': {
    const outcomes = await runShardTask(deps, settings, step.shards);
    for (const outcome of outcomes) await records.saveOutcome(step.runId, outcome);
    measured = {
      workspaces: outcomes.reduce((sum, outcome) => sum + outcome.counts.workspaces, 0),
      errors: outcomes.reduce((sum, outcome) => sum + outcome.counts.errors.length, 0),
      writeFailures: outcomes.flatMap((outcome) => outcome.writeFailures.map((failure) => failure.target)),
      problems: outcomes.flatMap((outcome) => outcome.problems.map((problem) => problem.message)),
    };
    break;
  }
  case 'merge': {
    const [plan, outcomes] = await Promise.all([
      records.readPlan(step.runId),
      records.readOutcomes(step.runId),
    ]);
    const summary = await mergeShards(deps, settings, plan, outcomes);
    measured = {
      workspaces: summary.workspaces,
      errors: summary.errors.length,
      writeFailures: summary.writeFailures.map((failure) => `${failure.target}: ${failure.message}`),
      problems: summary.problems.map((problem) => `${problem.region} ${problem.scope}: ${problem.message}`),
    };
    break;
  }
}
clearInterval(sampler);
const measurement: StepMeasurement = {
  ...measured,
  wallSeconds: (performance.now() - started) / 1000,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
  peakHeapMiB,
};
process.send?.(measurement);
process.disconnect?.();
