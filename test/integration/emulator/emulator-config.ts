import type { PriceListRecording } from '../../../src/pricing/price-list-recording.js';

/** The operations the emulator answers; call counters and throttling are keyed by them. */
export const EmulatedOperation = {
  DescribeWorkspaceDirectories: 'DescribeWorkspaceDirectories',
  DescribeWorkspaces: 'DescribeWorkspaces',
  DescribeTags: 'DescribeTags',
  ModifyWorkspaceProperties: 'ModifyWorkspaceProperties',
  DescribeWorkspacesConnectionStatus: 'DescribeWorkspacesConnectionStatus',
  TerminateWorkspaces: 'TerminateWorkspaces',
  StopWorkspaces: 'StopWorkspaces',
  GetResources: 'GetResources',
  GetMetricData: 'GetMetricData',
  PutEvents: 'PutEvents',
  GetCallerIdentity: 'GetCallerIdentity',
  AssumeRole: 'AssumeRole',
  ListAccounts: 'ListAccounts',
  ListAccountsForParent: 'ListAccountsForParent',
  PutObject: 'PutObject',
  GetObject: 'GetObject',
  DeleteObject: 'DeleteObject',
  ListObjectsV2: 'ListObjectsV2',
  HeadBucket: 'HeadBucket',
  GetProducts: 'GetProducts',
  CreateMultipartUpload: 'CreateMultipartUpload',
  UploadPart: 'UploadPart',
  CompleteMultipartUpload: 'CompleteMultipartUpload',
  AbortMultipartUpload: 'AbortMultipartUpload',
} as const;
export type EmulatedOperation = (typeof EmulatedOperation)[keyof typeof EmulatedOperation];

/** A user session on a WorkSpace, `[start, end)`, as ISO strings or epoch milliseconds. */
export interface EmulatedSession {
  readonly start: string | number;
  readonly end: string | number;
}

export interface EmulatedWorkspace {
  readonly workspaceId: string;
  readonly directoryId: string;
  userName?: string;
  computerName?: string;
  /** `AVAILABLE`, `STOPPED`, `PENDING`, ... */
  state?: string;
  runningMode: string;
  autoStopTimeoutMinutes?: number;
  computeType?: string;
  bundleId?: string;
  operatingSystem?: string;
  rootVolumeSizeGib?: number;
  userVolumeSizeGib?: number;
  /** The authoritative tags (what `DescribeTags` answers). */
  tags?: Record<string, string>;
  /** What the Tagging API's bulk index shows when it lags behind `tags`. */
  staleBulkTags?: Record<string, string>;
  sessions?: EmulatedSession[];
  /**
   * `LastKnownUserConnectionTimestamp` (ISO); `null`: never connected. Absent:
   * the end of the last session, or never when there is none.
   */
  lastConnection?: string | null;
  /** `RelatedWorkspaces`: the standby of a primary, or the primary of a standby. */
  relatedWorkspaces?: { readonly workspaceId: string; readonly type: 'PRIMARY' | 'STANDBY' }[];
}

export interface EmulatedDirectory {
  readonly directoryId: string;
  readonly name?: string;
}

export interface EmulatedRegion {
  directories: EmulatedDirectory[];
  workspaces: EmulatedWorkspace[];
}

/** Faults, all optional; tests may change them on `state.faults` between calls. */
export interface EmulatorFaults {
  /** Added to every call, in milliseconds. */
  latencyMs?: number;
  /** The first N calls of an operation answer a throttling error the SDK retries. */
  throttle?: Partial<Record<EmulatedOperation, number>>;
  /** Regions whose `DescribeWorkspaceDirectories` fails (the region cannot be read). */
  directoriesFailIn?: string[];
  /** Directories whose `DescribeWorkspaces` fails. */
  describeWorkspacesFailsFor?: string[];
  /** Regions whose Tagging API `GetResources` fails. */
  taggingFailsIn?: string[];
  /**
   * WorkSpaces the Tagging API leaves out of its answer although they have tags
   * (a lagging index; moto lists no WorkSpace at all for `workspaces:workspace`).
   */
  taggingOmits?: string[];
  /** WorkSpaces whose `DescribeTags` fails. */
  describeTagsFailsFor?: string[];
  /** WorkSpaces whose `ModifyWorkspaceProperties` always fails. */
  modifyFailsFor?: string[];
  /** WorkSpaces whose metric query answers `StatusCode: InternalError`. */
  metricQueryFailsFor?: string[];
  /** A `GetMetricData` call that asks for any of these WorkSpaces fails as a whole. */
  metricCallFailsFor?: string[];
  /**
   * A WorkSpace switched to ALWAYS_ON loses its `RunningModeAutoStopTimeoutInMinutes`
   * (later `DescribeWorkspaces` answers omit it), as the service may do.
   */
  dropTimeoutOnAlwaysOn?: boolean;
  /** `PutObject` (and a multipart upload's parts) fail (403 AccessDenied) for keys under these prefixes. */
  putObjectFailsUnder?: string[];
  /** The next N `PutObject` calls for keys under a prefix fail (403), then they succeed again. */
  putObjectFailsOnce?: Record<string, number>;
  /** `AssumeRole` into these accounts is denied (as a member role missing or distrusting the hub). */
  assumeRoleDeniedFor?: string[];
  /** A `PutEvents` entry fails when its `Detail` contains one of these strings. */
  eventsFailMatching?: string[];
  /** Every `GetProducts` call answers this error type with HTTP 503 (a Price List outage). */
  priceListFails?: string;
  /** A `DescribeWorkspacesConnectionStatus` call that asks for any of these WorkSpaces fails as a whole. */
  connectionStatusFailsFor?: string[];
  /** WorkSpaces `DescribeWorkspacesConnectionStatus` leaves out of its answer. */
  connectionStatusOmits?: string[];
  /** `TerminateWorkspaces` lists these in `FailedRequests` (the call itself succeeds). */
  terminateRefusedFor?: string[];
}

/** Another account's fleet, reached with the credentials of `AssumeRole` into its member role. */
export interface EmulatedMemberAccount {
  regions: Record<string, EmulatedRegion>;
  /** The member role's name (default `wco-member`); `AssumeRole` into another role is denied. */
  roleName?: string;
  /** The external id the role's trust requires, when it requires one. */
  externalId?: string;
}

/** An account of the AWS Organization, as `ListAccounts` answers it. */
export interface EmulatedOrganizationAccount {
  readonly id: string;
  /** Default `ACTIVE`. */
  readonly state?: string;
  /** The OU or root it sits in (`ListAccountsForParent`). */
  readonly parentId?: string;
}

export interface EmulatorConfig {
  /** The account in ARNs and `GetCallerIdentity`; default `123456789012`. */
  account?: string;
  regions?: Record<string, EmulatedRegion>;
  /** Member accounts by id: requests signed with their assumed credentials see their fleet. */
  members?: Record<string, EmulatedMemberAccount>;
  /** The organization's accounts; `ListAccounts` pages them 2 at a time, so paging is exercised. */
  organization?: EmulatedOrganizationAccount[];
  /** Buckets that exist (S3 answers `NoSuchBucket` for others). */
  buckets?: string[];
  faults?: EmulatorFaults;
  /** What `GetProducts` answers: recordings as `wco prices --record` writes them (the fixtures are some). */
  priceList?: PriceListRecording[];
}

/** A recorded `ModifyWorkspaceProperties` call that succeeded. */
export interface RecordedModify {
  /** The account whose WorkSpace it was (the hub's, or a member's via its assumed credentials). */
  readonly account?: string;
  readonly region: string;
  readonly workspaceId: string;
  readonly runningMode: string | undefined;
  readonly properties: Record<string, unknown>;
}

/** A WorkSpace `TerminateWorkspaces` or `StopWorkspaces` accepted. */
export interface RecordedRemoval {
  readonly account: string;
  readonly region: string;
  readonly workspaceId: string;
}

/** A recorded `PutEvents` entry, with the call (batch) it came in. */
export interface RecordedEvent {
  readonly region: string;
  readonly batch: number;
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly eventBusName: string | undefined;
  readonly failed: boolean;
}

export interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly lastModified: Date;
}

/** A multipart upload begun and not yet completed or aborted. */
export interface MultipartUpload {
  readonly bucket: string;
  readonly key: string;
  readonly contentType: string | undefined;
  readonly parts: Map<number, Buffer>;
}

/** The emulator's mutable state: the fleet, faults and what the clients did. */
export interface EmulatorState {
  readonly account: string;
  readonly regions: Record<string, EmulatedRegion>;
  readonly members: Record<string, EmulatedMemberAccount>;
  readonly organization: EmulatedOrganizationAccount[];
  /** Role sessions handed out by `AssumeRole`: access key id -> the account it acts in. */
  readonly sessions: Map<string, string>;
  readonly buckets: Set<string>;
  faults: EmulatorFaults;
  /** `GetProducts` answers; tests may replace them between calls. */
  priceList: PriceListRecording[];
  /** Every `GetProducts` request body received, in order. */
  readonly priceListRequests: Record<string, unknown>[];
  /** `bucket/key` -> object. */
  readonly objects: Map<string, StoredObject>;
  /** Multipart uploads in progress, by upload id. */
  readonly uploads: Map<string, MultipartUpload>;
  readonly modifies: RecordedModify[];
  /** Failed `ModifyWorkspaceProperties` attempts (fault injection), by WorkSpace. */
  readonly failedModifies: string[];
  /** WorkSpaces `TerminateWorkspaces` and `StopWorkspaces` accepted, in order. */
  readonly terminations: RecordedRemoval[];
  readonly stops: RecordedRemoval[];
  /** The WorkSpace ids of every `DescribeWorkspacesConnectionStatus` call (pages included). */
  readonly connectionStatusRequests: string[][];
  readonly events: RecordedEvent[];
  /** Entry counts of every `PutEvents` call, in order. */
  readonly eventBatches: number[];
  /** Every `GetMetricData` call (pages included): what it asked for. */
  readonly metricRequests: RecordedMetricRequest[];
}

/** A `GetMetricData` call as the emulator received it. */
export interface RecordedMetricRequest {
  readonly region: string;
  readonly queries: number;
  /** The distinct `Period`s of its queries, in seconds. */
  readonly periods: number[];
  readonly startTime: number;
  readonly endTime: number;
  /** Whether it continued an earlier call (`NextToken`). */
  readonly nextPage: boolean;
}

/** API calls by operation (throttled attempts included: each is a request). */
export type CallCounts = Partial<Record<EmulatedOperation, number>>;
