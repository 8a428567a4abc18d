import type { Money } from '../billing/index.js';
import { money } from '../billing/index.js';
import type { PriceEntry } from './price-table.js';
import type { OsFamily } from '../ports/price-key.js';
import { Licence, OsFamily as OsFamilies } from '../ports/price-key.js';

/**
 * The AWS Price List's view of WorkSpaces (service code `AmazonWorkSpaces`,
 * `GetProducts`, format `aws_v1`). Each product is a JSON document:
 * `product.attributes` carries `regionCode`, `bundle` (`Standard`, `Power`,
 * `Graphics.g4dn`, with `-0`, `-1` ... suffixes for storage variants),
 * `operatingSystem`, `license`, `runningMode` (`AlwaysOn`, `AutoStop`) and
 * `storage` (`Root:80 GB,User:50 GB`); its price is in
 * `terms.OnDemand.*.priceDimensions.*` with a `unit` (`Month`, `Hour`) and
 * `pricePerUnit` keyed by currency.
 */
export const PRICE_LIST_SERVICE_CODE = 'AmazonWorkSpaces';

/** Price List `license` values. Linux without a paid licence is `None`. */
export function priceListLicence(os: OsFamily, licence: Licence): string {
  if (licence === Licence.BYOL) return 'Bring Your Own License';
  return os === OsFamilies.WINDOWS || os === OsFamilies.RHEL ? 'Included' : 'None';
}

/** Price List `operatingSystem` values per family; BYOL hourly rates may say `Any`. */
const OS_NAMES: Readonly<Record<OsFamily, readonly string[]>> = {
  WINDOWS: ['windows'],
  AMAZON_LINUX: ['amazon linux'],
  UBUNTU: ['ubuntu', 'ubuntu pro'],
  ROCKY_LINUX: ['rocky linux'],
  RHEL: ['red hat enterprise linux', 'rhel'],
};

/**
 * `Graphics.g4dn-1` -> `GRAPHICS_G4DN`: the bundle family in the API's
 * `ComputeTypeName` spelling, storage-variant suffix dropped.
 */
export function computeTypeOfBundle(bundle: string): string {
  return bundle
    .trim()
    .replace(/-\d+$/, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');
}

/** `Root:80 GB,User:50 GB` -> sizes; `undefined` when the text has another form. */
export function parseStorage(storage: string | undefined): { rootGib: number; userGib: number } | undefined {
  const match = /root\s*:\s*(\d+)\s*gb\s*,\s*user\s*:\s*(\d+)\s*gb/i.exec(storage ?? '');
  return match ? { rootGib: Number(match[1]), userGib: Number(match[2]) } : undefined;
}

interface PriceListProduct {
  readonly product?: { readonly attributes?: Readonly<Record<string, string>> };
  readonly terms?: {
    readonly OnDemand?: Readonly<
      Record<
        string,
        {
          readonly priceDimensions?: Readonly<
            Record<
              string,
              { readonly unit?: string; readonly pricePerUnit?: Readonly<Record<string, string>> }
            >
          >;
        }
      >
    >;
  };
}

interface Rate {
  readonly computeType: string;
  readonly storage: { rootGib: number; userGib: number } | undefined;
  readonly runningMode: 'AlwaysOn' | 'AutoStop';
  readonly unit: 'month' | 'hour';
  readonly currency: string;
  readonly amount: Money;
}

/**
 * One `GetProducts` answer (all pages) for a region, OS family and licence ->
 * priced configurations. A configuration is priced when its AlwaysOn monthly
 * price, AutoStop monthly fee and AutoStop hourly rate are all known. The
 * hourly rate belongs to the compute type, not the storage: a storage variant
 * without its own hourly row takes the compute type's. Zero prices (software
 * line items) and products of other running modes are ignored.
 */
export function priceEntriesFromProducts(
  documents: readonly string[],
  wanted: { readonly region: string; readonly os: OsFamily; readonly licence: Licence },
): PriceEntry[] {
  const osNames = new Set([...OS_NAMES[wanted.os], 'any']);
  const licence = priceListLicence(wanted.os, wanted.licence).toLowerCase();
  const rates: Rate[] = [];
  for (const document of documents) {
    const rate = rateOf(JSON.parse(document) as PriceListProduct);
    if (rate === undefined) continue;
    const { attributes } = rate;
    if (!osNames.has((attributes.operatingSystem ?? '').toLowerCase())) continue;
    if ((attributes.license ?? '').toLowerCase() !== licence) continue;
    if (attributes.regionCode !== undefined && attributes.regionCode !== wanted.region) continue;
    rates.push(rate.rate);
  }

  const first = (list: readonly Rate[]) => list[0];
  const byComputeType = new Map<string, Rate[]>();
  for (const rate of rates)
    byComputeType.set(rate.computeType, [...(byComputeType.get(rate.computeType) ?? []), rate]);

  const entries: PriceEntry[] = [];
  for (const [computeType, typeRates] of [...byComputeType].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    const storages = new Map<string, { rootGib: number; userGib: number }>();
    for (const rate of typeRates)
      if (rate.storage) storages.set(`${rate.storage.rootGib}/${rate.storage.userGib}`, rate.storage);
    const sameStorage = (storage: { rootGib: number; userGib: number }) => (rate: Rate) =>
      rate.storage?.rootGib === storage.rootGib && rate.storage.userGib === storage.userGib;
    const familyHourly = first(
      typeRates.filter((rate) => rate.runningMode === 'AutoStop' && rate.unit === 'hour'),
    );
    for (const storage of [...storages.values()].sort(
      (a, b) => a.rootGib - b.rootGib || a.userGib - b.userGib,
    )) {
      const here = typeRates.filter(sameStorage(storage));
      const alwaysOn = first(here.filter((rate) => rate.runningMode === 'AlwaysOn' && rate.unit === 'month'));
      const fee = first(here.filter((rate) => rate.runningMode === 'AutoStop' && rate.unit === 'month'));
      const hourly =
        first(here.filter((rate) => rate.runningMode === 'AutoStop' && rate.unit === 'hour')) ?? familyHourly;
      if (!alwaysOn || !fee || !hourly) continue;
      if (fee.currency !== alwaysOn.currency || hourly.currency !== alwaysOn.currency) continue;
      entries.push({
        region: wanted.region,
        computeType,
        os: wanted.os,
        licence: wanted.licence,
        rootGib: storage.rootGib,
        userGib: storage.userGib,
        prices: {
          currency: alwaysOn.currency,
          alwaysOnMonthly: alwaysOn.amount,
          autoStopMonthlyFee: fee.amount,
          autoStopHourly: hourly.amount,
        },
      });
    }
  }
  return entries;
}

function rateOf(
  product: PriceListProduct,
): { rate: Rate; attributes: Readonly<Record<string, string>> } | undefined {
  const attributes = product.product?.attributes ?? {};
  const runningMode = attributes.runningMode;
  if (runningMode !== 'AlwaysOn' && runningMode !== 'AutoStop') return undefined;
  if (attributes.bundle === undefined || attributes.bundle.trim() === '') return undefined;
  for (const term of Object.values(product.terms?.OnDemand ?? {})) {
    for (const dimension of Object.values(term.priceDimensions ?? {})) {
      const unit = unitOf(dimension.unit);
      const [currency, text] = Object.entries(dimension.pricePerUnit ?? {})[0] ?? [];
      if (unit === undefined || currency === undefined || text === undefined) continue;
      if (!/^\d+(\.\d+)?$/.test(text)) continue;
      const amount = money(text);
      if (amount.isZero()) continue;
      return {
        attributes,
        rate: {
          computeType: computeTypeOfBundle(attributes.bundle),
          storage: parseStorage(attributes.storage),
          runningMode,
          unit,
          currency,
          amount,
        },
      };
    }
  }
  return undefined;
}

function unitOf(unit: string | undefined): 'month' | 'hour' | undefined {
  const text = (unit ?? '').toLowerCase();
  if (text.startsWith('month') || text === 'mo') return 'month';
  if (text.startsWith('hour') || text === 'hrs' || text === 'hr') return 'hour';
  return undefined;
}
