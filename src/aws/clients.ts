import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { PricingClient } from '@aws-sdk/client-pricing';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { WorkSpacesClient } from '@aws-sdk/client-workspaces';

/** The SDK v3 clients wco uses in one region (Pricing only answers in a few: see `PRICE_LIST_REGION`). */
export interface AwsClients {
  readonly region: string;
  readonly workspaces: WorkSpacesClient;
  readonly cloudwatch: CloudWatchClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  readonly eventbridge: EventBridgeClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
  readonly pricing: PricingClient;
}

/** Gives the clients of a region; adapters take one of these, so tests can pass their own. */
export type AwsClientsFor = (region: string) => AwsClients;

/** Attempts per call (the first one included) before an error reaches wco. */
export const DEFAULT_MAX_ATTEMPTS = 6;

export interface AwsClientOptions {
  /**
   * An endpoint override is configured (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`):
   * S3 then uses path-style addressing, because `<bucket>.127.0.0.1` does not resolve.
   * The SDK reads those variables itself; see `hasCustomEndpoint`.
   */
  readonly customEndpoint?: boolean | undefined;
  /** Default `DEFAULT_MAX_ATTEMPTS`. */
  readonly maxAttempts?: number | undefined;
  /** Default: the SDK's default credential chain. */
  readonly credentials?: S3ClientConfig['credentials'] | undefined;
  /** Replaces the adaptive retry strategy; meant for tests that cannot wait for real backoff. */
  readonly retryStrategy?: S3ClientConfig['retryStrategy'] | undefined;
}

/**
 * Whether an environment snapshot configures an endpoint override the SDK will
 * honour: `AWS_ENDPOINT_URL` or any `AWS_ENDPOINT_URL_<SERVICE>`.
 * @example hasCustomEndpoint({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }) // true
 */
export function hasCustomEndpoint(env: Readonly<Record<string, string | undefined>>): boolean {
  return Object.entries(env).some(([name, value]) => /^AWS_ENDPOINT_URL(_|$)/.test(name) && !!value);
}

/**
 * Builds every client for `region`: the one place wco makes SDK clients, so they
 * all share these settings. Retries come from the SDK: adaptive mode
 * (exponential backoff with jitter plus client-side rate limiting on
 * throttling), `maxAttempts` attempts. No endpoint is set here: the SDK picks
 * up `AWS_ENDPOINT_URL*` by itself.
 */
export function createAwsClients(region: string, options: AwsClientOptions = {}): AwsClients {
  const common = commonConfig(region, options);
  return {
    region,
    workspaces: new WorkSpacesClient(common),
    cloudwatch: new CloudWatchClient(common),
    tagging: new ResourceGroupsTaggingAPIClient(common),
    eventbridge: new EventBridgeClient(common),
    s3: new S3Client({ ...common, forcePathStyle: options.customEndpoint === true }),
    sts: new STSClient(common),
    pricing: new PricingClient(common),
  };
}

/** One set of clients per region, built on first use and then reused (connections are pooled per client). */
export function awsClientsPerRegion(options: AwsClientOptions = {}): AwsClientsFor {
  const byRegion = new Map<string, AwsClients>();
  return (region) => {
    let clients = byRegion.get(region);
    if (!clients) {
      clients = createAwsClients(region, options);
      byRegion.set(region, clients);
    }
    return clients;
  };
}

/**
 * The AWS Organizations client of account discovery, with the same retries and
 * credentials as the others. Organizations is a global service; `region` only
 * picks the endpoint's partition.
 */
export function createOrganizationsClient(
  region: string,
  options: AwsClientOptions = {},
): OrganizationsClient {
  return new OrganizationsClient(commonConfig(region, options));
}

function commonConfig(region: string, options: AwsClientOptions) {
  return {
    region,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(options.retryStrategy ? { retryStrategy: options.retryStrategy } : { retryMode: 'adaptive' }),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}
