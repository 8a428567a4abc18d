import type { ModePrices } from '../billing/index.js';
import type { PriceCatalog, PriceOrigin, PriceQuote, PriceSource } from '../ports/price-catalog.js';
import type { Licence, OsFamily, PriceKey } from '../ports/price-key.js';

/** One priced configuration. A volume size of `undefined` matches any size. */
export interface PriceEntry {
  readonly region: string;
  readonly computeType: string;
  readonly os: OsFamily;
  readonly licence: Licence;
  readonly rootGib: number | undefined;
  readonly userGib: number | undefined;
  /** A Plus bundle's prices: they price only Plus WorkSpaces, and plain prices only plain ones. */
  readonly plus: boolean;
  readonly prices: ModePrices;
  /** Where each figure comes from (a file's line, the Price List's SKUs). */
  readonly origin?: PriceOrigin | undefined;
}

/**
 * Prices held in memory: the parsed price file, or one Price List answer.
 * A size-specific entry beats one that matches any size.
 */
export class PriceTable implements PriceCatalog {
  private readonly byConfiguration = new Map<string, PriceEntry[]>();

  constructor(
    entries: readonly PriceEntry[],
    private readonly source: PriceSource,
  ) {
    for (const entry of entries) {
      const key = configurationKey(entry.region, entry.computeType, entry.os, entry.licence, entry.plus);
      const list = this.byConfiguration.get(key) ?? [];
      list.push(entry);
      this.byConfiguration.set(key, list);
    }
  }

  get size(): number {
    let count = 0;
    for (const list of this.byConfiguration.values()) count += list.length;
    return count;
  }

  find(key: PriceKey): PriceEntry | undefined {
    const candidates =
      this.byConfiguration.get(
        configurationKey(key.region, key.computeType, key.os, key.licence, key.plus === true),
      ) ?? [];
    const fits = (wanted: number | undefined, offered: number | undefined) =>
      offered === undefined || offered === wanted;
    const matching = candidates.filter(
      (entry) => fits(key.rootVolumeGib, entry.rootGib) && fits(key.userVolumeGib, entry.userGib),
    );
    const specificity = (entry: PriceEntry) =>
      (entry.rootGib === undefined ? 0 : 1) + (entry.userGib === undefined ? 0 : 1);
    return matching.sort((a, b) => specificity(b) - specificity(a))[0];
  }

  async lookup(key: PriceKey): Promise<PriceQuote | undefined> {
    const entry = this.find(key);
    return entry && { prices: entry.prices, source: this.source, origin: entry.origin };
  }

  /** Every entry, in the order given. */
  entries(): PriceEntry[] {
    return [...this.byConfiguration.values()].flat();
  }
}

export function configurationKey(
  region: string,
  computeType: string,
  os: string,
  licence: string,
  plus: boolean,
): string {
  return [region, computeType.toUpperCase(), os, licence, plus ? 'PLUS' : ''].join('|');
}
