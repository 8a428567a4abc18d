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

/**
 * Where each figure of a quote comes from, for a person checking it:
 * `prices.csv line 12`, `SKU 8QF9FB4JU4AVYMA6`, or a sum of those.
 */
export interface PriceOrigin {
  readonly alwaysOnMonthly: string;
  readonly autoStopMonthlyFee: string;
  readonly autoStopHourly: string;
}

export interface PriceQuote {
  readonly prices: ModePrices;
  readonly source: PriceSource;
  readonly origin?: PriceOrigin | undefined;
}

/** Prices by WorkSpace configuration. */
export interface PriceCatalog {
  /**
   * `undefined` when this catalog does not know the configuration; rejects
   * when the catalog could not be asked (an outage), so a caller can fall back.
   */
  lookup(key: PriceKey): Promise<PriceQuote | undefined>;
}
