import pLimit from 'p-limit';
import type { Shard } from '../ports/fleet-source.js';
import type { ObjectStore } from '../ports/object-store.js';
import { errorMessage, WcoError } from '../shared/errors.js';
import type { RunPlan } from './run-optimizer.js';
import type { ShardOutcome } from './run-shard.js';

const JSON_CONTENT_TYPE = 'application/json';
const JSONL_CONTENT_TYPE = 'application/x-ndjson';

/**
 * Keys of a sharded run's records, under `runs/<runId>/` in the report bucket
 * (kept a few days by a lifecycle rule): the plan, its shards one JSON object
 * a line (what the Distributed Map reads), and one outcome per finished shard.
 */
export const runKeys = {
  prefix: (runId: string) => `runs/${runId}/`,
  plan: (runId: string) => `runs/${runId}/plan.json`,
  shards: (runId: string) => `runs/${runId}/shards.jsonl`,
  outcomes: (runId: string) => `runs/${runId}/outcomes/`,
  outcome: (runId: string, shard: Shard) =>
    `runs/${runId}/outcomes/${shard.account}_${shard.region}_${shard.directoryId}.json`,
};

/** A sharded run's stored record is missing or is not what wco wrote. */
export class RunRecordError extends WcoError {
  override readonly name = 'RunRecordError';
}

/**
 * What the steps of a sharded run hand each other through the bucket: the
 * plan and the shards' outcomes (counts, keys, problems and the unused
 * candidates, no rows) go through S3, never through the state machine, so no
 * step's input or output nears Step Functions' 256 KB payload limit. A
 * retried shard task overwrites its own outcome.
 */
export class RunRecords {
  constructor(
    private readonly store: ObjectStore,
    private readonly readConcurrency = 16,
  ) {}

  /** Writes the plan and its shard list; rejects when either cannot be written. */
  async savePlan(plan: RunPlan): Promise<{ readonly planKey: string; readonly shardsKey: string }> {
    const planKey = runKeys.plan(plan.runId);
    const shardsKey = runKeys.shards(plan.runId);
    await this.store.put(planKey, JSON.stringify(plan), JSON_CONTENT_TYPE);
    await this.store.put(
      shardsKey,
      plan.shards.map((shard) => `${JSON.stringify(shard)}\n`).join(''),
      JSONL_CONTENT_TYPE,
    );
    return { planKey, shardsKey };
  }

  async readPlan(runId: string): Promise<RunPlan> {
    const plan = await this.readJson(runKeys.plan(runId));
    if (plan === undefined)
      throw new RunRecordError(`no plan for run ${runId} at ${this.locate(runKeys.plan(runId))}`);
    if ((plan as RunPlan).schema !== 1 || !Array.isArray((plan as RunPlan).shards))
      throw new RunRecordError(`${this.locate(runKeys.plan(runId))} is not a wco run plan`);
    return plan as RunPlan;
  }

  async saveOutcome(runId: string, outcome: ShardOutcome): Promise<void> {
    await this.store.put(runKeys.outcome(runId, outcome.shard), JSON.stringify(outcome), JSON_CONTENT_TYPE);
  }

  /** Every stored outcome of the run; rejects when one cannot be read (the merge would miss its counts). */
  async readOutcomes(runId: string): Promise<ShardOutcome[]> {
    const keys = (await this.store.list(runKeys.outcomes(runId))).filter((key) => key.endsWith('.json'));
    const limit = pLimit(this.readConcurrency);
    const outcomes = await Promise.all(keys.map((key) => limit(() => this.readJson(key))));
    return outcomes.map((outcome, index) => {
      const shard = (outcome as ShardOutcome | undefined)?.shard;
      const unused = (outcome as ShardOutcome | undefined)?.unused;
      if (
        shard === undefined ||
        (outcome as ShardOutcome).counts === undefined ||
        (unused !== undefined && !Array.isArray(unused.candidates))
      )
        throw new RunRecordError(`${this.locate(keys[index]!)} is not a shard outcome`);
      return outcome as ShardOutcome;
    });
  }

  private async readJson(key: string): Promise<unknown> {
    const body = await this.store.get(key);
    if (body === undefined) return undefined;
    try {
      return JSON.parse(body) as unknown;
    } catch (error) {
      throw new RunRecordError(`${this.locate(key)} is not JSON: ${errorMessage(error)}`, { cause: error });
    }
  }

  private locate(key: string): string {
    return this.store.locate(key);
  }
}
