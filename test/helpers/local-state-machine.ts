import pLimit from 'p-limit';

/**
 * Runs an Amazon States Language definition in process, for the states wco's
 * sharded run uses and nothing more: `Task` on `arn:aws:states:::lambda:invoke`
 * (Parameters, ResultSelector, ResultPath, OutputPath, Retry by attempt count,
 * no waiting), and `Map` with an S3 JSONL `ItemReader`, an `ItemBatcher`
 * (`MaxItemsPerBatch[Path]`, `BatchInput`), a nested `ItemProcessor`,
 * `MaxConcurrency[Path]`, `ToleratedFailurePercentage` and `ResultPath`.
 * Paths are the simple `$.a.b` kind. It lets a test drive the deployed
 * definition against the emulator: the wiring between the steps is the real one.
 */
export interface LocalRuntime {
  /** A Lambda invocation: resolves to its output, rejects like a failed invocation. */
  invoke(functionName: string, payload: unknown): Promise<unknown>;
  /** An S3 object's text, for `ItemReader`. */
  readObject(bucket: string, key: string): Promise<string>;
}

type Json = Record<string, unknown>;

interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, Json>;
}

/** What happened to each task invocation (for assertions on retries). */
export interface TaskAttempt {
  readonly state: string;
  readonly attempt: number;
  readonly failed: boolean;
}

export class LocalStateMachine {
  readonly attempts: TaskAttempt[] = [];

  constructor(
    private readonly definition: Definition,
    private readonly runtime: LocalRuntime,
  ) {}

  /** Substitutes `${Name}` placeholders, as CloudFormation's DefinitionSubstitutions do. */
  static substituted(definition: unknown, substitutions: Readonly<Record<string, string>>): Definition {
    const text = JSON.stringify(definition).replace(/\$\{(\w+)\}/g, (whole, name: string) => {
      const value = substitutions[name];
      if (value === undefined) throw new Error(`no substitution for ${whole}`);
      return value;
    });
    return JSON.parse(text) as Definition;
  }

  run(input: unknown): Promise<unknown> {
    return this.runStates(this.definition, input);
  }

  private async runStates(definition: Definition, input: unknown): Promise<unknown> {
    let name: string | undefined = definition.StartAt;
    let data = input;
    while (name !== undefined) {
      const state: Json | undefined = definition.States[name];
      if (state === undefined) throw new Error(`no state ${name}`);
      data = await this.runState(name, state, data);
      name = state.End === true ? undefined : (state.Next as string);
    }
    return data;
  }

  private async runState(name: string, state: Json, input: unknown): Promise<unknown> {
    let result: unknown;
    if (state.Type === 'Task') result = await this.task(name, state, input);
    else if (state.Type === 'Map') result = await this.map(state, input);
    else throw new Error(`state type ${String(state.Type)} is not supported here`);
    if (state.ResultSelector !== undefined) result = parameters(state.ResultSelector, result);
    const placed = place(input, state.ResultPath as string | null | undefined, result);
    return state.OutputPath === undefined ? placed : read(placed, state.OutputPath as string);
  }

  private async task(name: string, state: Json, input: unknown): Promise<unknown> {
    if (state.Resource !== 'arn:aws:states:::lambda:invoke')
      throw new Error(`task resource ${String(state.Resource)} is not supported here`);
    const { FunctionName, Payload } = parameters(state.Parameters, input) as Json;
    const retries = (state.Retry as { ErrorEquals: string[]; MaxAttempts?: number }[] | undefined) ?? [];
    // Any error a Lambda raises is States.TaskFailed (and matches States.ALL).
    const retry = retries.find(
      (rule) => rule.ErrorEquals.includes('States.ALL') || rule.ErrorEquals.includes('States.TaskFailed'),
    );
    const attempts = 1 + (retry?.MaxAttempts ?? 0);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const output = await this.runtime.invoke(String(FunctionName), Payload);
        this.attempts.push({ state: name, attempt, failed: false });
        return { Payload: output, StatusCode: 200 };
      } catch (error) {
        this.attempts.push({ state: name, attempt, failed: true });
        if (attempt >= attempts) throw error;
      }
    }
  }

  private async map(state: Json, input: unknown): Promise<unknown> {
    const reader = state.ItemReader as Json;
    const { Bucket, Key } = parameters(reader.Parameters, input) as { Bucket: string; Key: string };
    const text = await this.runtime.readObject(Bucket, Key);
    const items = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
    const batcher = state.ItemBatcher as Json | undefined;
    const size = Number(
      batcher?.MaxItemsPerBatch ??
        (batcher?.MaxItemsPerBatchPath ? read(input, batcher.MaxItemsPerBatchPath as string) : 1),
    );
    const batchInput = batcher?.BatchInput ? parameters(batcher.BatchInput, input) : undefined;
    const batches: unknown[] = [];
    for (let start = 0; start < items.length; start += size) {
      const chunk = items.slice(start, start + size);
      batches.push(batcher ? { Items: chunk, BatchInput: batchInput } : chunk[0]);
    }
    const concurrency = Number(
      state.MaxConcurrency ??
        (state.MaxConcurrencyPath ? read(input, state.MaxConcurrencyPath as string) : 0),
    );
    const limit = pLimit(concurrency > 0 ? concurrency : Number.POSITIVE_INFINITY);
    const processor = state.ItemProcessor as Definition;
    const settled = await Promise.allSettled(
      batches.map((batch) => limit(() => this.runStates(processor, batch))),
    );
    const failed = settled.filter((outcome) => outcome.status === 'rejected').length;
    const tolerated = Number(state.ToleratedFailurePercentage ?? 0);
    if (batches.length > 0 && (100 * failed) / batches.length > tolerated)
      throw new Error(`States.ExceedToleratedFailureThreshold: ${failed} of ${batches.length} failed`);
    return settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : { failed: true }));
  }
}

/** `Parameters`-style templates: a key ending in `.$` takes the value at its path. */
function parameters(template: unknown, input: unknown): unknown {
  if (Array.isArray(template)) return template.map((item) => parameters(item, input));
  if (template === null || typeof template !== 'object') return template;
  return Object.fromEntries(
    Object.entries(template as Json).map(([key, value]) =>
      key.endsWith('.$') ? [key.slice(0, -2), read(input, value as string)] : [key, parameters(value, input)],
    ),
  );
}

function read(data: unknown, path: string): unknown {
  if (path === '$') return data;
  if (!path.startsWith('$.')) throw new Error(`path ${path} is not supported here`);
  return path
    .slice(2)
    .split('.')
    .reduce<unknown>((value, key) => (value as Json | undefined)?.[key], data);
}

function place(input: unknown, resultPath: string | null | undefined, result: unknown): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const keys = resultPath.slice(2).split('.');
  const copy = structuredClone(input) as Json;
  let target = copy;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Json;
  target[keys.at(-1)!] = result;
  return copy;
}
