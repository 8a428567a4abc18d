import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { mergeShards, planRun, runShardTask } from '../app/run-optimizer.js';
import { RunRecords } from '../app/run-records.js';
import type { ShardedPorts } from '../compose/optimizer-ports.js';
import { instantSetting } from '../config/settings.js';
import { ErrorDisposition, WcoError } from '../shared/errors.js';
import type { RuntimeOptions } from './optimizer-runtime.js';
import { optimizerRuntime, RunFailedError } from './optimizer-runtime.js';
import { parseScheduledEvent } from './scheduled-event.js';

/**
 * The sharded deployment (docs/deployment.md, "Sharded runs"): a Step
 * Functions state machine runs `plan`, then a Distributed Map of `shard` tasks
 * over the plan's shards, then `merge`. Each step is the single function's use
 * case cut in three; they hand each other records in the report bucket
 * (`runs/<runId>/`), never rows.
 */
export type ShardedHandlerOptions = RuntimeOptions<ShardedPorts>;

/** The invocation's input is not what the state machine sends; nothing is run. */
export class InvalidStepInputError extends WcoError {
  override readonly name = 'InvalidStepInputError';
  override readonly disposition = ErrorDisposition.BAD_INPUT;
}

const account = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const runRef = z.object({ runId: z.string().min(1), asOf: z.string().pipe(instantSetting), account });
const shard = z.object({ account, region: z.string().min(1), directoryId: z.string().min(1) });
/** What the Distributed Map's item batcher hands a shard task. */
const shardTaskInput = z.object({ Items: z.array(shard).min(1), BatchInput: runRef });

function parsed<T>(schema: z.ZodType<T>, event: unknown, step: string): T {
  const result = schema.safeParse(event);
  if (!result.success)
    throw new InvalidStepInputError(
      `invalid ${step} input:\n  ${result.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('\n  ')}`,
    );
  return result.data;
}

/** What the plan step returns to the state machine: where the shard list is, and the run to pass on. */
export interface PlanOutput {
  readonly runId: string;
  readonly asOf: string;
  readonly account: string;
  /** The shard list, one JSON object a line, in the report bucket: the Distributed Map's items. */
  readonly shardsKey: string;
  readonly shards: number;
  readonly regionsUnread: number;
  /** The map's item batch and concurrency, from the configuration (numbers, as the definition needs them). */
  readonly shardsPerTask: number;
  readonly shardTaskConcurrency: number;
}

/** Lists the regions' directories (one shard each) and stores the plan; the schedule's event gives `T`. */
export function createPlanHandler(
  env: Readonly<Record<string, string | undefined>>,
  options: ShardedHandlerOptions = {},
): (event: unknown, context?: Context) => Promise<PlanOutput> {
  const runtime = optimizerRuntime(env, options);
  return (event, context) =>
    runtime.invoke(context, async () => {
      const { asOf, account: owner } = parseScheduledEvent(event);
      const ports = await runtime.portsFor(owner);
      // The plan's id names the run's records and its member sessions; shard tasks reuse it.
      const settings = runtime.settings(asOf, owner, context);
      const runId = settings.runId ?? randomUUID();
      const accounts = await ports.accountFleets?.(runId);
      const plan = await planRun({ fleet: ports.fleet, accounts, log: runtime.log }, { ...settings, runId });
      const { shardsKey } = await new RunRecords(ports.store).savePlan(plan);
      runtime.logger.info('run planned', {
        runId: plan.runId,
        asOf: plan.asOf,
        shards: plan.shards.length,
        problems: plan.problems,
      });
      return {
        runId: plan.runId,
        asOf: plan.asOf,
        account: plan.account,
        shardsKey,
        shards: plan.shards.length,
        regionsUnread: plan.unread.length,
        shardsPerTask: runtime.config.shardsPerTask,
        shardTaskConcurrency: runtime.config.shardTaskConcurrency,
      };
    });
}

/** What a shard task returns: counts only (Step Functions keeps at most 256 KB of state). */
export interface ShardTaskOutput {
  readonly runId: string;
  readonly shards: number;
  readonly workspaces: number;
  readonly writeFailures: number;
}

/**
 * Runs a batch of the plan's shards and stores each one's outcome. Fails the
 * task (so the map retries it) when something could not be written; the
 * outcome is stored first, so a task that fails every retry is still counted.
 */
export function createShardHandler(
  env: Readonly<Record<string, string | undefined>>,
  options: ShardedHandlerOptions = {},
): (event: unknown, context?: Context) => Promise<ShardTaskOutput> {
  const runtime = optimizerRuntime(env, options);
  return (event, context) =>
    runtime.invoke(context, async () => {
      const { Items: shards, BatchInput: run } = parsed(shardTaskInput, event, 'shard task');
      const { priceCatalog, accountFleets, ...ports } = await runtime.portsFor(run.account);
      const prices = await priceCatalog?.(run.asOf);
      const accounts = await accountFleets?.(run.runId);
      const outcomes = await runShardTask(
        { ...ports, prices, accounts, log: runtime.log },
        runtime.settings(run.asOf, run.account, context),
        shards,
      );
      const records = new RunRecords(ports.store);
      for (const outcome of outcomes) await records.saveOutcome(run.runId, outcome);
      const writeFailures = outcomes.flatMap((outcome) => outcome.writeFailures);
      if (writeFailures.length > 0) throw new RunFailedError(writeFailures);
      return {
        runId: run.runId,
        shards: outcomes.length,
        workspaces: outcomes.reduce((sum, outcome) => sum + outcome.counts.workspaces, 0),
        writeFailures: 0,
      };
    });
}

/** What the merge step returns: the run in counts (the full summary is in the logs and the run event). */
export interface MergeOutput {
  readonly runId: string;
  readonly asOf: string;
  readonly workspaces: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly problems: number;
  readonly reportKeys: number;
}

/**
 * Merges the shards' outcomes: the unused review of their candidates
 * (`unused.csv`, removals), the day's aggregate, the month's summary at month
 * end, the outbox's events, the run event and the run's metrics (the same as
 * the single function's, so the same alarms watch both deployments).
 */
export function createMergeHandler(
  env: Readonly<Record<string, string | undefined>>,
  options: ShardedHandlerOptions = {},
): (event: unknown, context?: Context) => Promise<MergeOutput> {
  const runtime = optimizerRuntime(env, options);
  return (event, context) =>
    runtime.invoke(context, async () => {
      const run = parsed(runRef, event, 'merge');
      const {
        priceCatalog: _prices,
        accountFleets,
        fleet: _fleet,
        switcher: _switcher,
        ...ports
      } = await runtime.portsFor(run.account);
      const records = new RunRecords(ports.store);
      const [plan, outcomes] = await Promise.all([
        records.readPlan(run.runId),
        records.readOutcomes(run.runId),
      ]);
      // The unused review asks each account with its own session, named after the run as the shards' were.
      const accounts = await accountFleets?.(run.runId);
      const summary = await mergeShards(
        { ...ports, accounts, log: runtime.log },
        runtime.settings(run.asOf, run.account, context),
        plan,
        outcomes,
      );
      runtime.logger.info('run completed', { runId: run.runId, summary: { ...summary, asOf: run.asOf } });
      runtime.finish(summary);
      return {
        runId: run.runId,
        asOf: summary.asOf.toISOString(),
        workspaces: summary.workspaces,
        outcomes: summary.outcomes,
        problems: summary.problems.length,
        reportKeys: summary.reportKeys.length,
      };
    });
}
