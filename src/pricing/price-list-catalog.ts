import type { GetProductsCommandOutput, PricingClient } from '@aws-sdk/client-pricing';
import { GetProductsCommand } from '@aws-sdk/client-pricing';
import type { Log } from '../shared/log.js';
import { silentLog } from '../shared/log.js';
import { money } from '../billing/index.js';
import { errorMessage, WcoError } from '../shared/errors.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { PriceCatalog, PriceQuote } from '../ports/price-catalog.js';
import { PriceSource } from '../ports/price-catalog.js';
import type { Licence, OsFamily, PriceKey } from '../ports/price-key.js';
import {
  PRICE_LIST_SERVICE_CODE,
  priceEntriesFromProducts,
  priceListLicence,
} from './price-list-products.js';
import type { PriceEntry } from './price-table.js';
import { PriceTable } from './price-table.js';

/** A cached Price List answer that is not one: the cache is skipped and the Price List asked again. */
export class PriceCacheError extends WcoError {
  override readonly name = 'PriceCacheError';
}

export interface PriceListCatalogOptions {
  /** Only `send` is used; the Price List endpoints are us-east-1, eu-central-1 and ap-south-1. */
  readonly client: Pick<PricingClient, 'send'>;
  /** `YYYY-MM` of the run: the cache holds one month's prices. */
  readonly month: string;
  /** The report bucket (or folder): answers are cached under `pricing/cache/YYYY-MM/`. */
  readonly cache?: ObjectStore | undefined;
  readonly log?: Log | undefined;
}

/** The cache object: what one `GetProducts` answer priced, money as exact text. */
interface CachedPrices {
  readonly month: string;
  readonly region: string;
  readonly os: OsFamily;
  readonly licence: Licence;
  readonly entries: readonly {
    readonly computeType: string;
    readonly rootGib: number | undefined;
    readonly userGib: number | undefined;
    readonly currency: string;
    readonly alwaysOnMonthly: string;
    readonly autoStopMonthlyFee: string;
    readonly autoStopHourly: string;
  }[];
}

/**
 * Prices from the AWS Price List Query API. Asks at most once per run per
 * (region, OS family, licence) — concurrent lookups share the request — and
 * keeps the answer in the report bucket for the month, so later runs of the
 * month do not ask again. A failed request rejects every lookup of its group
 * (the caller falls back); a failed cache write is logged, the prices still used.
 */
export class PriceListCatalog implements PriceCatalog {
  private readonly groups = new Map<string, Promise<PriceTable>>();
  private readonly log: Log;
  private cachedKeys: Promise<ReadonlySet<string> | undefined> | undefined;

  constructor(private readonly options: PriceListCatalogOptions) {
    this.log = options.log ?? silentLog;
  }

  async lookup(key: PriceKey): Promise<PriceQuote | undefined> {
    const group = `${key.region}_${key.os}_${key.licence}`;
    let table = this.groups.get(group);
    if (table === undefined) {
      table = this.load(key.region, key.os, key.licence);
      this.groups.set(group, table);
    }
    return (await table).lookup(key);
  }

  /** `pricing/cache/YYYY-MM/<region>_<os>_<licence>.json` */
  static cacheKey(month: string, region: string, os: OsFamily, licence: Licence): string {
    return `${PriceListCatalog.cachePrefix(month)}${region}_${os}_${licence}.json`;
  }

  /** `pricing/cache/YYYY-MM/`: the month's cache objects, listed once per run. */
  static cachePrefix(month: string): string {
    return `pricing/cache/${month}/`;
  }

  private async load(region: string, os: OsFamily, licence: Licence): Promise<PriceTable> {
    const { cache, month } = this.options;
    const cacheKey = PriceListCatalog.cacheKey(month, region, os, licence);
    const cached =
      cache === undefined || !(await this.mayBeCached(cache, cacheKey))
        ? undefined
        : await this.readCache(cache, cacheKey);
    if (cached !== undefined) return new PriceTable(cached, PriceSource.PRICE_LIST);

    const documents = await this.fetchProducts(region, os, licence);
    const entries = priceEntriesFromProducts(documents, { region, os, licence });
    if (cache !== undefined) {
      try {
        await cache.put(
          cacheKey,
          `${JSON.stringify(toCache(month, region, os, licence, entries), null, 2)}\n`,
          'application/json',
        );
      } catch (error) {
        this.log.warn('price cache write failed', {
          target: cache.locate(cacheKey),
          error: errorMessage(error),
        });
      }
    }
    return new PriceTable(entries, PriceSource.PRICE_LIST);
  }

  private async fetchProducts(region: string, os: OsFamily, licence: Licence): Promise<string[]> {
    // Region and licence are filtered by the service; OS, running mode, bundle and storage here,
    // because BYOL hourly rates are listed under operatingSystem "Any" and storage variants share
    // their compute type's hourly rate.
    const documents: string[] = [];
    let nextToken: string | undefined;
    do {
      const page: GetProductsCommandOutput = await this.options.client.send(
        new GetProductsCommand({
          ServiceCode: PRICE_LIST_SERVICE_CODE,
          FormatVersion: 'aws_v1',
          MaxResults: 100,
          NextToken: nextToken,
          Filters: [
            { Type: 'TERM_MATCH', Field: 'regionCode', Value: region },
            { Type: 'TERM_MATCH', Field: 'license', Value: priceListLicence(os, licence) },
          ],
        }),
      );
      documents.push(...priceListDocuments(page.PriceList));
      nextToken = page.NextToken;
    } while (nextToken);
    return documents;
  }

  /**
   * Whether the month's listing shows `key`. Reading only listed objects keeps a
   * cache miss from looking like a denied read: S3 answers a missing key with
   * 403, not 404, to a role without s3:ListBucket on the whole bucket, and the
   * Lambda's role may list only some prefixes. When the listing fails, every
   * object is tried.
   */
  private async mayBeCached(cache: ObjectStore, key: string): Promise<boolean> {
    this.cachedKeys ??= cache.list(PriceListCatalog.cachePrefix(this.options.month)).then(
      (keys) => new Set(keys),
      (error: unknown) => {
        this.log.warn('price cache cannot be listed; reading it object by object', {
          target: cache.locate(PriceListCatalog.cachePrefix(this.options.month)),
          error: errorMessage(error),
        });
        return undefined;
      },
    );
    return (await this.cachedKeys)?.has(key) ?? true;
  }

  private async readCache(cache: ObjectStore, key: string): Promise<PriceEntry[] | undefined> {
    try {
      const body = await cache.get(key);
      return body === undefined ? undefined : fromCache(JSON.parse(body) as CachedPrices);
    } catch (error) {
      this.log.warn('price cache unreadable; asking the Price List', {
        target: cache.locate(key),
        error: errorMessage(error),
      });
      return undefined;
    }
  }
}

/** `PriceList` is typed as strings or one JSON string of an array, depending on the SDK build. */
function priceListDocuments(list: GetProductsCommandOutput['PriceList']): string[] {
  if (list === undefined) return [];
  if (Array.isArray(list)) return list.map(String);
  const parsed = JSON.parse(String(list)) as unknown;
  return Array.isArray(parsed)
    ? parsed.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
    : [];
}

function toCache(
  month: string,
  region: string,
  os: OsFamily,
  licence: Licence,
  entries: readonly PriceEntry[],
): CachedPrices {
  return {
    month,
    region,
    os,
    licence,
    entries: entries.map((entry) => ({
      computeType: entry.computeType,
      rootGib: entry.rootGib,
      userGib: entry.userGib,
      currency: entry.prices.currency,
      alwaysOnMonthly: entry.prices.alwaysOnMonthly.toString(),
      autoStopMonthlyFee: entry.prices.autoStopMonthlyFee.toString(),
      autoStopHourly: entry.prices.autoStopHourly.toString(),
    })),
  };
}

function fromCache(cached: CachedPrices): PriceEntry[] {
  if (!Array.isArray(cached.entries)) throw new PriceCacheError('cache object has no entries');
  return cached.entries.map((entry) => ({
    region: cached.region,
    computeType: entry.computeType,
    os: cached.os,
    licence: cached.licence,
    rootGib: entry.rootGib ?? undefined,
    userGib: entry.userGib ?? undefined,
    prices: {
      currency: entry.currency,
      alwaysOnMonthly: money(entry.alwaysOnMonthly),
      autoStopMonthlyFee: money(entry.autoStopMonthlyFee),
      autoStopHourly: money(entry.autoStopHourly),
    },
  }));
}
