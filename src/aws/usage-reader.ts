import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { paginateGetMetricData } from '@aws-sdk/client-cloudwatch';
import pLimit from 'p-limit';
import type { ConnectedSamples, Interval } from '../billing/index.js';
import { usageQueryWindow } from '../billing/index.js';
import type { Read } from '../shared/read.js';
import { failed, ok } from '../shared/read.js';

/** CloudWatch's limit of queries per `GetMetricData` call. */
export const MAX_QUERIES_PER_CALL = 500;
const HOUR_MS = 3_600_000;

/** One WorkSpace whose usage is wanted, with the idle timeout its billable hours will use. */
export interface UsageRequest {
  readonly workspaceId: string;
  readonly idleTimeoutMinutes: number;
}

export interface UsageReadOptions {
  readonly asOf: Date;
  /** Runs each `GetMetricData` call: the caller's bound on calls in flight (per region). */
  readonly limit: <T>(call: () => Promise<T>) => Promise<T>;
  readonly batchSize?: number;
}

/**
 * The sample period for a WorkSpace. An hourly Maximum bills exactly the same
 * hours as 5-minute samples when the idle timeout is a whole number of hours
 * (see `billableHours`), with a twelfth of the datapoints. With any other
 * timeout the hour a session ended in no longer decides alone where billing
 * stops (09:10 + 90 min ends in 10:40, 09:50 + 90 min in 11:20), so those
 * WorkSpaces keep the contract's 5-minute samples.
 */
export function samplePeriodMinutes(idleTimeoutMinutes: number): number {
  return idleTimeoutMinutes % 60 === 0 ? 60 : 5;
}

interface Collected {
  /** Starts of periods whose Maximum was >= 1; only these matter, so idle samples are not kept. */
  readonly connected: number[];
  failure: string | undefined;
}

/**
 * Month-to-date `AWS/WorkSpaces` `UserConnected` (Maximum, by `WorkspaceId`)
 * for every request, batched up to 500 queries per `GetMetricData` call and
 * following `NextToken` (one query's datapoints may span pages). A query
 * answered `InternalError`/`Forbidden`, or a call that failed after the SDK's
 * retries, fails only the WorkSpaces it covered.
 */
export async function readUsage(
  client: CloudWatchClient,
  requests: readonly UsageRequest[],
  options: UsageReadOptions,
): Promise<Map<string, Read<ConnectedSamples>>> {
  const result = new Map<string, Read<ConnectedSamples>>();
  if (requests.length === 0) return result;
  const maxTimeout = Math.max(...requests.map((request) => request.idleTimeoutMinutes));
  const window = usageQueryWindow(options.asOf, maxTimeout, 60);
  // Hour-aligned start: CloudWatch answers aligned periods best, and earlier samples are clipped anyway.
  const startTime = new Date(Math.floor(window.start / HOUR_MS) * HOUR_MS);
  const asOf = window.end;
  const hourOfAsOf = Math.floor(asOf / HOUR_MS) * HOUR_MS;
  const { limit } = options;
  const inBatches = (list: readonly UsageRequest[]) => batchesOf(list, options.batchSize);
  const hourly = requests.filter((request) => samplePeriodMinutes(request.idleTimeoutMinutes) === 60);
  const fine = requests.filter((request) => samplePeriodMinutes(request.idleTimeoutMinutes) !== 60);

  // An hourly Maximum covers its whole hour, including datapoints at or after T,
  // so with T mid-hour it could bill T's hour for a session that only starts
  // after T. Hourly samples therefore stop at T's hour; that hour's part before
  // T is read at 5 minutes and folded into one hourly sample, which is exact
  // (property-tested in test/billing/properties.test.ts).
  const tail = new Map<string, Read<ConnectedSamples>>();
  const jobs = [
    ...inBatches(hourly).map((batch) => async () => {
      for (const [id, read] of await readBatch(client, batch, startTime, new Date(hourOfAsOf), 60))
        result.set(id, read);
    }),
    ...(asOf > hourOfAsOf
      ? inBatches(hourly).map((batch) => async () => {
          for (const [id, read] of await readBatch(client, batch, new Date(hourOfAsOf), new Date(asOf), 5))
            tail.set(id, read);
        })
      : []),
    ...inBatches(fine).map((batch) => async () => {
      for (const [id, read] of await readBatch(client, batch, startTime, new Date(asOf), 5))
        result.set(id, read);
    }),
  ];
  await Promise.all(jobs.map((job) => limit(job)));

  for (const [id, read] of tail) {
    const main = result.get(id);
    if (!main?.ok) continue;
    if (!read.ok) result.set(id, read);
    else if (read.value.connectedStarts.length > 0)
      result.set(id, ok({ connectedStarts: [...main.value.connectedStarts, hourOfAsOf], periodMinutes: 60 }));
  }
  return result;
}

/**
 * Hourly `UserConnected` (Maximum) of every WorkSpace over a past `window`,
 * read once for a replay: CloudWatch keeps hourly data 455 days (5-minute data
 * only 63), and with whole-hour idle timeouts hourly samples bill exactly the
 * contract's hours at runs on whole hours. Batched like `readUsage`, 500
 * WorkSpaces per `GetMetricData` call, every page followed; a failed call or
 * query fails only the WorkSpaces it covered.
 */
export async function readUsageHistory(
  client: CloudWatchClient,
  workspaceIds: readonly string[],
  options: { readonly window: Interval; readonly concurrency: number; readonly batchSize?: number },
): Promise<Map<string, Read<ConnectedSamples>>> {
  const result = new Map<string, Read<ConnectedSamples>>();
  const start = new Date(Math.floor(options.window.start / HOUR_MS) * HOUR_MS);
  const end = new Date(options.window.end);
  const limit = pLimit(options.concurrency);
  const requests = workspaceIds.map((workspaceId) => ({ workspaceId }));
  await Promise.all(
    batchesOf(requests, options.batchSize).map((batch) =>
      limit(async () => {
        for (const [id, read] of await readBatch(client, batch, start, end, 60)) result.set(id, read);
      }),
    ),
  );
  return result;
}

function batchesOf<T>(list: readonly T[], size = MAX_QUERIES_PER_CALL): T[][] {
  const batches: T[][] = [];
  for (let index = 0; index < list.length; index += size) batches.push(list.slice(index, index + size));
  return batches;
}

async function readBatch(
  client: CloudWatchClient,
  batch: readonly Pick<UsageRequest, 'workspaceId'>[],
  startTime: Date,
  endTime: Date,
  periodMinutes: number,
): Promise<Map<string, Read<ConnectedSamples>>> {
  // Query ids must match ^[a-z][a-zA-Z0-9_]*$, which WorkSpace ids (ws-...) do not.
  const queryId = (index: number) => `w${index}`;
  const queries: MetricDataQuery[] = batch.map((request, index) => ({
    Id: queryId(index),
    MetricStat: {
      Metric: {
        Namespace: 'AWS/WorkSpaces',
        MetricName: 'UserConnected',
        Dimensions: [{ Name: 'WorkspaceId', Value: request.workspaceId }],
      },
      Period: periodMinutes * 60,
      Stat: 'Maximum',
    },
    ReturnData: true,
  }));
  const collected = new Map<string, Collected>();
  try {
    const pages = paginateGetMetricData(
      { client },
      { MetricDataQueries: queries, StartTime: startTime, EndTime: endTime, ScanBy: 'TimestampAscending' },
    );
    for await (const page of pages)
      for (const metric of page.MetricDataResults ?? []) {
        if (!metric.Id) continue;
        const entry = collected.get(metric.Id) ?? { connected: [], failure: undefined };
        collected.set(metric.Id, entry);
        if (metric.StatusCode === 'InternalError' || metric.StatusCode === 'Forbidden') {
          const messages = (metric.Messages ?? []).map((message) => message.Value ?? message.Code).join('; ');
          entry.failure = `GetMetricData answered ${metric.StatusCode}${messages ? `: ${messages}` : ''}`;
        }
        const timestamps = metric.Timestamps ?? [];
        const values = metric.Values ?? [];
        timestamps.forEach((timestamp, index) => {
          if ((values[index] ?? 0) >= 1) entry.connected.push(timestamp.getTime());
        });
      }
  } catch (error) {
    const read = failed<ConnectedSamples>(error);
    return new Map(batch.map((request) => [request.workspaceId, read]));
  }

  return new Map(
    batch.map((request, index): [string, Read<ConnectedSamples>] => {
      const entry = collected.get(queryId(index));
      // A query CloudWatch never answered is unknown usage, not zero usage.
      if (!entry) return [request.workspaceId, failed('GetMetricData returned no result for the query')];
      if (entry.failure) return [request.workspaceId, failed(entry.failure)];
      // Pages may split (or, after a retried page, repeat) a query's datapoints.
      const connectedStarts = [...new Set(entry.connected)].sort((a, b) => a - b);
      return [request.workspaceId, ok({ connectedStarts, periodMinutes })];
    }),
  );
}
