import type { Log } from '../shared/log.js';
import { silentLog } from '../shared/log.js';
import { errorMessage } from '../shared/errors.js';
import type { PriceCatalog, PriceQuote } from '../ports/price-catalog.js';
import type { PriceKey } from '../ports/price-key.js';
import { describePriceKey } from '../ports/price-key.js';

/**
 * Asks each catalog in order (price file, then Price List) and returns the
 * first price found. A catalog that fails is logged once per message and
 * skipped: an outage costs prices, never the run.
 */
export class ChainedPriceCatalog implements PriceCatalog {
  private readonly warned = new Set<string>();

  constructor(
    private readonly catalogs: readonly PriceCatalog[],
    private readonly log: Log = silentLog,
  ) {}

  async lookup(key: PriceKey): Promise<PriceQuote | undefined> {
    for (const catalog of this.catalogs) {
      try {
        const quote = await catalog.lookup(key);
        if (quote !== undefined) return quote;
      } catch (error) {
        const message = errorMessage(error);
        if (!this.warned.has(message)) {
          this.warned.add(message);
          this.log.warn('price source failed; falling back', { key: describePriceKey(key), error: message });
        }
      }
    }
    return undefined;
  }
}
