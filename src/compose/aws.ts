/**
 * The AWS half of `setupDependencies`: everything here loads the SDK, so
 * `setup-dependencies.ts` imports this module dynamically, and nothing else does.
 */
import { callerAccount } from '../aws/account.js';
import type { AwsFleetSourceOptions } from '../aws/aws-fleet-source.js';
import { AwsFleetSource } from '../aws/aws-fleet-source.js';
import { AwsHistorySource } from '../aws/aws-history-source.js';
import { AwsModeSwitcher } from '../aws/aws-mode-switcher.js';
import { AwsUnusedWorkspaces } from '../aws/aws-unused-workspaces.js';
import { UnusedLedger } from '../app/unused/unused-ledger.js';
import type { UnusedWorkspaces } from '../ports/unused-workspaces.js';
import type { AwsClientOptions, AwsClientsFor } from '../aws/clients.js';
import { awsClientsPerRegion, hasCustomEndpoint } from '../aws/clients.js';
import { assertCredentials } from '../aws/credentials.js';
import { EventBridgeSink } from '../aws/eventbridge-sink.js';
import { S3ObjectStore } from '../aws/s3-object-store.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import type { EventSink } from '../ports/event-sink.js';
import type { FleetHistorySource } from '../ports/fleet-history.js';
import type { FleetSource } from '../ports/fleet-source.js';
import type { ModeSwitcher } from '../ports/mode-switcher.js';
import type { ObjectStore, StreamingObjectStore } from '../ports/object-store.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { StoredReports } from '../report/stored-reports.js';
import { ConversionLedger } from '../app/ledger/conversion-ledger.js';
import type { DocumentStore } from '../ports/document-store.js';
import { ErrorDisposition, WcoError } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import { LocalFolderStore } from '../store/local-folder-store.js';
import type { BucketOpener } from '../pricing/load-price-file.js';
import type { PriceListCatalog, PriceListCatalogOptions } from '../pricing/price-list-catalog.js';
import { awsBucketOpener, awsPriceList, buildAwsPriceCatalog } from './aws-price-catalog.js';
import type { AccountSelection } from '../config/account-selection.js';
import type { AccountFleets } from '../ports/account-fleet.js';
import { awsAccountFleets } from './aws-accounts.js';
import type { AwsReplayTarget, AwsTarget, SetupConfig, StoreTarget } from './targets.js';

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
  /** Default `CONFIG_DEFAULTS.eventBusName`. */
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
  /** The accounts to optimize; default the account of the credentials (`own`). */
  readonly accounts?: AccountSelection | undefined;
  /**
   * Settings of the member accounts' clients (their credentials are the
   * assumed role's); default `clientOptions` with `customEndpoint`.
   */
  readonly memberClientOptions?: AwsClientOptions | undefined;
  /** Read concurrency per region (defaults: 5 `DescribeTags`, 2 `GetMetricData`). */
  readonly concurrency?:
    Pick<AwsFleetSourceOptions, 'describeTagsConcurrency' | 'metricConcurrency'> | undefined;
  readonly log?: Log | undefined;
}

export interface AwsDependencies {
  /** The clients the adapters use, per region; the price sources reuse them. */
  readonly clients: AwsClientsFor;
  readonly fleet: FleetSource;
  readonly switcher: ModeSwitcher;
  readonly store: StreamingObjectStore & DocumentStore;
  readonly reports: StoredReports;
  readonly ledger: ConversionLedger;
  readonly unusedLedger: UnusedLedger;
  readonly unused: UnusedWorkspaces;
  readonly events: EventSink;
  /** The account of the run's own credentials (the hub's): its ledger scope for the run event. */
  readonly account: string;
  /** The run's accounts, each with its own credentials. */
  readonly accountFleets: AccountFleets;
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

  let store: StreamingObjectStore & DocumentStore;
  if (options.bucket) store = new S3ObjectStore(home.s3, options.bucket);
  else if (options.outDir) store = new LocalFolderStore(options.outDir);
  else throw new SetupError('createAwsDependencies: give a bucket or an output folder for the reports');

  const fleet = new AwsFleetSource({
    ...options.concurrency,
    regions: options.regions,
    account,
    clients,
    log: options.log,
  });
  const switcher = new AwsModeSwitcher(clients);
  const unused = new AwsUnusedWorkspaces(clients);
  return {
    clients,
    fleet,
    switcher,
    unused,
    accountFleets: awsAccountFleets({
      selection: options.accounts ?? { kind: 'own' },
      regions: options.regions,
      homeRegion,
      hubAccount: account,
      hub: { account, fleet, switcher, unused },
      clientOptions: options.memberClientOptions ?? {
        ...options.clientOptions,
        customEndpoint: options.customEndpoint,
      },
      concurrency: options.concurrency,
      log: options.log,
    }),
    store,
    reports: new StoredReports(store),
    ledger: new ConversionLedger(store),
    unusedLedger: new UnusedLedger(store),
    events: new EventBridgeSink(home.eventbridge, options.eventBusName ?? CONFIG_DEFAULTS.eventBusName),
    account,
  };
}

/** The clients of a setup: `createAwsClients`' settings, endpoint overrides from the environment. */
function clientsFor(config: SetupConfig): AwsClientsFor {
  return awsClientsPerRegion({ ...config.clientOptions, customEndpoint: hasCustomEndpoint(config.env) });
}

/** A bucket of reports or audit records, opened in `target.region`; rejects without credentials. */
export async function awsBucketStore(
  target: Extract<StoreTarget, { kind: 'bucket' }>,
  config: SetupConfig,
): Promise<StreamingObjectStore & DocumentStore> {
  const s3 = clientsFor(config)(target.region).s3;
  await assertCredentials(s3);
  return new S3ObjectStore(s3, target.bucket);
}

/** The AWS adapters of a run. */
export function awsRunDependencies(target: AwsTarget, config: SetupConfig): Promise<AwsDependencies> {
  return createAwsDependencies({
    regions: target.regions,
    homeRegion: target.homeRegion,
    bucket: target.bucket,
    outDir: target.outDir,
    eventBusName: target.eventBusName,
    account: target.account,
    accounts: target.accounts,
    clients: clientsFor(config),
    memberClientOptions: { ...config.clientOptions, customEndpoint: hasCustomEndpoint(config.env) },
    log: config.log,
  });
}

/** The run's AWS price sources (an `s3://` file, the Price List), on the run's clients when it has some. */
export function awsPriceCatalog(
  cache: ObjectStore,
  asOf: Date,
  config: SetupConfig,
  clients: AwsClientsFor = clientsFor(config),
): Promise<PriceCatalog | undefined> {
  const prices = config.prices;
  return buildAwsPriceCatalog({
    priceFile: prices?.file,
    priceList: prices?.list ?? false,
    cache,
    asOf,
    s3Region: prices?.s3Region ?? CONFIG_DEFAULTS.homeRegion,
    clients,
    log: config.log,
  });
}

/** The Price List for `wco prices`: asked every time (no cache), each region's raw answer to `record`. */
export function awsPriceListFor(
  config: SetupConfig,
  options: { month: string; record?: PriceListCatalogOptions['record']; now?: () => Date },
): PriceListCatalog {
  return awsPriceList({ clients: clientsFor(config), log: config.log, ...options });
}

/** Opens an `s3://` price file's bucket in `region`, on the setup's clients. */
export function awsPriceFileOpener(config: SetupConfig, region: string): BucketOpener {
  return awsBucketOpener(clientsFor(config), region);
}

/** The AWS half of a replay of a real fleet: today's inventory, the usage history, the deployment's ledger store. */
export async function awsReplayDependencies(
  target: AwsReplayTarget,
  config: SetupConfig,
): Promise<{
  history: FleetHistorySource;
  clients: AwsClientsFor;
  deployedStore: DocumentStore | undefined;
}> {
  if (target.regions.length === 0) throw new SetupError('a replay needs at least one region');
  const clients = clientsFor(config);
  const home = clients(target.homeRegion ?? target.regions[0]!);
  const account = await callerAccount(home.sts);
  const inventory = new AwsFleetSource({ regions: target.regions, account, clients, log: config.log });
  return {
    clients,
    history: new AwsHistorySource({ account, regions: target.regions, clients, inventory }),
    deployedStore: target.bucket === undefined ? undefined : new S3ObjectStore(home.s3, target.bucket),
  };
}
