import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { money } from '../billing/index.js';
import type { PriceEntry } from './price-table.js';
import { configurationKey } from './price-table.js';
import { Licence, OsFamily } from '../ports/price-key.js';
import { ErrorDisposition, WcoError } from '../shared/errors.js';

/**
 * The operator's price file: CSV (header below, `#` comment lines allowed) or
 * JSON (`{ "prices": [ { <the same keys> } ] }`). One row per configuration;
 * `*` (or blank) as a volume size matches any size. Money is decimal text.
 * The optional `plus` column marks Plus bundles.
 */
export const PRICE_FILE_COLUMNS = [
  'region',
  'compute_type',
  'os',
  'licence',
  'root_gib',
  'user_gib',
  'alwayson_monthly',
  'autostop_monthly_fee',
  'autostop_hourly',
  'currency',
] as const;

/** Columns a file may leave out: blank when absent. */
export const OPTIONAL_PRICE_FILE_COLUMNS = ['plus'] as const;

/**
 * Columns `wco prices --format csv` adds for people; a price file may carry
 * them (so that output is a price file as it is), and they are not read.
 */
export const INFORMATIONAL_PRICE_FILE_COLUMNS = [
  'break_even_hours',
  'table_threshold_hours',
  'alwayson_monthly_source',
  'autostop_monthly_fee_source',
  'autostop_hourly_source',
] as const;

export const PriceFileFormat = { CSV: 'csv', JSON: 'json' } as const;
export type PriceFileFormat = (typeof PriceFileFormat)[keyof typeof PriceFileFormat];

/** A price file that cannot be used: every bad row, each named by its line (CSV) or entry (JSON). */
export class PriceFileError extends WcoError {
  override readonly name = 'PriceFileError';
  override readonly disposition = ErrorDisposition.BAD_INPUT;
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`price file ${file} is not valid:\n  ${problems.join('\n  ')}`, options);
  }
}

const text = z.union([z.string(), z.number()]).transform((value) => String(value).trim());
const amount = text.pipe(
  z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal amount like 9.75'),
);
const volume = z
  .union([z.string(), z.number(), z.undefined(), z.null()])
  .transform((value) => (value === undefined || value === null ? '' : String(value).trim()))
  .pipe(
    z
      .string()
      .regex(/^(\d+|\*|)$/, 'must be a whole number of GiB, or * for any size')
      .transform((value) => (value === '' || value === '*' ? undefined : Number(value))),
  );
const yesNo = z
  .union([z.string(), z.boolean(), z.undefined(), z.null()])
  .transform((value) => (value === undefined || value === null ? '' : String(value).trim().toLowerCase()))
  .pipe(
    z
      .enum(['', 'yes', 'no', 'true', 'false'], 'must be yes or no (or blank for no)')
      .transform((value) => value === 'yes' || value === 'true'),
  );
const upperEnum = <T extends Record<string, string>>(values: T, example: string) =>
  text
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(values as unknown as Record<string, T[keyof T]>, `must be one of ${example}`));

const priceRow = z.object({
  region: text.pipe(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be a region like us-east-1')),
  compute_type: text
    .transform((value) => value.toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9_.]+$/, 'must be a compute type like STANDARD')),
  os: upperEnum(OsFamily, Object.values(OsFamily).join(', ')),
  licence: upperEnum(Licence, Object.values(Licence).join(', ')),
  root_gib: volume,
  user_gib: volume,
  alwayson_monthly: amount,
  autostop_monthly_fee: amount,
  autostop_hourly: amount,
  currency: text
    .transform((value) => value.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code like USD')),
  plus: yesNo.optional().transform((plus) => plus === true),
});

interface NumberedRow {
  /** `line 7` or `entry 3`. */
  readonly where: string;
  readonly row: unknown;
}

/**
 * Parses and validates a whole price file. Throws `PriceFileError` listing
 * every bad row (by line), every impossible one (an AlwaysOn price below the
 * AutoStop fee: AutoStop would cost more at any usage, a negative break-even)
 * and every repeated configuration, or naming the file when it has no rows;
 * returns nothing partial, so a bad file never prices half a fleet.
 * @example parsePriceFile('region,compute_type,...\nus-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD', 'prices.csv')
 */
export function parsePriceFile(body: string, file: string, format = formatOf(file, body)): PriceEntry[] {
  const rows = format === PriceFileFormat.JSON ? jsonRows(body, file) : csvRows(body, file);
  if (rows.length === 0)
    throw new PriceFileError(file, [
      'has no price rows: it would price nothing (remove the setting instead)',
    ]);
  const problems: string[] = [];
  const entries: PriceEntry[] = [];
  const seen = new Map<string, string>();
  for (const { where, row } of rows) {
    if (typeof row === 'object' && row !== null && 'fieldCount' in row) {
      problems.push(`${where}: ${String(row.fieldCount)}`);
      continue;
    }
    const parsed = priceRow.safeParse(row);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'} ${issue.message}`);
      problems.push(`${where}: ${issues.join('; ')}`);
      continue;
    }
    const value = parsed.data;
    const alwaysOn = money(value.alwayson_monthly);
    const fee = money(value.autostop_monthly_fee);
    if (alwaysOn.lessThan(fee)) {
      problems.push(
        `${where}: alwayson_monthly ${value.alwayson_monthly} is below autostop_monthly_fee ${value.autostop_monthly_fee}, so AutoStop would cost more at any usage (a negative break-even); are the columns swapped?`,
      );
      continue;
    }
    const key = [
      configurationKey(value.region, value.compute_type, value.os, value.licence, value.plus),
      value.root_gib ?? '*',
      value.user_gib ?? '*',
    ].join('|');
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(`${where}: repeats the configuration of ${earlier}`);
      continue;
    }
    seen.set(key, where);
    entries.push({
      region: value.region,
      computeType: value.compute_type,
      os: value.os,
      licence: value.licence,
      rootGib: value.root_gib,
      userGib: value.user_gib,
      plus: value.plus,
      prices: {
        currency: value.currency,
        alwaysOnMonthly: alwaysOn,
        autoStopMonthlyFee: fee,
        autoStopHourly: money(value.autostop_hourly),
      },
      origin: originAt(`${file} ${where}`),
    });
  }
  if (problems.length > 0) throw new PriceFileError(file, problems);
  return entries;
}

/** `.json` files, or a body that starts with `{` or `[`, are JSON; everything else CSV. */
export function formatOf(file: string, body: string): PriceFileFormat {
  if (/\.json$/i.test(file) || /^\s*[[{]/.test(body)) return PriceFileFormat.JSON;
  return PriceFileFormat.CSV;
}

function csvRows(body: string, file: string): NumberedRow[] {
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    // Arrays, not objects: a row with too few or too many fields is one bad line, not a failed file.
    records = parse(body, {
      comment: '#',
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
      raw: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    const where = lines === undefined ? '' : `line ${lines}: `;
    throw new PriceFileError(file, [`${where}${(error as Error).message}`], { cause: error });
  }
  const [header, ...rows] = records;
  if (header === undefined) throw new PriceFileError(file, ['is empty: it needs a header and rows']);
  const columns = checkedHeader(
    header.record.map((name) => name.toLowerCase()),
    file,
  );
  return rows.map(({ record, info, raw }) => {
    // `info.lines` is the record's last line; a quoted line break makes it span more.
    const where = `line ${info.lines - (raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0)}`;
    if (record.length !== columns.length)
      return { where, row: { fieldCount: `has ${record.length} fields, the header has ${columns.length}` } };
    return { where, row: Object.fromEntries(columns.map((column, index) => [column, record[index]])) };
  });
}

const originAt = (where: string) => ({
  alwaysOnMonthly: where,
  autoStopMonthlyFee: where,
  autoStopHourly: where,
});

function checkedHeader(header: string[], file: string): string[] {
  const known: readonly string[] = [
    ...PRICE_FILE_COLUMNS,
    ...OPTIONAL_PRICE_FILE_COLUMNS,
    ...INFORMATIONAL_PRICE_FILE_COLUMNS,
  ];
  const missing = PRICE_FILE_COLUMNS.filter((column) => !header.includes(column));
  const unknown = header.filter((column) => !known.includes(column));
  if (missing.length > 0 || unknown.length > 0) {
    const problems = [
      ...(missing.length > 0 ? [`header: missing column(s) ${missing.join(', ')}`] : []),
      ...(unknown.length > 0 ? [`header: unknown column(s) ${unknown.join(', ')}`] : []),
    ];
    throw new PriceFileError(file, [
      ...problems,
      `header must be: ${PRICE_FILE_COLUMNS.join(',')} (optionally also ${OPTIONAL_PRICE_FILE_COLUMNS.join(',')})`,
    ]);
  }
  return header;
}

function jsonRows(body: string, file: string): NumberedRow[] {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    throw new PriceFileError(file, [`not valid JSON: ${(error as Error).message}`], { cause: error });
  }
  const list = Array.isArray(document) ? document : (document as { prices?: unknown } | null)?.prices;
  if (!Array.isArray(list))
    throw new PriceFileError(file, ['must be an array of prices or an object with a "prices" array']);
  return list.map((row, index) => ({ where: `entry ${index + 1} (prices[${index}])`, row }));
}
