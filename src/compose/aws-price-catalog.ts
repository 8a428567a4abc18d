import { monthOf } from '../billing/index.js';
import type { AwsClientsFor } from '../aws/clients.js';
import { S3ObjectStore } from '../aws/s3-object-store.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { buildPriceCatalog } from '../pricing/build-price-catalog.js';
import type { BucketOpener } from '../pricing/load-price-file.js';
import type { PriceListCatalogOptions } from '../pricing/price-list-catalog.js';
import { PriceListCatalog } from '../pricing/price-list-catalog.js';
import type { Log } from '../shared/log.js';

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
  /** The run's clients (`createAwsClients`): S3 for the file, Pricing in `PRICE_LIST_REGION`. */
  readonly clients: AwsClientsFor;
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
  const openBucket = awsBucketOpener(options.clients, options.s3Region);
  const priceList = options.priceList
    ? new PriceListCatalog({
        client: options.clients(PRICE_LIST_REGION).pricing,
        month: monthOf(options.asOf),
        cache: options.cache,
        log: options.log,
      })
    : undefined;
  return buildPriceCatalog({ priceFile: options.priceFile, openBucket, priceList, log: options.log });
}

export interface AwsPriceListOptions {
  /** The clients (`createAwsClients`): Pricing in `PRICE_LIST_REGION`. */
  readonly clients: AwsClientsFor;
  /** `YYYY-MM`: only names the (unused) cache month; `wco prices` always asks. */
  readonly month: string;
  readonly record?: PriceListCatalogOptions['record'];
  readonly now?: (() => Date) | undefined;
  readonly log?: Log | undefined;
}

/** The Price List alone, uncached: what `wco prices` shows. */
export function awsPriceList(options: AwsPriceListOptions): PriceListCatalog {
  return new PriceListCatalog({
    client: options.clients(PRICE_LIST_REGION).pricing,
    month: options.month,
    record: options.record,
    now: options.now,
    log: options.log,
  });
}

/** Opens a bucket for an `s3://` price file, in `region`. */
export function awsBucketOpener(clients: AwsClientsFor, region: string): BucketOpener {
  return (bucket) => new S3ObjectStore(clients(region).s3, bucket);
}
