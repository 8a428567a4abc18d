import type { Money } from '../billing/index.js';
import { money } from '../billing/index.js';
import type { PriceOrigin } from '../ports/price-catalog.js';
import { Licence, OsFamily } from '../ports/price-key.js';
import { compareText } from '../shared/compare-text.js';
import { regionOfProduct } from './price-list-locations.js';
import type { PriceEntry } from './price-table.js';

/**
 * The AWS Price List's view of WorkSpaces (service code `AmazonWorkSpaces`,
 * `GetProducts`, format `aws_v1`), as public sources describe the real offer
 * data (docs/finance.md, "The real shape", with the sources). Each product is a
 * JSON document: `product.productFamily` (`Enterprise Applications` for
 * WorkSpaces Personal; `WorkSpaces Core` repeats the bundle names at other
 * prices) and `product.attributes`: `regionCode` and/or `location`, `bundle`
 * (`Standard`, `Standard Plus`, `Graphics.g4dn`, `Standard-1`: `-N` names a
 * storage variant, never to be read as a size), `operatingSystem`, `license`,
 * `runningMode`, `group` (`User` billed by the month, `Usage` by the hour),
 * `resourceType` (`Hardware`, `Software`), the volumes as `rootvolume` /
 * `uservolume` (`80 GB`) and/or `storage` (`Root:80 GB,User:50 GB`). The price
 * is in `terms.OnDemand.*.priceDimensions.*`: `unit` and `pricePerUnit`.
 */
export const PRICE_LIST_SERVICE_CODE = 'AmazonWorkSpaces';

/** WorkSpaces Personal's product family: the only one wco prices from. */
export const PERSONAL_PRODUCT_FAMILY = 'Enterprise Applications';

/** What the Price List says about a configuration that wco could not price from it, or about a row it left out. */
export const FindingKind = {
  /** Two different prices for one figure: not settled by order, the configuration is not priced. */
  AMBIGUOUS: 'AMBIGUOUS',
  /** Some of the three figures are missing. */
  INCOMPLETE: 'INCOMPLETE',
  /** The AlwaysOn price is below the AutoStop fee, or the figures are in different currencies. */
  IMPOSSIBLE: 'IMPOSSIBLE',
  /** A positive `Software` row: wco prices from `Hardware` rows only (docs/finance.md). */
  SOFTWARE_NOT_ADDED: 'SOFTWARE_NOT_ADDED',
  /** A product of WorkSpaces Personal that wco cannot read (a new attribute value, a bad price). */
  UNREADABLE: 'UNREADABLE',
} as const;
export type FindingKind = (typeof FindingKind)[keyof typeof FindingKind];

export interface PriceListFinding {
  readonly kind: FindingKind;
  /** The configuration or product: `us-east-1 STANDARD WINDOWS INCLUDED 80/50 GiB`, `SKU …`. */
  readonly subject: string;
  readonly detail: string;
}

/** The GB-Month prices of volumes grown beyond the bundle's (`bundle: Storage`). */
export interface StoragePrices {
  readonly currency: string;
  readonly rootGibMonth: Money | undefined;
  readonly userGibMonth: Money | undefined;
  readonly rootSku: string | undefined;
  readonly userSku: string | undefined;
}

export interface PriceListParse {
  /** Every configuration with all three figures, one price each. */
  readonly entries: readonly PriceEntry[];
  /** `undefined` when the answer has no usable storage product. */
  readonly storage: StoragePrices | undefined;
  readonly findings: readonly PriceListFinding[];
  /** Products read, and those left out as another product family, region or running mode (Pools). */
  readonly counts: { readonly products: number; readonly otherFamily: number; readonly otherRegion: number };
}

type Slot = 'alwaysOn' | 'fee' | 'hourly';
const SLOT_NAMES: Record<Slot, string> = {
  alwaysOn: 'AlwaysOn monthly price',
  fee: 'AutoStop monthly fee',
  hourly: 'AutoStop hourly rate',
};

interface Volumes {
  readonly rootGib: number;
  readonly userGib: number;
}

/** One priced row of a Hardware product, placed. */
interface Rate {
  readonly sku: string;
  readonly computeType: string;
  readonly plus: boolean;
  readonly os: OsFamily;
  readonly licence: Licence;
  readonly volumes: Volumes | undefined;
  readonly slot: Slot;
  readonly currency: string;
  readonly amount: Money;
}

interface StorageRate {
  readonly sku: string;
  readonly volume: 'root' | 'user';
  readonly currency: string;
  readonly amount: Money;
}

type Attributes = Readonly<Record<string, string | undefined>>;

interface Product {
  readonly product?: {
    readonly productFamily?: string;
    readonly sku?: string;
    readonly attributes?: Attributes;
  };
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

/**
 * `Graphics.g4dn-1` -> `{ computeType: 'GRAPHICS_G4DN', plus: false }`,
 * `Standard Plus-2` -> `{ computeType: 'STANDARD', plus: true }`: the bundle
 * family in the API's `ComputeTypeName` spelling, storage-variant suffix dropped.
 */
export function bundleOf(bundle: string): { computeType: string; plus: boolean } {
  const match = /^(.*?)(\s+plus)?(-\d+)?$/i.exec(bundle.trim())!;
  return {
    computeType: match[1]!.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
    plus: match[2] !== undefined,
  };
}

/**
 * The volumes of a product: `rootvolume`/`uservolume` (`"80 GB"`) first, then
 * `storage` (`Root:80 GB,User:50 GB`); `undefined` when neither gives both
 * sizes; `'conflict'` when both are there and disagree.
 */
export function volumesOf(attributes: Attributes): Volumes | undefined | 'conflict' {
  const size = (text: string | undefined) => {
    const match = /^\s*(\d+)\s*gb\s*$/i.exec(text ?? '');
    return match ? Number(match[1]) : undefined;
  };
  const root = size(attributes.rootvolume);
  const user = size(attributes.uservolume);
  const separate = root !== undefined && user !== undefined ? { rootGib: root, userGib: user } : undefined;
  const match = /root\s*:\s*(\d+)\s*gb\s*,\s*user\s*:\s*(\d+)\s*gb/i.exec(attributes.storage ?? '');
  const combined = match ? { rootGib: Number(match[1]), userGib: Number(match[2]) } : undefined;
  if (
    separate &&
    combined &&
    (separate.rootGib !== combined.rootGib || separate.userGib !== combined.userGib)
  )
    return 'conflict';
  return separate ?? combined;
}

/**
 * `operatingSystem` and `license` -> wco's OS family and licence. Amazon Linux
 * and Ubuntu say `None`, Windows Server, RHEL and Rocky `Included` (either
 * counts as wco's `INCLUDED`; a configuration listed under both with different
 * prices is ambiguous); BYOL rows say `Windows` or `Any`.
 */
const OS_FAMILIES: Readonly<Record<string, OsFamily>> = {
  windows: OsFamily.WINDOWS,
  'amazon linux': OsFamily.AMAZON_LINUX,
  'ubuntu linux': OsFamily.UBUNTU,
  'rocky linux': OsFamily.ROCKY_LINUX,
  'red hat enterprise linux': OsFamily.RHEL,
};

function osAndLicenceOf(attributes: Attributes): { os: OsFamily; licence: Licence } | undefined {
  const os = (attributes.operatingSystem ?? '').trim().toLowerCase();
  const licence = (attributes.license ?? '').trim().toLowerCase();
  if (licence === 'bring your own license')
    return os === 'windows' || os === 'any' ? { os: OsFamily.WINDOWS, licence: Licence.BYOL } : undefined;
  if (licence !== 'included' && licence !== 'none') return undefined;
  const family = Object.hasOwn(OS_FAMILIES, os) ? OS_FAMILIES[os] : undefined;
  return family === undefined ? undefined : { os: family, licence: Licence.INCLUDED };
}

type Unit = 'month' | 'hour' | 'gb-month';

function unitOf(unit: string | undefined): Unit | undefined {
  const text = (unit ?? '').trim().toLowerCase();
  if (text === 'month' || text === 'months') return 'month';
  if (text === 'hour' || text === 'hours' || text === 'hrs') return 'hour';
  if (text === 'gb-month' || text === 'gb-mo') return 'gb-month';
  return undefined;
}

interface Priced {
  readonly unit: Unit;
  readonly currency: string;
  readonly amount: Money;
}

/**
 * The positive price of a product's OnDemand dimensions. Zero dimensions are
 * ignored; two different positive ones are reported, never picked between.
 */
function priceOf(product: Product): Priced | 'zero' | { problem: string } {
  const found: Priced[] = [];
  for (const term of Object.values(product.terms?.OnDemand ?? {}))
    for (const dimension of Object.values(term.priceDimensions ?? {})) {
      const perUnit = Object.entries(dimension.pricePerUnit ?? {});
      // The USD price when there is one; a single other currency otherwise (the China offers).
      const [currency, text] =
        perUnit.find(([code]) => code === 'USD') ?? (perUnit.length === 1 ? perUnit[0]! : []);
      if (currency === undefined || text === undefined)
        return { problem: `price in ${perUnit.map(([code]) => code).join(', ') || 'no currency'}` };
      if (!/^\d+(\.\d+)?$/.test(text)) return { problem: `price "${text}" is not a decimal amount` };
      const unit = unitOf(dimension.unit);
      if (unit === undefined)
        return { problem: `unit "${dimension.unit ?? ''}" is not Month, Hour or GB-Month` };
      const amount = money(text);
      if (!amount.isZero()) found.push({ unit, currency, amount });
    }
  const [first] = found;
  if (first === undefined) return 'zero';
  if (
    found.some(
      (other) =>
        other.unit !== first.unit || other.currency !== first.currency || !other.amount.equals(first.amount),
    )
  )
    return { problem: `has ${found.length} different OnDemand prices` };
  return first;
}

const describe = (
  region: string,
  key: { computeType: string; plus: boolean; os: string; licence: string },
  volumes?: Volumes,
) =>
  `${region} ${key.computeType}${key.plus ? ' PLUS' : ''} ${key.os} ${key.licence}${
    volumes ? ` ${volumes.rootGib}/${volumes.userGib} GiB` : ''
  }`;

/**
 * One region's `GetProducts` answer (every page) -> its priced configurations,
 * the storage prices for grown volumes, and what could not be priced.
 *
 * - Only WorkSpaces Personal (`productFamily` `Enterprise Applications`) of
 *   `region` (its `regionCode`, or its `location`), running modes `AlwaysOn`
 *   and `AutoStop` (Pools and Core are left out).
 * - Prices come from `Hardware` rows only; a positive `Software` row is
 *   reported and not added (docs/finance.md, "How rows combine").
 * - `group` `User` is a monthly figure, `Usage` the hourly one; the unit must agree.
 * - The AlwaysOn price and the AutoStop fee belong to a storage pairing. The
 *   hourly rate belongs to the bundle family: a pairing without its own takes
 *   the family's (published once, on the base bundle's rows).
 * - Two different prices for one figure make the configuration ambiguous: it
 *   is reported and not priced. A configuration missing a figure is reported.
 */
export function parsePriceListProducts(documents: readonly string[], region: string): PriceListParse {
  const findings: PriceListFinding[] = [];
  const rates: Rate[] = [];
  const storageRates: StorageRate[] = [];
  const counts = { products: 0, otherFamily: 0, otherRegion: 0 };
  for (const [index, document] of documents.entries()) {
    counts.products += 1;
    let product: Product;
    try {
      product = JSON.parse(document) as Product;
    } catch {
      findings.push({ kind: FindingKind.UNREADABLE, subject: `product ${index + 1}`, detail: 'is not JSON' });
      continue;
    }
    const attributes = product.product?.attributes ?? {};
    if (product.product?.productFamily !== PERSONAL_PRODUCT_FAMILY) {
      counts.otherFamily += 1;
      continue;
    }
    if (regionOfProduct(attributes) !== region) {
      counts.otherRegion += 1;
      continue;
    }
    const sku = product.product.sku ?? attributes.sku ?? `product ${index + 1}`;
    const unreadable = (detail: string) =>
      findings.push({
        kind: FindingKind.UNREADABLE,
        subject: `SKU ${sku} (${attributes.bundle ?? 'no bundle'})`,
        detail,
      });
    const price = priceOf(product);
    if (typeof price === 'object' && 'problem' in price) {
      unreadable(price.problem);
      continue;
    }

    const licence = (attributes.license ?? '').toLowerCase();
    if (
      attributes.bundle === 'Storage' ||
      licence === 'root volume usage' ||
      licence === 'user volume usage'
    ) {
      if (price === 'zero') continue;
      if (price.unit !== 'gb-month' || (licence !== 'root volume usage' && licence !== 'user volume usage')) {
        unreadable(`storage product with unit ${price.unit} and license "${attributes.license ?? ''}"`);
        continue;
      }
      storageRates.push({
        sku,
        volume: licence.startsWith('root') ? 'root' : 'user',
        currency: price.currency,
        amount: price.amount,
      });
      continue;
    }

    const runningMode = attributes.runningMode;
    if (runningMode !== 'AlwaysOn' && runningMode !== 'AutoStop') continue;
    if (attributes.bundle === undefined || attributes.bundle.trim() === '') {
      unreadable('has no bundle');
      continue;
    }
    const bundle = bundleOf(attributes.bundle);
    const osLicence = osAndLicenceOf(attributes);
    const resourceType = attributes.resourceType ?? 'Hardware';
    if (resourceType === 'Software') {
      if (price !== 'zero')
        findings.push({
          kind: FindingKind.SOFTWARE_NOT_ADDED,
          subject: describe(region, {
            ...bundle,
            os: osLicence?.os ?? attributes.operatingSystem ?? '?',
            licence: osLicence?.licence ?? attributes.license ?? '?',
          }),
          detail: `Software row SKU ${sku}: ${price.amount.toFixed()} ${price.currency} per ${price.unit} (${runningMode}) not added to the Hardware price`,
        });
      continue;
    }
    if (resourceType !== 'Hardware') {
      unreadable(`resourceType "${resourceType}"`);
      continue;
    }
    if (price === 'zero') continue;
    if (osLicence === undefined) {
      unreadable(
        `operatingSystem "${attributes.operatingSystem ?? ''}" with license "${attributes.license ?? ''}"`,
      );
      continue;
    }
    const volumes = volumesOf(attributes);
    if (volumes === 'conflict') {
      unreadable(
        `rootvolume/uservolume ${attributes.rootvolume}/${attributes.uservolume} disagree with storage "${attributes.storage}"`,
      );
      continue;
    }
    const group = attributes.group;
    const monthly = group === undefined ? price.unit === 'month' : group === 'User';
    if (
      (group !== undefined && group !== 'User' && group !== 'Usage') ||
      (monthly ? 'month' : 'hour') !== price.unit
    ) {
      unreadable(`group "${group ?? ''}" with unit ${price.unit}`);
      continue;
    }
    if (runningMode === 'AlwaysOn' && !monthly) {
      unreadable('an hourly AlwaysOn price');
      continue;
    }
    const slot: Slot = runningMode === 'AlwaysOn' ? 'alwaysOn' : monthly ? 'fee' : 'hourly';
    if (slot !== 'hourly' && volumes === undefined) {
      unreadable(`${SLOT_NAMES[slot]} without volume sizes`);
      continue;
    }
    rates.push({
      sku,
      ...bundle,
      ...osLicence,
      volumes,
      slot,
      currency: price.currency,
      amount: price.amount,
    });
  }

  const entries = priceConfigurations(rates, region, findings);
  const storage = storagePrices(storageRates, region, findings);
  return { entries, storage, findings, counts };
}

/** The one price of a figure, or a finding when the candidates disagree. */
function single(
  candidates: readonly { sku: string; currency: string; amount: Money }[],
): { sku: string; currency: string; amount: Money } | 'ambiguous' | undefined {
  const [first] = candidates;
  if (first === undefined) return undefined;
  const differ = candidates.some(
    (candidate) => candidate.currency !== first.currency || !candidate.amount.equals(first.amount),
  );
  return differ ? 'ambiguous' : first;
}

const listCandidates = (candidates: readonly { sku: string; currency: string; amount: Money }[]) =>
  candidates
    .map((candidate) => `${candidate.amount.toFixed()} ${candidate.currency} (SKU ${candidate.sku})`)
    .join(' vs ');

function priceConfigurations(
  rates: readonly Rate[],
  region: string,
  findings: PriceListFinding[],
): PriceEntry[] {
  const groups = new Map<string, Rate[]>();
  for (const rate of rates) {
    const group = [rate.computeType, rate.plus, rate.os, rate.licence].join('|');
    groups.set(group, [...(groups.get(group) ?? []), rate]);
  }
  const entries: PriceEntry[] = [];
  for (const groupRates of groups.values()) {
    const { computeType, plus, os, licence } = groupRates[0]!;
    const pairings = new Map<string, Volumes>();
    for (const rate of groupRates)
      if (rate.volumes) pairings.set(`${rate.volumes.rootGib}/${rate.volumes.userGib}`, rate.volumes);
    const at = (volumes: Volumes, slot: Slot) =>
      groupRates.filter(
        (rate) =>
          rate.slot === slot &&
          rate.volumes?.rootGib === volumes.rootGib &&
          rate.volumes.userGib === volumes.userGib,
      );
    const familyHourly = groupRates.filter((rate) => rate.slot === 'hourly');
    for (const volumes of pairings.values()) {
      const subject = describe(region, { computeType, plus, os, licence }, volumes);
      const own = at(volumes, 'hourly');
      const candidates: Record<Slot, Rate[]> = {
        alwaysOn: at(volumes, 'alwaysOn'),
        fee: at(volumes, 'fee'),
        hourly: own.length > 0 ? own : familyHourly,
      };
      const chosen = {
        alwaysOn: single(candidates.alwaysOn),
        fee: single(candidates.fee),
        hourly: single(candidates.hourly),
      };
      const slots = Object.keys(chosen) as Slot[];
      const ambiguous = slots.filter((slot) => chosen[slot] === 'ambiguous');
      for (const slot of ambiguous)
        findings.push({
          kind: FindingKind.AMBIGUOUS,
          subject,
          detail: `${SLOT_NAMES[slot]}: ${listCandidates(candidates[slot])}`,
        });
      const missing = slots.filter((slot) => chosen[slot] === undefined);
      if (missing.length > 0)
        findings.push({
          kind: FindingKind.INCOMPLETE,
          subject,
          detail: `no ${missing.map((slot) => SLOT_NAMES[slot]).join(', no ')}`,
        });
      const { alwaysOn, fee, hourly } = chosen;
      if (typeof alwaysOn !== 'object' || typeof fee !== 'object' || typeof hourly !== 'object') continue;
      if (fee.currency !== alwaysOn.currency || hourly.currency !== alwaysOn.currency) {
        findings.push({
          kind: FindingKind.IMPOSSIBLE,
          subject,
          detail: `figures in different currencies: ${alwaysOn.currency}, ${fee.currency}, ${hourly.currency}`,
        });
        continue;
      }
      if (alwaysOn.amount.lessThan(fee.amount)) {
        findings.push({
          kind: FindingKind.IMPOSSIBLE,
          subject,
          detail: `AlwaysOn ${alwaysOn.amount.toFixed()} is below the AutoStop fee ${fee.amount.toFixed()} (SKUs ${alwaysOn.sku}, ${fee.sku})`,
        });
        continue;
      }
      entries.push({
        region,
        computeType,
        os,
        licence,
        rootGib: volumes.rootGib,
        userGib: volumes.userGib,
        plus,
        prices: {
          currency: alwaysOn.currency,
          alwaysOnMonthly: alwaysOn.amount,
          autoStopMonthlyFee: fee.amount,
          autoStopHourly: hourly.amount,
        },
        origin: {
          alwaysOnMonthly: `SKU ${alwaysOn.sku}`,
          autoStopMonthlyFee: `SKU ${fee.sku}`,
          autoStopHourly: `SKU ${hourly.sku}`,
        } satisfies PriceOrigin,
      });
    }
  }
  return entries.sort(
    (a, b) =>
      compareText(a.computeType, b.computeType) ||
      Number(a.plus) - Number(b.plus) ||
      compareText(a.os, b.os) ||
      compareText(a.licence, b.licence) ||
      a.rootGib! - b.rootGib! ||
      a.userGib! - b.userGib!,
  );
}

function storagePrices(
  rates: readonly StorageRate[],
  region: string,
  findings: PriceListFinding[],
): StoragePrices | undefined {
  const pick = (volume: 'root' | 'user') => {
    const candidates = rates.filter((rate) => rate.volume === volume);
    const chosen = single(candidates);
    if (chosen === 'ambiguous')
      findings.push({
        kind: FindingKind.AMBIGUOUS,
        subject: `${region} ${volume} volume storage`,
        detail: `GB-Month price: ${listCandidates(candidates)}`,
      });
    return typeof chosen === 'object' ? chosen : undefined;
  };
  const root = pick('root');
  const user = pick('user');
  if (root === undefined && user === undefined) return undefined;
  if (root !== undefined && user !== undefined && root.currency !== user.currency) {
    findings.push({
      kind: FindingKind.IMPOSSIBLE,
      subject: `${region} volume storage`,
      detail: `root and user GB-Month prices in different currencies: ${root.currency}, ${user.currency}`,
    });
    return undefined;
  }
  return {
    currency: (root ?? user)!.currency,
    rootGibMonth: root?.amount,
    userGibMonth: user?.amount,
    rootSku: root?.sku,
    userSku: user?.sku,
  };
}
