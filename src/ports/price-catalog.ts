import type { ModePrices } from '../billing/index.js';
import type { PriceKey } from './price-key.js';

/** Where a WorkSpace's prices came from. */
export const PriceSource = {
  /** The operator's price file. */
  FILE: 'file',
  /** The AWS Price List Query API (or its monthly cache). */
  PRICE_LIST: 'price-list',
} as const;
export type PriceSource = (typeof PriceSource)[keyof typeof PriceSource];

export interface PriceQuote {
  readonly prices: ModePrices;
  readonly source: PriceSource;
}

/** Prices by WorkSpace configuration. */
export interface PriceCatalog {
  /**
   * `undefined` when this catalog does not know the configuration; rejects
   * when the catalog could not be asked (an outage), so a caller can fall back.
   */
  lookup(key: PriceKey): Promise<PriceQuote | undefined>;
}
