import type { GetProductsCommandOutput, PricingClient } from '@aws-sdk/client-pricing';
import { GetProductsCommand } from '@aws-sdk/client-pricing';
import type { Log } from '../shared/log.js';
import { silentLog } from '../shared/log.js';
import { money } from '../billing/index.js';
import { errorMessage, WcoError } from '../shared/errors.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { PriceCatalog, PriceOrigin, PriceQuote } from '../ports/price-catalog.js';
import type { Licence, OsFamily, PriceKey } from '../ports/price-key.js';
import { locationsOf } from './price-list-locations.js';
import type { PriceListFinding, StoragePrices } from './price-list-products.js';
import {
  FindingKind,
  parsePriceListProducts,
  PERSONAL_PRODUCT_FAMILY,
  PRICE_LIST_SERVICE_CODE,
} from './price-list-products.js';
import type {
  PriceListFilter,
  PriceListRecording,
  RecordedPage,
  RecordedQuery,
} from './price-list-recording.js';
import { PriceListTable } from './price-list-table.js';

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
  /** Receives every region's raw answer (`wco prices --record`); a cached region is not asked, so not recorded. */
  readonly record?: ((recording: PriceListRecording) => Promise<void>) | undefined;
  /** The wall clock, for a recording's `recordedAt`. */
  readonly now?: (() => Date) | undefined;
  readonly log?: Log | undefined;
}

/** Version of the cache object's layout; an object of another version is asked again. */
const CACHE_FORMAT = 2;

/** The cache object: what one region's answer priced, money as exact text. */
interface CachedPrices {
  readonly format: number;
  readonly month: string;
  readonly region: string;
  readonly entries: readonly {
    readonly computeType: string;
    readonly os: OsFamily;
    readonly licence: Licence;
    readonly plus: boolean;
    readonly rootGib: number;
    readonly userGib: number;
    readonly currency: string;
    readonly alwaysOnMonthly: string;
    readonly autoStopMonthlyFee: string;
    readonly autoStopHourly: string;
    readonly origin?: PriceOrigin | undefined;
  }[];
  readonly storage?:
    | {
        readonly currency: string;
        readonly rootGibMonth?: string | undefined;
        readonly userGibMonth?: string | undefined;
        readonly rootSku?: string | undefined;
        readonly userSku?: string | undefined;
      }
    | undefined;
  readonly findings: readonly PriceListFinding[];
}

/**
 * Prices from the AWS Price List Query API. Asks at most once per run per
 * region — concurrent lookups share the request — and keeps what it priced in
 * the report bucket for the month, so later runs of the month do not ask again.
 * A failed request rejects every lookup of its region (the caller falls back);
 * a failed cache write is logged, the prices still used.
 */
export class PriceListCatalog implements PriceCatalog {
  private readonly regions = new Map<string, Promise<PriceListTable>>();
  private readonly warned = new Set<string>();
  private readonly log: Log;
  private cachedKeys: Promise<ReadonlySet<string> | undefined> | undefined;

  constructor(private readonly options: PriceListCatalogOptions) {
    this.log = options.log ?? silentLog;
  }

  async lookup(key: PriceKey): Promise<PriceQuote | undefined> {
    const table = await this.table(key.region);
    const quote = table.quote(key);
    const problem = quote === undefined ? table.problemOf(key) : undefined;
    if (problem !== undefined && !this.warned.has(problem.subject)) {
      this.warned.add(problem.subject);
      this.log.warn('Price List: no price for a WorkSpace configuration', { ...problem });
    }
    return quote;
  }

  /** The region's prices: from the month's cache, or asked once and shared. */
  table(region: string): Promise<PriceListTable> {
    let table = this.regions.get(region);
    if (table === undefined) {
      table = this.load(region);
      this.regions.set(region, table);
    }
    return table;
  }

  /** `pricing/cache/YYYY-MM/<region>.json` */
  static cacheKey(month: string, region: string): string {
    return `${PriceListCatalog.cachePrefix(month)}${region}.json`;
  }

  /** `pricing/cache/YYYY-MM/`: the month's cache objects, listed once per run. */
  static cachePrefix(month: string): string {
    return `pricing/cache/${month}/`;
  }

  private async load(region: string): Promise<PriceListTable> {
    const { cache, month } = this.options;
    const cacheKey = PriceListCatalog.cacheKey(month, region);
    const cached =
      cache === undefined || !(await this.mayBeCached(cache, cacheKey))
        ? undefined
        : await this.readCache(cache, cacheKey);
    if (cached !== undefined) return cached;

    const queries = await this.fetchRegion(region);
    if (this.options.record)
      await this.options.record({
        _comment: `Recorded by wco prices: GetProducts for ${PRICE_LIST_SERVICE_CODE} in ${region}, every page as the Price List answered it.`,
        recordedAt: (this.options.now ?? (() => new Date()))().toISOString(),
        region,
        queries,
      });
    const parsed = parsePriceListProducts(
      queries.flatMap((query) => query.pages.flatMap((page) => page.PriceList)),
      region,
    );
    const table = new PriceListTable(parsed.entries, parsed.storage, parsed.findings);
    this.warnFindings(region, parsed.findings);
    if (cache !== undefined) {
      try {
        await cache.put(
          cacheKey,
          `${JSON.stringify(toCache(month, region, table), null, 2)}\n`,
          'application/json',
        );
      } catch (error) {
        this.log.warn('price cache write failed', {
          target: cache.locate(cacheKey),
          error: errorMessage(error),
        });
      }
    }
    return table;
  }

  /** Ambiguous and impossible configurations, once per region: the operator should look (`wco prices`). */
  private warnFindings(region: string, findings: readonly PriceListFinding[]): void {
    const worth = findings.filter(
      (finding) =>
        finding.kind === FindingKind.AMBIGUOUS ||
        finding.kind === FindingKind.IMPOSSIBLE ||
        finding.kind === FindingKind.UNREADABLE,
    );
    if (worth.length > 0)
      this.log.warn('Price List: configurations not priced (see wco prices)', {
        region,
        findings: worth.map((finding) => `${finding.kind} ${finding.subject}: ${finding.detail}`),
      });
  }

  /**
   * Every WorkSpaces Personal product of the region. Filtered on `regionCode`
   * first; offers without that attribute answer nothing to it, so then on each
   * `location` name the region has had (`EU (Ireland)`, `Europe (Ireland)`).
   * OS, licence, running mode, bundle and storage are matched by the parser:
   * BYOL rates carry two OS values, storage products their own licence values.
   */
  private async fetchRegion(region: string): Promise<RecordedQuery[]> {
    const family: PriceListFilter = {
      Type: 'TERM_MATCH',
      Field: 'productFamily',
      Value: PERSONAL_PRODUCT_FAMILY,
    };
    const queries = [await this.query([{ Type: 'TERM_MATCH', Field: 'regionCode', Value: region }, family])];
    if (queries[0]!.pages.some((page) => page.PriceList.length > 0)) return queries;
    for (const location of locationsOf(region)) {
      const query = await this.query([{ Type: 'TERM_MATCH', Field: 'location', Value: location }, family]);
      queries.push(query);
      if (query.pages.some((page) => page.PriceList.length > 0)) break;
    }
    return queries;
  }

  private async query(filters: readonly PriceListFilter[]): Promise<RecordedQuery> {
    const pages: RecordedPage[] = [];
    let nextToken: string | undefined;
    do {
      const page: GetProductsCommandOutput = await this.options.client.send(
        new GetProductsCommand({
          ServiceCode: PRICE_LIST_SERVICE_CODE,
          FormatVersion: 'aws_v1',
          MaxResults: 100,
          NextToken: nextToken,
          Filters: filters.map((filter) => ({ ...filter, Type: 'TERM_MATCH' as const })),
        }),
      );
      pages.push({
        FormatVersion: page.FormatVersion,
        NextToken: page.NextToken,
        PriceList: priceListDocuments(page.PriceList),
      });
      nextToken = page.NextToken;
    } while (nextToken);
    return { serviceCode: PRICE_LIST_SERVICE_CODE, filters, pages };
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

  private async readCache(cache: ObjectStore, key: string): Promise<PriceListTable | undefined> {
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

function toCache(month: string, region: string, table: PriceListTable): CachedPrices {
  const storage: StoragePrices | undefined = table.storage;
  return {
    format: CACHE_FORMAT,
    month,
    region,
    entries: table.entries.map((entry) => ({
      computeType: entry.computeType,
      os: entry.os,
      licence: entry.licence,
      plus: entry.plus,
      rootGib: entry.rootGib!,
      userGib: entry.userGib!,
      currency: entry.prices.currency,
      alwaysOnMonthly: entry.prices.alwaysOnMonthly.toString(),
      autoStopMonthlyFee: entry.prices.autoStopMonthlyFee.toString(),
      autoStopHourly: entry.prices.autoStopHourly.toString(),
      origin: entry.origin,
    })),
    storage: storage && {
      currency: storage.currency,
      rootGibMonth: storage.rootGibMonth?.toString(),
      userGibMonth: storage.userGibMonth?.toString(),
      rootSku: storage.rootSku,
      userSku: storage.userSku,
    },
    findings: table.findings,
  };
}

function fromCache(cached: CachedPrices): PriceListTable {
  if (cached.format !== CACHE_FORMAT || !Array.isArray(cached.entries))
    throw new PriceCacheError(`cache object is not format ${CACHE_FORMAT}`);
  const entries = cached.entries.map((entry) => ({
    region: cached.region,
    computeType: entry.computeType,
    os: entry.os,
    licence: entry.licence,
    plus: entry.plus,
    rootGib: entry.rootGib,
    userGib: entry.userGib,
    prices: {
      currency: entry.currency,
      alwaysOnMonthly: money(entry.alwaysOnMonthly),
      autoStopMonthlyFee: money(entry.autoStopMonthlyFee),
      autoStopHourly: money(entry.autoStopHourly),
    },
    origin: entry.origin,
  }));
  const storage = cached.storage && {
    currency: cached.storage.currency,
    rootGibMonth: cached.storage.rootGibMonth === undefined ? undefined : money(cached.storage.rootGibMonth),
    userGibMonth: cached.storage.userGibMonth === undefined ? undefined : money(cached.storage.userGibMonth),
    rootSku: cached.storage.rootSku,
    userSku: cached.storage.userSku,
  };
  return new PriceListTable(entries, storage, cached.findings ?? []);
}
