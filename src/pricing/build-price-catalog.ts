import type { Log } from '../shared/log.js';
import { ChainedPriceCatalog } from './chained-price-catalog.js';
import type { BucketOpener } from './load-price-file.js';
import { loadPriceFile } from './load-price-file.js';
import type { PriceCatalog } from '../ports/price-catalog.js';

export interface PriceCatalogOptions {
  /** The operator's price file: a local path or `s3://bucket/key`. */
  readonly priceFile?: string | undefined;
  /** Reads an `s3://` price file. */
  readonly openBucket?: BucketOpener | undefined;
  /**
   * The AWS Price List (a `PriceListCatalog`), asked for what the file does not
   * price. Built by the caller: this module stays free of the SDK, so the demo
   * can price from a file without loading it.
   */
  readonly priceList?: PriceCatalog | undefined;
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
  if (options.priceList !== undefined) sources.push(options.priceList);
  return sources.length === 0 ? undefined : new ChainedPriceCatalog(sources, options.log);
}
