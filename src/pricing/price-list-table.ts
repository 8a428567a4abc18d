import type { Money } from '../billing/index.js';
import { money } from '../billing/index.js';
import type { PriceCatalog, PriceQuote } from '../ports/price-catalog.js';
import { PriceSource } from '../ports/price-catalog.js';
import type { PriceKey } from '../ports/price-key.js';
import { describePriceKey } from '../ports/price-key.js';
import type { PriceListFinding, StoragePrices } from './price-list-products.js';
import { FindingKind } from './price-list-products.js';
import type { PriceEntry } from './price-table.js';
import { configurationKey } from './price-table.js';

/**
 * One region's Price List prices. A WorkSpace is priced by the published
 * storage pairing of its volumes; a WorkSpace whose volumes were grown beyond
 * every pairing of its bundle is priced as the nearest pairing below it plus
 * the GB-Month storage price of the extra GiB, added to the AlwaysOn price and
 * to the AutoStop fee (storage is billed monthly in both modes; the hourly
 * rate does not change).
 */
export class PriceListTable implements PriceCatalog {
  private readonly byConfiguration = new Map<string, PriceEntry[]>();
  private readonly lookupFindings = new Map<string, PriceListFinding>();

  constructor(
    readonly entries: readonly PriceEntry[],
    readonly storage: StoragePrices | undefined,
    /** What the answer left unpriced (kept for `wco prices` and the run's log). */
    readonly findings: readonly PriceListFinding[] = [],
  ) {
    for (const entry of entries) {
      const key = configurationKey(entry.region, entry.computeType, entry.os, entry.licence, entry.plus);
      this.byConfiguration.set(key, [...(this.byConfiguration.get(key) ?? []), entry]);
    }
  }

  /** Why the last lookup of `key` found no price, when the reason is worth telling (a tie, no storage price). */
  problemOf(key: PriceKey): PriceListFinding | undefined {
    return this.lookupFindings.get(describePriceKey(key));
  }

  async lookup(key: PriceKey): Promise<PriceQuote | undefined> {
    return this.quote(key);
  }

  quote(key: PriceKey): PriceQuote | undefined {
    const { rootVolumeGib: root, userVolumeGib: user } = key;
    if (root === undefined || user === undefined) return undefined;
    const candidates =
      this.byConfiguration.get(
        configurationKey(key.region, key.computeType, key.os, key.licence, key.plus === true),
      ) ?? [];
    const exact = candidates.find((entry) => entry.rootGib === root && entry.userGib === user);
    if (exact) return { prices: exact.prices, source: PriceSource.PRICE_LIST, origin: exact.origin };

    // Grown volumes: the pairings the WorkSpace could have grown from, fewest extra GiB first.
    const extra = (entry: PriceEntry) => root - entry.rootGib! + (user - entry.userGib!);
    const below = candidates
      .filter((entry) => entry.rootGib! <= root && entry.userGib! <= user)
      .sort((a, b) => extra(a) - extra(b));
    const [base] = below;
    if (base === undefined) return undefined;
    const tied = below.filter((entry) => extra(entry) === extra(base));
    const problem = (kind: FindingKind, detail: string) => {
      this.lookupFindings.set(describePriceKey(key), { kind, subject: describePriceKey(key), detail });
      return undefined;
    };
    if (tied.some((entry) => !samePrices(entry, base)))
      return problem(
        FindingKind.AMBIGUOUS,
        `grown volumes: ${tied.map((entry) => `${entry.rootGib}/${entry.userGib} GiB`).join(' and ')} are equally near and priced differently`,
      );
    const rootExtra = root - base.rootGib!;
    const userExtra = user - base.userGib!;
    const storage = this.storage;
    const perGib = (gib: number, price: Money | undefined) => (gib === 0 ? money(0) : price?.times(gib));
    const rootCost = perGib(rootExtra, storage?.rootGibMonth);
    const userCost = perGib(userExtra, storage?.userGibMonth);
    if (storage === undefined || rootCost === undefined || userCost === undefined)
      return problem(
        FindingKind.INCOMPLETE,
        `grown volumes (${base.rootGib}/${base.userGib} GiB published): no GB-Month storage price for the extra GiB`,
      );
    if (storage.currency !== base.prices.currency)
      return problem(
        FindingKind.IMPOSSIBLE,
        `grown volumes: storage priced in ${storage.currency}, the bundle in ${base.prices.currency}`,
      );
    const added = rootCost.plus(userCost);
    const growth = [
      rootExtra > 0 ? `${rootExtra} GiB root x SKU ${storage.rootSku}` : undefined,
      userExtra > 0 ? `${userExtra} GiB user x SKU ${storage.userSku}` : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(' + ');
    return {
      prices: {
        ...base.prices,
        alwaysOnMonthly: base.prices.alwaysOnMonthly.plus(added),
        autoStopMonthlyFee: base.prices.autoStopMonthlyFee.plus(added),
      },
      source: PriceSource.PRICE_LIST,
      origin: base.origin && {
        alwaysOnMonthly: `${base.origin.alwaysOnMonthly} + ${growth}`,
        autoStopMonthlyFee: `${base.origin.autoStopMonthlyFee} + ${growth}`,
        autoStopHourly: base.origin.autoStopHourly,
      },
    };
  }
}

function samePrices(a: PriceEntry, b: PriceEntry): boolean {
  return (
    a.prices.currency === b.prices.currency &&
    a.prices.alwaysOnMonthly.equals(b.prices.alwaysOnMonthly) &&
    a.prices.autoStopMonthlyFee.equals(b.prices.autoStopMonthlyFee) &&
    a.prices.autoStopHourly.equals(b.prices.autoStopHourly)
  );
}
