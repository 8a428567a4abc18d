import type { ConversionLedger } from '../app/ledger/conversion-ledger.js';
import type { UnusedLedger } from '../app/unused/unused-ledger.js';
import type { UnusedWorkspaces } from '../ports/unused-workspaces.js';
import type { AccountSelection } from '../config/account-selection.js';
import type { AccountFleets } from '../ports/account-fleet.js';
import type { AwsClientOptions } from '../aws/clients.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { EventSink } from '../ports/event-sink.js';
import type { FleetSource } from '../ports/fleet-source.js';
import type { ModeSwitcher } from '../ports/mode-switcher.js';
import type { StreamingObjectStore } from '../ports/object-store.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import type { StoredReports } from '../report/stored-reports.js';
import type { Log } from '../shared/log.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The simulated fleet, evaluated as of `asOf`, with its reports and audit trail in a local folder. */
export interface DemoTarget {
  readonly kind: 'demo';
  readonly seed: number;
  readonly outDir: string;
  /** The simulated sessions are generated up to this instant. */
  readonly asOf: Date;
}

/** The fleet in AWS, its reports in a bucket (or a local folder), its events on EventBridge. */
export interface AwsTarget {
  readonly kind: 'aws';
  readonly regions: readonly string[];
  /** Where the bucket, the event bus and STS are; default the first of `regions`. */
  readonly homeRegion?: string | undefined;
  readonly bucket?: string | undefined;
  readonly outDir?: string | undefined;
  readonly eventBusName: string;
  /** The account when the caller knows it (the Lambda's event); otherwise STS is asked. */
  readonly account?: string | undefined;
  /** The accounts to optimize; default the account of the credentials. */
  readonly accounts?: AccountSelection | undefined;
}

/** Only stored reports and records: a local folder or an S3 bucket (`wco report`, `wco audit`, the audit Lambda). */
export type StoreTarget =
  | { readonly kind: 'folder'; readonly folder: string }
  | { readonly kind: 'bucket'; readonly bucket: string; readonly region: string };

export type RunTarget = DemoTarget | AwsTarget;

/** Replay the simulated fleet (`wco replay --demo`). */
export interface DemoReplayTarget {
  readonly kind: 'demo';
  readonly seed: number;
  /** WorkSpaces at the start of the period, edge cases included. */
  readonly count: number;
  /** Where the replay's reports go. */
  readonly outDir: string;
}

/** Replay a real fleet from CloudWatch (`wco replay --regions ...`); nothing in AWS is changed. */
export interface AwsReplayTarget {
  readonly kind: 'aws';
  readonly regions: readonly string[];
  readonly homeRegion?: string | undefined;
  /** The deployment's report bucket: its conversion ledger gives the starting modes (read only). */
  readonly bucket?: string | undefined;
  /** Where the replay's reports go (and, without `bucket`, whose ledger is read). */
  readonly outDir: string;
}

export type ReplayTarget = DemoReplayTarget | AwsReplayTarget;

/** A run's price sources (`--prices`/`--price-list`, `PRICE_FILE`/`PRICE_LIST`). */
export interface PriceSettings {
  /** A local path or `s3://bucket/key`. */
  readonly file: string | undefined;
  /** The setting that named `file`, so that a bad file is reported against it. */
  readonly fileSetting: string;
  /** Ask the AWS Price List for what the file does not price. */
  readonly list: boolean;
  /** Region of the S3 client that reads an `s3://` file. */
  readonly s3Region: string;
}

export interface SetupConfig {
  /** The process environment: SDK endpoint overrides (`AWS_ENDPOINT_URL*`). */
  readonly env: Env;
  readonly prices?: PriceSettings | undefined;
  readonly log?: Log | undefined;
  /** Settings for every SDK client (credentials, retry strategy); tests pass fast retries. */
  readonly clientOptions?: Omit<AwsClientOptions, 'customEndpoint'> | undefined;
}

/** What lives in one store (a bucket or a folder): the reports, the audit records and the conversion ledger. */
export interface StoreDependencies {
  readonly store: StreamingObjectStore & DocumentStore;
  readonly reports: StoredReports;
  readonly ledger: ConversionLedger;
  /** The unused review's memory, next to the conversion ledger. */
  readonly unusedLedger: UnusedLedger;
}

export interface RunDependencies extends StoreDependencies {
  readonly fleet: FleetSource;
  readonly switcher: ModeSwitcher;
  /** Last connections and removal in the run's own account. */
  readonly unused: UnusedWorkspaces;
  readonly events: EventSink;
  /** The account the run acts for: the hub's, whose credentials the run has. */
  readonly account: string;
  /** The accounts the run optimizes, each read and switched with its own credentials. */
  readonly accountFleets: AccountFleets;
  /**
   * The run's prices for evaluation time `asOf`; `undefined` without a source
   * (hour thresholds). Rejects with `PriceFileConfigError` for a bad price file.
   */
  readonly priceCatalog: (asOf: Date) => Promise<PriceCatalog | undefined>;
  /**
   * The demo's stand-in for the login events WorkSpaces would send to the audit
   * stream: writes one login record per simulated session. Rejects when a write fails.
   */
  readonly recordSimulatedLogins?: (() => Promise<void>) | undefined;
}
