/**
 * `AmazonWorkSpaces` Price List products in the shape public sources show for
 * the real offer data, built only from sourced attributes and values. Every
 * element's source is in `test/helpers/fixtures/price-list/SOURCES.md` (keys
 * [S1]...[S12] as in docs/finance.md). What no source gave (`groupDescription`,
 * `softwareIncluded`, most `usagetype` numbers) is left out, never invented.
 */
import type { PriceListRecording, RecordedPage } from '../../src/pricing/price-list-recording.js';

/** [S1] placeholders: only the format is sourced. */
const PUBLICATION = '2026-07-01T00:00:00Z';
const VERSION = '20260701000000';
/** [S1]: the OnDemand offer term code and rate suffix of the AWS CLI example. */
const TERM = 'JRTCKXETXF';
const RATE = '6YS6EN2CT7';

export const PERSONAL = 'Enterprise Applications';
/** [S4]: the same bundle names again, at other prices. */
export const CORE = 'WorkSpaces Core';

export interface Place {
  readonly regionCode?: string | undefined;
  readonly location: string;
}

export const US_EAST_1: Place = { regionCode: 'us-east-1', location: 'US East (N. Virginia)' };
export const AP_SOUTHEAST_1: Place = { regionCode: 'ap-southeast-1', location: 'Asia Pacific (Singapore)' };

export interface HardwareRow {
  readonly place: Place;
  readonly sku: string;
  /** `Standard`, `Standard-0`, `Standard Plus`, `GeneralPurpose.4xlarge` ([S2], [S4]). */
  readonly bundle: string;
  /** [S2]'s value set predates GeneralPurpose: left out there. */
  readonly bundleGroup?: string | undefined;
  /** `Windows`, `Any`, `Amazon Linux`, `Ubuntu Linux`, `Red Hat Enterprise Linux`, `Rocky Linux` ([S2], [S4]). */
  readonly operatingSystem: string;
  /** `Included`, `Bring Your Own License`, `None` ([S2], [S4]). */
  readonly license: string;
  readonly runningMode: 'AlwaysOn' | 'AutoStop';
  /** `User` billed by the month, `Usage` by the hour ([S2]). */
  readonly group: 'User' | 'Usage';
  readonly rootGib: number;
  readonly userGib: number;
  /** [S2]'s value sets; left out where they give none (GeneralPurpose). */
  readonly vcpu?: string | undefined;
  readonly memory?: string | undefined;
  /** Only where a source gives it ([S6], [S8], [S9]). */
  readonly usagetype?: string | undefined;
  /** Decimal text, 10 places as [S1]. */
  readonly usd: string;
  readonly description?: string | undefined;
  readonly productFamily?: string | undefined;
  /** [S2] says both forms exist: separate `rootvolume`/`uservolume`, or only `storage` ([S4]). */
  readonly volumes?: 'both' | 'separate' | 'storage' | undefined;
}

function base(place: Place): Record<string, string> {
  return {
    servicecode: 'AmazonWorkSpaces',
    servicename: 'Amazon WorkSpaces',
    location: place.location,
    locationType: 'AWS Region',
    ...(place.regionCode === undefined ? {} : { regionCode: place.regionCode }),
    operation: '',
  };
}

function product(
  sku: string,
  productFamily: string,
  attributes: Record<string, string>,
  unit: string,
  usd: string,
  description: string,
): string {
  const term = `${sku}.${TERM}`;
  const rate = `${term}.${RATE}`;
  return JSON.stringify({
    product: { productFamily, attributes, sku },
    serviceCode: 'AmazonWorkSpaces',
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: {
            [rate]: {
              unit,
              endRange: 'Inf',
              description,
              appliesTo: [],
              rateCode: rate,
              beginRange: '0',
              pricePerUnit: { USD: usd },
            },
          },
          sku,
          effectiveDate: PUBLICATION,
          offerTermCode: TERM,
          termAttributes: {},
        },
      },
    },
    version: VERSION,
    publicationDate: PUBLICATION,
  });
}

/** A `Hardware` product: an AlwaysOn price, an AutoStop fee (`group User`) or an hourly rate (`group Usage`). */
export function hardware(row: HardwareRow): string {
  const volumes = row.volumes ?? 'both';
  const attributes = {
    ...base(row.place),
    bundle: row.bundle,
    ...(row.bundleGroup === undefined ? {} : { bundleGroup: row.bundleGroup }),
    operatingSystem: row.operatingSystem,
    license: row.license,
    runningMode: row.runningMode,
    group: row.group,
    resourceType: 'Hardware',
    ...(volumes === 'storage' ? {} : { rootvolume: `${row.rootGib} GB`, uservolume: `${row.userGib} GB` }),
    ...(volumes === 'separate' ? {} : { storage: `Root:${row.rootGib} GB,User:${row.userGib} GB` }),
    ...(row.vcpu === undefined ? {} : { vcpu: row.vcpu }),
    ...(row.memory === undefined ? {} : { memory: row.memory }),
    ...(row.usagetype === undefined ? {} : { usagetype: row.usagetype }),
  };
  return product(
    row.sku,
    row.productFamily ?? PERSONAL,
    attributes,
    row.group === 'User' ? 'Month' : 'Hour',
    row.usd,
    row.description ?? 'SAMPLE: description text not sourced',
  );
}

/** The three Hardware rows of one storage pairing (AlwaysOn, AutoStop fee, hourly), or the monthly two. */
export function pairing(
  common: Omit<HardwareRow, 'sku' | 'runningMode' | 'group' | 'usd' | 'usagetype'>,
  prices: {
    readonly skus: readonly [string, string, string?];
    readonly alwaysOn: string;
    readonly fee: string;
    readonly hourly?: string | undefined;
    readonly usagetypes?: readonly [string, string, string] | undefined;
  },
): string[] {
  const [alwaysOnSku, feeSku, hourlySku] = prices.skus;
  const rows = [
    hardware({
      ...common,
      sku: alwaysOnSku,
      runningMode: 'AlwaysOn',
      group: 'User',
      usd: prices.alwaysOn,
      usagetype: prices.usagetypes?.[0],
    }),
    hardware({
      ...common,
      sku: feeSku,
      runningMode: 'AutoStop',
      group: 'User',
      usd: prices.fee,
      usagetype: prices.usagetypes?.[1],
    }),
  ];
  if (prices.hourly !== undefined && hourlySku !== undefined)
    rows.push(
      hardware({
        ...common,
        sku: hourlySku,
        runningMode: 'AutoStop',
        group: 'Usage',
        usd: prices.hourly,
        usagetype: prices.usagetypes?.[2],
      }),
    );
  return rows;
}

/**
 * eu-west-1 Standard 80/50 Windows rows that carry only `location` (no
 * `regionCode`, as the 2021 offer [S2]); ILLUSTRATIVE prices 38.5 / 10.75 / 0.33.
 */
export function irelandByLocationOnly(location: 'EU (Ireland)' | 'Europe (Ireland)'): string[] {
  return pairing(
    {
      place: { location },
      bundle: 'Standard',
      operatingSystem: 'Windows',
      license: 'Included',
      rootGib: 80,
      userGib: 50,
    },
    {
      skus: ['SAMPLEEUW1STD001', 'SAMPLEEUW1STD002', 'SAMPLEEUW1STD003'],
      alwaysOn: '38.5',
      fee: '10.75',
      hourly: '0.33',
    },
  );
}

/**
 * A `Software` product ([S2] software spec: `group User`, `runningMode
 * AlwaysOn`, no volumes or `bundleGroup`); $0 for plain bundles ([S4]).
 */
export function software(row: {
  readonly place: Place;
  readonly sku: string;
  readonly bundle: string;
  readonly operatingSystem: string;
  readonly license: string;
  readonly vcpu?: string | undefined;
  readonly memory?: string | undefined;
  readonly usd: string;
  readonly description?: string;
}): string {
  return product(
    row.sku,
    PERSONAL,
    {
      ...base(row.place),
      bundle: row.bundle,
      operatingSystem: row.operatingSystem,
      license: row.license,
      runningMode: 'AlwaysOn',
      group: 'User',
      resourceType: 'Software',
      ...(row.vcpu === undefined ? {} : { vcpu: row.vcpu }),
      ...(row.memory === undefined ? {} : { memory: row.memory }),
    },
    'Month',
    row.usd,
    row.description ?? 'SAMPLE: description text not sourced',
  );
}

/** A storage product for grown volumes ([S2] storage spec), unit GB-Month. */
export function storage(row: {
  readonly place: Place;
  readonly sku: string;
  readonly volume: 'root' | 'user';
  readonly usd: string;
}): string {
  return product(
    row.sku,
    PERSONAL,
    {
      ...base(row.place),
      bundle: 'Storage',
      bundleGroup: 'Storage',
      operatingSystem: 'Windows',
      license: row.volume === 'root' ? 'Root Volume Usage' : 'User Volume Usage',
      runningMode: 'Not Applicable',
      group: 'User',
      resourceType: 'Hardware',
      rootvolume: 'Custom',
      uservolume: 'Custom',
      vcpu: '0',
      memory: '0',
    },
    'GB-Month',
    row.usd,
    'ILLUSTRATIVE',
  );
}

/**
 * Products as `GetProducts` pages of `pageSize` ([S1] envelope), each but the
 * last with a `NextToken`, the way the API pages (100 products at most).
 */
export function pagesOf(documents: readonly string[], pageSize = 100, tokenPrefix = 'page'): RecordedPage[] {
  const pages: RecordedPage[] = [];
  for (let start = 0; start < documents.length || pages.length === 0; start += pageSize) {
    const end = start + pageSize;
    pages.push({
      FormatVersion: 'aws_v1',
      ...(end < documents.length ? { NextToken: `${tokenPrefix}-${pages.length + 2}` } : {}),
      PriceList: documents.slice(start, end),
    });
  }
  return pages;
}

/** A recording as `wco prices --record` writes it, answering the queries wco sends for `region`. */
export function recordingOf(
  comment: string,
  region: string,
  queries: readonly {
    readonly field: 'regionCode' | 'location';
    readonly value: string;
    readonly pages: readonly RecordedPage[];
  }[],
): PriceListRecording {
  return {
    _comment: comment,
    recordedAt: PUBLICATION,
    region,
    queries: queries.map((query) => ({
      serviceCode: 'AmazonWorkSpaces',
      filters: [
        { Type: 'TERM_MATCH', Field: query.field, Value: query.value },
        { Type: 'TERM_MATCH', Field: 'productFamily', Value: PERSONAL },
      ],
      pages: query.pages,
    })),
  };
}
