import type { Log } from '../shared/log.js';
import type { EventSink } from '../ports/event-sink.js';
import type { FleetSource } from '../ports/fleet-source.js';
import type { ModeSwitcher } from '../ports/mode-switcher.js';
import { LocalFolderStore } from '../store/local-folder-store.js';
import type { ObjectStore } from '../ports/object-store.js';
import { callerAccount } from './account.js';
import { AwsFleetSource } from './aws-fleet-source.js';
import { AwsModeSwitcher } from './aws-mode-switcher.js';
import type { AwsFleetSourceOptions } from './aws-fleet-source.js';
import type { AwsClientOptions, AwsClientsFor } from './clients.js';
import { awsClientsPerRegion } from './clients.js';
import { EventBridgeSink } from './eventbridge-sink.js';
import { S3ObjectStore } from './s3-object-store.js';
import { ErrorDisposition, WcoError } from '../shared/errors.js';
import { StoredReports } from '../report/stored-reports.js';
import type { RunReports } from '../app/report-ports.js';

/** The AWS wiring was asked for something it cannot build: a caller's settings are incomplete. */
export class SetupError extends WcoError {
  override readonly name = 'SetupError';
  override readonly disposition = ErrorDisposition.BAD_INPUT;
}

export interface AwsDependencyOptions {
  /** Regions to optimize; the first is the home region (S3, EventBridge, STS) unless `homeRegion` is set. */
  readonly regions: readonly string[];
  /** Reports go to this bucket; without it, to `outDir`. */
  readonly bucket?: string | undefined;
  readonly outDir?: string | undefined;
  /** Default `default`. */
  readonly eventBusName?: string | undefined;
  /** The account (the Lambda passes `event.account`); otherwise STS `GetCallerIdentity`, once. */
  readonly account?: string | undefined;
  /** An `AWS_ENDPOINT_URL*` override is configured: S3 goes path-style. See `hasCustomEndpoint`. */
  readonly customEndpoint?: boolean | undefined;
  readonly homeRegion?: string | undefined;
  /** Clients to use instead of building them (tests, or a caller with its own). */
  readonly clients?: AwsClientsFor | undefined;
  /** Passed to the client factory when `clients` is not given (credentials, retry strategy, attempts). */
  readonly clientOptions?: Omit<AwsClientOptions, 'customEndpoint'> | undefined;
  /** Read concurrency per region (defaults: 4 directories, 5 `DescribeTags`, 2 `GetMetricData`). */
  readonly concurrency?:
    | Pick<AwsFleetSourceOptions, 'directoryConcurrency' | 'describeTagsConcurrency' | 'metricConcurrency'>
    | undefined;
  readonly log?: Log | undefined;
}

export interface AwsDependencies {
  readonly fleet: FleetSource;
  readonly switcher: ModeSwitcher;
  readonly store: ObjectStore;
  readonly reports: RunReports;
  readonly events: EventSink;
  readonly account: string;
}

/**
 * The one place that picks the AWS adapters: the fleet from the WorkSpaces,
 * Tagging and CloudWatch APIs, conversions through `ModifyWorkspaceProperties`,
 * reports in S3 (or a local folder when no bucket is given), events on
 * EventBridge. Rejects when no region is given, when neither a bucket nor a
 * folder is, or when the account cannot be resolved.
 */
export async function createAwsDependencies(options: AwsDependencyOptions): Promise<AwsDependencies> {
  if (options.regions.length === 0)
    throw new SetupError('createAwsDependencies: at least one region is required');
  const homeRegion = options.homeRegion ?? options.regions[0]!;
  const clients =
    options.clients ??
    awsClientsPerRegion({ ...options.clientOptions, customEndpoint: options.customEndpoint });
  const home = clients(homeRegion);
  const account = options.account ?? (await callerAccount(home.sts));

  let store: ObjectStore;
  if (options.bucket) store = new S3ObjectStore(home.s3, options.bucket);
  else if (options.outDir) store = new LocalFolderStore(options.outDir);
  else throw new SetupError('createAwsDependencies: give a bucket or an output folder for the reports');

  return {
    fleet: new AwsFleetSource({
      ...options.concurrency,
      regions: options.regions,
      account,
      clients,
      log: options.log,
    }),
    switcher: new AwsModeSwitcher(clients),
    store,
    reports: new StoredReports(store),
    events: new EventBridgeSink(home.eventbridge, options.eventBusName ?? 'default'),
    account,
  };
}
