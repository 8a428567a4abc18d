import type { EmulatorState } from './emulator-config.js';
import { usageDatapoints } from './usage-datapoints.js';
import { ApiError } from './wire.js';

type Body = Record<string, unknown>;

/** CloudWatch's cap on datapoints per `GetMetricData` response. */
export const MAX_DATAPOINTS_PER_RESPONSE = 100_800;
const MAX_QUERIES = 500;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

interface MetricQuery {
  Id: string;
  MetricStat?: {
    Metric?: { Namespace?: string; MetricName?: string; Dimensions?: { Name: string; Value: string }[] };
    Period?: number;
    Stat?: string;
  };
  ReturnData?: boolean;
}

interface QueryResult {
  readonly id: string;
  readonly label: string;
  readonly status: 'Complete' | 'InternalError';
  readonly messages: { Code: string; Value: string }[];
  readonly timestamps: number[];
  readonly values: number[];
}

const toSeconds = (value: unknown, name: string): number => {
  const seconds = typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(seconds)) throw new ApiError('ValidationError', `${name} is required`);
  return seconds;
};

function validate(queries: MetricQuery[]): void {
  if (queries.length === 0 || queries.length > MAX_QUERIES)
    throw new ApiError('ValidationError', `MetricDataQueries must hold 1 to ${MAX_QUERIES} queries`);
  const ids = new Set<string>();
  for (const query of queries) {
    if (!QUERY_ID.test(query.Id ?? ''))
      throw new ApiError('ValidationError', `query id ${query.Id} must match ${QUERY_ID.source}`);
    if (ids.has(query.Id)) throw new ApiError('ValidationError', `duplicate query id ${query.Id}`);
    ids.add(query.Id);
    const period = query.MetricStat?.Period ?? 0;
    if (!query.MetricStat || !Number.isInteger(period) || period <= 0 || period % 60 !== 0)
      throw new ApiError(
        'ValidationError',
        `query ${query.Id} needs a MetricStat with a Period multiple of 60`,
      );
  }
}

/**
 * `GraniteServiceVersion20100801.GetMetricData` (awsJson1_0, query-compatible).
 * Answers `AWS/WorkSpaces` `UserConnected` by `WorkspaceId`; honours StartTime,
 * EndTime, Period, ScanBy and MaxDatapoints, and splits a query's datapoints
 * across pages like CloudWatch does (`PartialData` plus `NextToken`).
 */
export function getMetricData(state: EmulatorState, region: string, body: Body): unknown {
  const queries = (body.MetricDataQueries ?? []) as MetricQuery[];
  validate(queries);
  const startMs = toSeconds(body.StartTime, 'StartTime') * 1000;
  const endMs = toSeconds(body.EndTime, 'EndTime') * 1000;
  if (endMs <= startMs) throw new ApiError('ValidationError', 'EndTime must be after StartTime');
  state.metricRequests.push({
    region,
    queries: queries.length,
    periods: [...new Set(queries.map((query) => query.MetricStat!.Period!))],
    startTime: startMs,
    endTime: endMs,
    nextPage: body.NextToken !== undefined && body.NextToken !== null && body.NextToken !== '',
  });
  const maxDatapoints = Math.min(
    Number(body.MaxDatapoints ?? MAX_DATAPOINTS_PER_RESPONSE),
    MAX_DATAPOINTS_PER_RESPONSE,
  );
  const descending = (body.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
  const workspaces = new Map(
    (state.regions[region]?.workspaces ?? []).map((workspace) => [workspace.workspaceId, workspace]),
  );

  const workspaceOf = (query: MetricQuery) =>
    query.MetricStat?.Metric?.Dimensions?.find((dimension) => dimension.Name === 'WorkspaceId')?.Value;
  const failing = state.faults.metricCallFailsFor ?? [];
  if (queries.some((query) => failing.includes(workspaceOf(query) ?? '')))
    throw new ApiError('InternalServiceFault', 'GetMetricData failed', 500);

  const results: QueryResult[] = queries
    .filter((query) => query.ReturnData !== false)
    .map((query) => {
      const workspaceId = workspaceOf(query) ?? '';
      const metric = query.MetricStat?.Metric;
      if (state.faults.metricQueryFailsFor?.includes(workspaceId))
        return {
          id: query.Id,
          label: workspaceId,
          status: 'InternalError',
          messages: [{ Code: 'InternalError', Value: 'An internal error occurred' }],
          timestamps: [],
          values: [],
        };
      const workspace = workspaces.get(workspaceId);
      const isUsage =
        metric?.Namespace === 'AWS/WorkSpaces' &&
        metric.MetricName === 'UserConnected' &&
        query.MetricStat?.Stat === 'Maximum';
      const points =
        workspace && isUsage
          ? usageDatapoints(workspace, startMs, endMs, query.MetricStat!.Period!)
          : { timestamps: [], values: [] };
      const order = points.timestamps.map((_, index) => index);
      if (descending) order.reverse();
      return {
        id: query.Id,
        label: workspaceId,
        status: 'Complete',
        messages: [],
        timestamps: order.map((index) => points.timestamps[index]! / 1000),
        values: order.map((index) => points.values[index]!),
      };
    });

  // The token is the position (query, datapoint) where the next page starts.
  const [startQuery, startPoint] = decodeToken(body.NextToken);
  let budget = maxDatapoints;
  const page: unknown[] = [];
  let next: string | undefined;
  for (let index = startQuery; index < results.length; index += 1) {
    const result = results[index]!;
    const from = index === startQuery ? startPoint : 0;
    const remaining = result.timestamps.length - from;
    if (remaining > 0 && budget === 0) {
      next = encodeToken(index, from);
      break;
    }
    const take = Math.min(remaining, budget);
    budget -= take;
    const partial = take < remaining;
    page.push({
      Id: result.id,
      Label: result.label,
      Timestamps: result.timestamps.slice(from, from + take),
      Values: result.values.slice(from, from + take),
      StatusCode: partial ? 'PartialData' : result.status,
      Messages: result.messages,
    });
    if (partial) {
      next = encodeToken(index, from + take);
      break;
    }
  }
  return { MetricDataResults: page, NextToken: next, Messages: [] };
}

function encodeToken(query: number, point: number): string {
  return Buffer.from(`q:${query}:${point}`).toString('base64');
}

function decodeToken(token: unknown): [number, number] {
  if (token === undefined || token === null || token === '') return [0, 0];
  const parts = Buffer.from(String(token), 'base64').toString('utf8').split(':');
  const query = Number(parts[1]);
  const point = Number(parts[2]);
  if (parts[0] !== 'q' || !Number.isInteger(query) || !Number.isInteger(point))
    throw new ApiError('InvalidNextToken', `invalid NextToken ${String(token)}`);
  return [query, point];
}
