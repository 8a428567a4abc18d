import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { getMetricData } from './cloudwatch-api.js';
import type { CallCounts, EmulatorConfig, EmulatorState } from './emulator-config.js';
import { EmulatedOperation } from './emulator-config.js';
import { s3Api, s3Error, s3Operation } from './s3-api.js';
import type { WireRequest, WireResponse } from './wire.js';
import {
  ApiError,
  credentialScope,
  jsonError,
  jsonResponse,
  parseJson,
  xmlEscape,
  xmlResponse,
} from './wire.js';
import { getProducts } from './pricing-api.js';
import { getResources, workspacesApi } from './workspaces-api.js';

export * from './emulator-config.js';

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`: set it as `AWS_ENDPOINT_URL` or a client's `endpoint`. */
  readonly endpoint: string;
  readonly state: EmulatorState;
  /** API calls by operation, live. */
  readonly calls: CallCounts;
  /** Zeroes the call counters (between the steps of a test). */
  resetCalls(): void;
  /** Replaces fleet, buckets and faults with `config`'s and forgets every object, event, modify and call. */
  reset(config: EmulatorConfig): void;
  close(): Promise<void>;
}

type Protocol = 'json1.0' | 'json1.1' | 'query' | 's3';

interface Route {
  readonly operation: EmulatedOperation;
  readonly protocol: Protocol;
  readonly handle: (state: EmulatorState, request: WireRequest) => WireResponse;
}

const JSON_1_0 = 'application/x-amz-json-1.0';
const JSON_1_1 = 'application/x-amz-json-1.1';

/** Routes by `X-Amz-Target` for the JSON protocols. */
function jsonRoute(target: string): Route {
  const [service, operation = ''] = target.split('.');
  const json =
    (
      contentType: string,
      call: (state: EmulatorState, region: string, body: Record<string, unknown>) => unknown,
    ) =>
    (state: EmulatorState, request: WireRequest) =>
      jsonResponse(call(state, request.region, parseJson(request.body)), contentType);
  if (service === 'WorkspacesService' && operation in workspacesApi)
    return {
      operation: operation as EmulatedOperation,
      protocol: 'json1.1',
      handle: json(JSON_1_1, workspacesApi[operation]!),
    };
  if (service === 'ResourceGroupsTaggingAPI_20170126' && operation === 'GetResources')
    return {
      operation: EmulatedOperation.GetResources,
      protocol: 'json1.1',
      handle: json(JSON_1_1, getResources),
    };
  if (service === 'GraniteServiceVersion20100801' && operation === 'GetMetricData')
    return {
      operation: EmulatedOperation.GetMetricData,
      protocol: 'json1.0',
      handle: json(JSON_1_0, getMetricData),
    };
  if (service === 'AWSPriceListService' && operation === 'GetProducts')
    return {
      operation: EmulatedOperation.GetProducts,
      protocol: 'json1.1',
      handle: json(JSON_1_1, getProducts),
    };
  if (service === 'AWSOrganizationsV20161128' && operation === 'ListAccounts')
    return {
      operation: EmulatedOperation.ListAccounts,
      protocol: 'json1.1',
      handle: json(JSON_1_1, listAccounts),
    };
  if (service === 'AWSOrganizationsV20161128' && operation === 'ListAccountsForParent')
    return {
      operation: EmulatedOperation.ListAccountsForParent,
      protocol: 'json1.1',
      handle: json(JSON_1_1, listAccounts),
    };
  if (service === 'AWSEvents' && operation === 'PutEvents')
    return { operation: EmulatedOperation.PutEvents, protocol: 'json1.1', handle: json(JSON_1_1, putEvents) };
  throw new ApiError('UnknownOperationException', `${target} is not emulated`);
}

/** `AWSEvents.PutEvents`: at most 10 entries; entries matching a fault fail one by one. */
function putEvents(state: EmulatorState, region: string, body: Record<string, unknown>): unknown {
  const entries = (body.Entries ?? []) as Record<string, string | undefined>[];
  if (entries.length === 0 || entries.length > 10)
    throw new ApiError('ValidationException', `Entries must hold 1 to 10 entries, got ${entries.length}`);
  const batch = state.eventBatches.length;
  state.eventBatches.push(entries.length);
  const results = entries.map((entry) => {
    const detail = entry.Detail ?? '';
    const failed = (state.faults.eventsFailMatching ?? []).some((text) => detail.includes(text));
    state.events.push({
      region,
      batch,
      source: entry.Source ?? '',
      detailType: entry.DetailType ?? '',
      detail,
      eventBusName: entry.EventBusName,
      failed,
    });
    return failed
      ? { ErrorCode: 'InternalFailure', ErrorMessage: 'the event could not be delivered' }
      : { EventId: randomUUID() };
  });
  return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
}

/** Organizations `ListAccounts` / `ListAccountsForParent` (awsJson1_1), 2 accounts a page. */
function listAccounts(state: EmulatorState, _region: string, body: Record<string, unknown>): unknown {
  const parentId = body.ParentId as string | undefined;
  const all = state.organization.filter((account) => parentId === undefined || account.parentId === parentId);
  const start = Number(body.NextToken ?? 0);
  const page = all.slice(start, start + 2);
  return {
    Accounts: page.map((account) => ({
      Id: account.id,
      Arn: `arn:aws:organizations::${state.account}:account/o-emulator/${account.id}`,
      Name: `account ${account.id}`,
      State: account.state ?? 'ACTIVE',
    })),
    ...(start + 2 < all.length ? { NextToken: String(start + 2) } : {}),
  };
}

/**
 * STS (awsQuery): `GetCallerIdentity`, and `AssumeRole` into a member account's
 * role, whose credentials then act in that account (see `accountOf`).
 */
function sts(state: EmulatorState, request: WireRequest): WireResponse {
  const params = new URLSearchParams(request.body.toString('utf8'));
  const action = params.get('Action');
  if (action === 'AssumeRole') return assumeRole(state, params);
  if (action !== 'GetCallerIdentity') throw new ApiError('InvalidAction', `${action} is not emulated`);
  return xmlResponse(
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${state.account}:user/wco</Arn><UserId>AIDAEMULATOR</UserId><Account>${state.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
}

function assumeRole(state: EmulatorState, params: URLSearchParams): WireResponse {
  const roleArn = params.get('RoleArn') ?? '';
  const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
  const account = match?.[1];
  const member = account === undefined ? undefined : state.members[account];
  const denied = () =>
    new ApiError(
      'AccessDenied',
      `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
  if (member === undefined || state.faults.assumeRoleDeniedFor?.includes(account!)) throw denied();
  if (match![2] !== (member.roleName ?? 'wco-member')) throw denied();
  if (member.externalId !== undefined && params.get('ExternalId') !== member.externalId) throw denied();
  const sessionName = params.get('RoleSessionName') ?? '';
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName))
    throw new ApiError('ValidationError', `RoleSessionName ${sessionName} is not valid`, 400);
  // 20 characters like a real key; the account is looked up by the key, not parsed from it.
  const accessKeyId = `ASIA${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`;
  state.sessions.set(accessKeyId, account!);
  const expiration = new Date(
    Date.now() + Number(params.get('DurationSeconds') ?? 3600) * 1000,
  ).toISOString();
  return xmlResponse(
    `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>emulator-secret</SecretAccessKey><SessionToken>emulator-token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAEMULATOR:${xmlEscape(sessionName)}</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/${xmlEscape(match![2]!)}/${xmlEscape(sessionName)}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
  );
}

/**
 * The state a request sees: a member account's fleet for credentials of a role
 * session into it, the hub's otherwise. Everything else (objects, recordings,
 * faults) is shared.
 */
function accountOf(state: EmulatorState, accessKeyId: string): EmulatorState {
  const account = state.sessions.get(accessKeyId);
  if (account === undefined) return state;
  return { ...state, account, regions: state.members[account]!.regions };
}

function route(request: WireRequest): Route {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return jsonRoute(target);
  if (request.signingService === 'sts')
    return {
      operation: /Action=AssumeRole/.test(request.body.toString('utf8'))
        ? EmulatedOperation.AssumeRole
        : EmulatedOperation.GetCallerIdentity,
      protocol: 'query',
      handle: sts,
    };
  if (request.signingService === 's3') {
    const operation = s3Operation(request);
    return { operation, protocol: 's3', handle: (state, wire) => s3Api(state, wire, operation) };
  }
  throw new ApiError('UnknownOperationException', `${request.method} ${request.path} is not emulated`);
}

function renderError(error: ApiError, protocol: Protocol): WireResponse {
  switch (protocol) {
    case 'json1.0':
      return jsonError(error, JSON_1_0, true);
    case 'json1.1':
      return jsonError(error, JSON_1_1);
    case 'query':
      return xmlResponse(
        `<ErrorResponse><Error><Type>Sender</Type><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        error.status,
      );
    case 's3':
      return s3Error(error);
  }
}

function throttlingError(protocol: Protocol): ApiError {
  if (protocol === 's3') return new ApiError('SlowDown', 'Please reduce your request rate.', 503);
  if (protocol === 'query' || protocol === 'json1.0') return new ApiError('Throttling', 'Rate exceeded', 400);
  return new ApiError('ThrottlingException', 'Rate exceeded', 400);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function initialState(config: EmulatorConfig): EmulatorState {
  return {
    account: config.account ?? '123456789012',
    // Copied: the emulator changes WorkSpaces (running modes), a test's fixtures stay as written.
    regions: structuredClone(config.regions ?? {}),
    members: structuredClone(config.members ?? {}),
    organization: structuredClone(config.organization ?? []),
    sessions: new Map(),
    buckets: new Set(config.buckets ?? []),
    faults: config.faults ?? {},
    priceList: config.priceList ?? [],
    priceListRequests: [],
    objects: new Map(),
    uploads: new Map(),
    modifies: [],
    failedModifies: [],
    terminations: [],
    stops: [],
    connectionStatusRequests: [],
    events: [],
    eventBatches: [],
    metricRequests: [],
  };
}

/**
 * Starts an AWS-protocol emulator on 127.0.0.1 (a free port) for the real SDK v3
 * clients: WorkSpaces, Tagging, EventBridge and the Price List (awsJson1_1), CloudWatch
 * (awsJson1_0, query-compatible), STS (awsQuery) and S3 (REST-XML, path style).
 * The region comes from each request's SigV4 credential scope. `GET
 * /_emulator/calls` answers the call counters as JSON (for a parent process).
 */
export async function startEmulator(config: EmulatorConfig = {}): Promise<RunningEmulator> {
  const state = initialState(config);
  const calls: CallCounts = {};
  const resetCalls = () => {
    for (const key of Object.keys(calls)) delete calls[key as EmulatedOperation];
  };

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const url = new URL(incoming.url ?? '/', 'http://emulator');
    const body = await readBody(incoming);
    if (url.pathname === '/_emulator/calls') {
      outgoing.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(calls));
      return;
    }
    let protocol: Protocol = 'json1.1';
    let response: WireResponse;
    try {
      const scope = credentialScope(incoming.headers.authorization);
      const request: WireRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body,
        region: scope.region,
        signingService: scope.service,
      };
      const matched = route(request);
      protocol = matched.protocol;
      const count = (calls[matched.operation] ?? 0) + 1;
      calls[matched.operation] = count;
      if (state.faults.latencyMs) await sleep(state.faults.latencyMs);
      if (count <= (state.faults.throttle?.[matched.operation] ?? 0)) throw throttlingError(protocol);
      response = matched.handle(accountOf(state, scope.accessKeyId), request);
    } catch (error) {
      const apiError =
        error instanceof ApiError ? error : new ApiError('InternalFailure', (error as Error).message, 500);
      response = renderError(apiError, protocol);
    }
    const payload = incoming.method === 'HEAD' ? '' : response.body;
    outgoing.writeHead(response.status, {
      ...response.headers,
      'x-amzn-requestid': randomUUID(),
      'content-length': String(Buffer.byteLength(payload)),
    });
    outgoing.end(payload);
  };

  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      outgoing.writeHead(500).end(String(error));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    state,
    calls,
    resetCalls,
    reset(next) {
      const fresh = initialState(next);
      for (const region of Object.keys(state.regions)) delete state.regions[region];
      Object.assign(state.regions, fresh.regions);
      for (const account of Object.keys(state.members)) delete state.members[account];
      Object.assign(state.members, fresh.members);
      state.organization.splice(0, state.organization.length, ...fresh.organization);
      state.sessions.clear();
      state.buckets.clear();
      for (const bucket of fresh.buckets) state.buckets.add(bucket);
      state.faults = fresh.faults;
      state.priceList = fresh.priceList;
      state.objects.clear();
      state.uploads.clear();
      for (const list of [
        state.modifies,
        state.failedModifies,
        state.terminations,
        state.stops,
        state.connectionStatusRequests,
        state.events,
        state.eventBatches,
        state.priceListRequests,
        state.metricRequests,
      ])
        list.length = 0;
      resetCalls();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
