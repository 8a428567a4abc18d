import { PricingClient } from '@aws-sdk/client-pricing';
import type { Log } from '../shared/log.js';
import { buildPriceCatalog } from '../pricing/build-price-catalog.js';
import type { BucketOpener } from '../pricing/load-price-file.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { monthOf } from '../billing/index.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { AwsClientOptions } from './clients.js';
import { createAwsClients, DEFAULT_MAX_ATTEMPTS } from './clients.js';
import { S3ObjectStore } from './s3-object-store.js';

/**
 * The Price List Query API has endpoints in us-east-1, eu-central-1 and
 * ap-south-1 only, and each answers for every region; wco always asks us-east-1.
 */
export const PRICE_LIST_REGION = 'us-east-1';

export interface AwsPriceCatalogOptions {
  /** The operator's price file: a local path or `s3://bucket/key`. */
  readonly priceFile?: string | undefined;
  /** Ask the AWS Price List for what the file does not price. */
  readonly priceList: boolean;
  /** The report store: Price List answers are cached there for the month (`pricing/cache/YYYY-MM/`). */
  readonly cache: ObjectStore;
  /** The run's evaluation time: picks the cache month. */
  readonly asOf: Date;
  /** Region of the S3 client that reads an `s3://` price file. */
  readonly s3Region: string;
  /** Credentials, retries, endpoint override (as for the other AWS clients). */
  readonly clientOptions?: AwsClientOptions | undefined;
  readonly log?: Log | undefined;
}

/**
 * The run's price catalog with AWS behind it, shared by `wco run` and the
 * Lambda: an `s3://` price file read through the S3 adapter, the Price List
 * asked in `PRICE_LIST_REGION`. Rejects with `PriceFileError` for a bad file,
 * before anything is priced or written; `undefined` when no source is given.
 */
export async function buildAwsPriceCatalog(
  options: AwsPriceCatalogOptions,
): Promise<PriceCatalog | undefined> {
  const clientOptions = options.clientOptions ?? {};
  let s3: ReturnType<typeof createAwsClients>['s3'] | undefined;
  const openBucket: BucketOpener = (bucket) => {
    s3 ??= createAwsClients(options.s3Region, clientOptions).s3;
    return new S3ObjectStore(s3, bucket);
  };
  const priceList = options.priceList
    ? {
        client: new PricingClient({
          region: PRICE_LIST_REGION,
          maxAttempts: clientOptions.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
          ...(clientOptions.retryStrategy
            ? { retryStrategy: clientOptions.retryStrategy }
            : { retryMode: 'adaptive' }),
          ...(clientOptions.credentials ? { credentials: clientOptions.credentials } : {}),
        }),
        month: monthOf(options.asOf),
        cache: options.cache,
      }
    : undefined;
  return buildPriceCatalog({ priceFile: options.priceFile, openBucket, priceList, log: options.log });
}
