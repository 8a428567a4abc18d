import type { PricingClient } from '@aws-sdk/client-pricing';
import type { Log } from '../shared/log.js';
import type { ObjectStore } from '../ports/object-store.js';
import { ChainedPriceCatalog } from './chained-price-catalog.js';
import type { BucketOpener } from './load-price-file.js';
import { loadPriceFile } from './load-price-file.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { PriceListCatalog } from './price-list-catalog.js';

export interface PriceCatalogOptions {
  /** The operator's price file: a local path or `s3://bucket/key`. */
  readonly priceFile?: string | undefined;
  /** Reads an `s3://` price file. */
  readonly openBucket?: BucketOpener | undefined;
  /** Ask the AWS Price List for what the file does not price. */
  readonly priceList?:
    | {
        readonly client: Pick<PricingClient, 'send'>;
        /** `YYYY-MM` of the run. */
        readonly month: string;
        /** The report store: the Price List answers are cached there for the month. */
        readonly cache: ObjectStore;
      }
    | undefined;
  readonly log?: Log | undefined;
}

/**
 * The run's price catalog: the price file first, then the Price List, then
 * nothing (hour thresholds). Rejects with `PriceFileError` when the file is
 * bad, before anything is priced or written. `undefined` when no source is given.
 */
export async function buildPriceCatalog(options: PriceCatalogOptions): Promise<PriceCatalog | undefined> {
  const sources: PriceCatalog[] = [];
  if (options.priceFile !== undefined)
    sources.push(await loadPriceFile(options.priceFile, options.openBucket));
  if (options.priceList !== undefined)
    sources.push(new PriceListCatalog({ ...options.priceList, log: options.log }));
  return sources.length === 0 ? undefined : new ChainedPriceCatalog(sources, options.log);
}
