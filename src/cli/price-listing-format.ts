import { breakEvenHours, fellBack, formatRate, resolveThreshold, thresholdPolicy } from '../billing/index.js';
import type { PriceListing } from '../compose/price-listing.js';
import { PriceSource } from '../ports/price-catalog.js';
import type { PriceListFinding } from '../pricing/price-list-products.js';
import {
  INFORMATIONAL_PRICE_FILE_COLUMNS,
  OPTIONAL_PRICE_FILE_COLUMNS,
  PRICE_FILE_COLUMNS,
} from '../pricing/price-file.js';
import type { PriceEntry } from '../pricing/price-table.js';
import { cellsToCsv } from '../report/csv.js';
import { textTable } from '../shared/text-table.js';

export const PricesFormat = { TABLE: 'table', CSV: 'csv', JSON: 'json' } as const;
export type PricesFormat = (typeof PricesFormat)[keyof typeof PricesFormat];

/** One priced configuration as `wco prices` shows it. */
interface ListedPrice {
  readonly entry: PriceEntry;
  /** `floor((AlwaysOn - fee) / hourly)`; `undefined` with no hourly rate. */
  readonly breakEvenHours: number | undefined;
  /** What wco's threshold table says for the compute type; `undefined` when it has none. */
  readonly tableHours: number | undefined;
}

function listed(entry: PriceEntry): ListedPrice {
  const policy = thresholdPolicy();
  const threshold = resolveThreshold(policy, entry.computeType);
  return {
    entry,
    breakEvenHours: breakEvenHours(entry.prices),
    tableHours: fellBack(policy, entry.computeType, threshold) ? undefined : threshold.hours,
  };
}

const volume = (gib: number | undefined) => (gib === undefined ? '*' : String(gib));
const text = (value: number | undefined) => (value === undefined ? '' : String(value));

/** The same origin three times (a file's line) once; the Price List's SKUs one per figure. */
function sourceText(entry: PriceEntry): string {
  const origin = entry.origin;
  if (origin === undefined) return '';
  const figures = [origin.alwaysOnMonthly, origin.autoStopMonthlyFee, origin.autoStopHourly];
  return new Set(figures).size === 1 ? figures[0]! : figures.join(' / ');
}

const findingLine = (finding: PriceListFinding) => `${finding.kind} ${finding.subject}: ${finding.detail}`;

/**
 * `wco prices`: one row per priced configuration with its break-even, for a
 * person (`table`, then storage prices and what was not priced), a
 * spreadsheet or another wco (`csv`: a price file as it is, plus columns it
 * ignores) or a program (`json`).
 */
export function formatPriceListing(listing: PriceListing, format: PricesFormat, askedAt: Date): string {
  const rows = listing.entries.map(listed);
  switch (format) {
    case PricesFormat.JSON:
      return `${JSON.stringify(
        {
          region: listing.region,
          source: listing.source,
          asked_at: askedAt.toISOString(),
          prices: rows.map(({ entry, breakEvenHours: breakEven, tableHours }) => ({
            compute_type: entry.computeType,
            plus: entry.plus,
            os: entry.os,
            licence: entry.licence,
            root_gib: entry.rootGib ?? null,
            user_gib: entry.userGib ?? null,
            currency: entry.prices.currency,
            alwayson_monthly: formatRate(entry.prices.alwaysOnMonthly),
            autostop_monthly_fee: formatRate(entry.prices.autoStopMonthlyFee),
            autostop_hourly: formatRate(entry.prices.autoStopHourly),
            break_even_hours: breakEven ?? null,
            table_threshold_hours: tableHours ?? null,
            sources: entry.origin ?? null,
          })),
          storage: listing.storage && {
            currency: listing.storage.currency,
            root_gib_month: listing.storage.rootGibMonth && formatRate(listing.storage.rootGibMonth),
            user_gib_month: listing.storage.userGibMonth && formatRate(listing.storage.userGibMonth),
            root_sku: listing.storage.rootSku,
            user_sku: listing.storage.userSku,
          },
          findings: listing.findings,
        },
        null,
        2,
      )}\n`;
    case PricesFormat.CSV:
      return cellsToCsv(
        [...PRICE_FILE_COLUMNS, ...OPTIONAL_PRICE_FILE_COLUMNS, ...INFORMATIONAL_PRICE_FILE_COLUMNS],
        rows.map(({ entry, breakEvenHours: breakEven, tableHours }) => [
          entry.region,
          entry.computeType,
          entry.os,
          entry.licence,
          volume(entry.rootGib),
          volume(entry.userGib),
          formatRate(entry.prices.alwaysOnMonthly),
          formatRate(entry.prices.autoStopMonthlyFee),
          formatRate(entry.prices.autoStopHourly),
          entry.prices.currency,
          entry.plus ? 'yes' : '',
          text(breakEven),
          text(tableHours),
          entry.origin?.alwaysOnMonthly ?? '',
          entry.origin?.autoStopMonthlyFee ?? '',
          entry.origin?.autoStopHourly ?? '',
        ]),
      );
    case PricesFormat.TABLE:
      return tableText(listing, rows, askedAt);
  }
}

function tableText(listing: PriceListing, rows: readonly ListedPrice[], askedAt: Date): string {
  const from =
    listing.source === PriceSource.PRICE_LIST
      ? `the AWS Price List (AmazonWorkSpaces, WorkSpaces Personal list prices), asked ${askedAt.toISOString()}`
      : 'the price file';
  const lines = [`Prices in ${listing.region} from ${from}: ${rows.length} configuration(s)`];
  if (rows.length > 0)
    lines.push(
      textTable(
        [
          'COMPUTE TYPE',
          'OS',
          'LICENCE',
          'ROOT/USER GiB',
          'CURRENCY',
          'ALWAYSON',
          'AUTOSTOP FEE',
          'HOURLY',
          'BREAK-EVEN H',
          'TABLE H',
          'SOURCE',
        ],
        rows.map(({ entry, breakEvenHours: breakEven, tableHours }) => [
          `${entry.computeType}${entry.plus ? ' PLUS' : ''}`,
          entry.os,
          entry.licence,
          `${volume(entry.rootGib)}/${volume(entry.userGib)}`,
          entry.prices.currency,
          formatRate(entry.prices.alwaysOnMonthly),
          formatRate(entry.prices.autoStopMonthlyFee),
          formatRate(entry.prices.autoStopHourly),
          breakEven === undefined ? '-' : String(breakEven),
          tableHours === undefined ? '-' : String(tableHours),
          sourceText(entry),
        ]),
      ).trimEnd(),
    );
  const storage = listing.storage;
  if (storage) {
    const part = (name: string, price: typeof storage.rootGibMonth, sku: string | undefined) =>
      price === undefined ? `${name} not priced` : `${name} ${formatRate(price)} (SKU ${sku})`;
    lines.push(
      `Grown volumes, ${storage.currency} per GiB-month: ${part('root', storage.rootGibMonth, storage.rootSku)}, ${part('user', storage.userGibMonth, storage.userSku)}`,
    );
  }
  if (listing.findings.length > 0) {
    lines.push(`Not priced or not added: ${listing.findings.length}`);
    for (const finding of listing.findings) lines.push(`  ${findingLine(finding)}`);
  }
  lines.push(
    'BREAK-EVEN H = floor((ALWAYSON - AUTOSTOP FEE) / HOURLY): above it AlwaysOn is cheaper. TABLE H = the threshold wco uses without prices.',
  );
  if (listing.recorded !== undefined) lines.push(`Recorded the Price List's answer in ${listing.recorded}`);
  return `${lines.join('\n')}\n`;
}

/** For `csv` and `json` output: what goes to stderr so stdout stays machine-readable. */
export function listingNotes(listing: PriceListing): string[] {
  return [
    ...listing.findings.map((finding) => `not priced: ${findingLine(finding)}`),
    ...(listing.recorded === undefined ? [] : [`recorded the Price List's answer in ${listing.recorded}`]),
  ];
}
