import type { Command } from 'commander';
import { z } from 'zod';
import type { PriceListingSource } from '../compose/price-listing.js';
import { loadPriceListing } from '../compose/price-listing.js';
import { homeRegion, regionFromEnv } from '../config/home-region.js';
import { parseSettings, UsageError } from '../config/settings.js';
import { Licence, OsFamily } from '../ports/price-key.js';
import { PriceFileError } from '../pricing/price-file.js';
import { errorMessage } from '../shared/errors.js';
import type { CliIo } from './io.js';
import { ExitCode } from './io.js';
import { formatPriceListing, listingNotes, PricesFormat } from './price-listing-format.js';

/** Raw option values as commander hands them over. */
export interface PricesCommandOptions {
  readonly region?: string | undefined;
  readonly os?: string | undefined;
  readonly licence?: string | undefined;
  readonly computeType?: string | undefined;
  readonly priceList?: boolean | undefined;
  readonly prices?: string | undefined;
  readonly record?: string | undefined;
  readonly format?: string | undefined;
}

const upper = <T extends Record<string, string>>(values: T) =>
  z
    .string()
    .trim()
    .toUpperCase()
    .pipe(
      z.enum(values as unknown as Record<string, T[keyof T]>, {
        error: `must be one of ${Object.values(values).join(', ')}`,
      }),
    );

const pricesOptionsSchema = z
  .object({
    '--region': z
      .string({ error: 'set --region or AWS_REGION' })
      .trim()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region name like us-east-1'),
    '--os': upper(OsFamily).optional(),
    '--licence': upper(Licence).optional(),
    '--compute-type': z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9_]+$/, 'must be a compute type like STANDARD')
      .optional(),
    '--price-list': z.boolean().optional(),
    '--prices': z.string().trim().min(1, 'must name a price file').optional(),
    '--record': z.string().trim().min(1, 'must name a folder').optional(),
    '--format': z
      .enum(Object.values(PricesFormat) as [PricesFormat, ...PricesFormat[]], {
        error: `must be ${Object.values(PricesFormat).join(', ')}`,
      })
      .default(PricesFormat.TABLE),
  })
  .refine((options) => !(options['--price-list'] && options['--prices'] !== undefined), {
    path: ['--prices'],
    message: 'give either --price-list or --prices FILE, not both',
  })
  .refine((options) => options['--record'] === undefined || options['--prices'] === undefined, {
    path: ['--record'],
    message: 'records what the AWS Price List answers: it goes with --price-list, not --prices',
  });

/**
 * `wco prices`: the prices wco would use in a region, per compute type, OS,
 * licence and volume sizes, with their break-even hours and where each figure
 * comes from, so an operator can check them against the AWS pricing page.
 * `--record DIR` saves the Price List's raw answer (a test fixture as it is).
 * Exit 1 when the Price List cannot be asked, 2 for bad input or a bad file.
 */
export async function pricesCommand(raw: PricesCommandOptions, io: CliIo): Promise<ExitCode> {
  const options = parseSettings(pricesOptionsSchema, {
    '--region': raw.region ?? regionFromEnv(io.env),
    '--os': raw.os,
    '--licence': raw.licence,
    '--compute-type': raw.computeType,
    '--price-list': raw.priceList,
    '--prices': raw.prices,
    '--record': raw.record,
    '--format': raw.format,
  });
  const source: PriceListingSource =
    options['--prices'] === undefined
      ? { kind: 'price-list', recordTo: options['--record'] }
      : { kind: 'file', file: options['--prices'], s3Region: homeRegion(io.env) };
  const askedAt = io.now();
  let listing;
  try {
    listing = await loadPriceListing(options['--region'], source, { env: io.env, now: () => askedAt });
  } catch (error) {
    if (error instanceof PriceFileError) throw new UsageError(`--prices: ${error.message}`, { cause: error });
    io.stderr.write(`wco prices: the AWS Price List could not be asked: ${errorMessage(error)}\n`);
    return ExitCode.RUN_FAILED;
  }
  const wanted = listing.entries.filter(
    (entry) =>
      (options['--os'] === undefined || entry.os === options['--os']) &&
      (options['--licence'] === undefined || entry.licence === options['--licence']) &&
      (options['--compute-type'] === undefined || entry.computeType === options['--compute-type']),
  );
  const shown = { ...listing, entries: wanted };
  io.stdout.write(formatPriceListing(shown, options['--format'], askedAt));
  if (options['--format'] !== PricesFormat.TABLE)
    for (const note of listingNotes(shown)) io.stderr.write(`wco prices: ${note}\n`);
  return ExitCode.OK;
}

/** Adds `wco prices` to the CLI; the Price List is asked on the default credential chain. */
export function registerPricesCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: ExitCode) => void,
): Command {
  return program
    .command('prices')
    .description(
      'show the prices wco would use in a region, with break-even hours and the source of each figure',
    )
    .option('--region <region>', 'the region, like us-east-1 (default AWS_REGION)')
    .option('--os <family>', `only this OS family: ${Object.values(OsFamily).join(', ')}`)
    .option('--licence <licence>', `only this licence: ${Object.values(Licence).join(', ')}`)
    .option('--compute-type <type>', 'only this compute type, like STANDARD')
    .option('--price-list', 'ask the AWS Price List (the default)')
    .option('--prices <file>', 'read this price file instead (CSV or JSON, a path or s3://bucket/key)')
    .option('--record <folder>', "save the Price List's raw answer there as get-products_<region>.json")
    .option('--format <format>', `${Object.values(PricesFormat).join(', ')} (default table)`)
    .action(async (options: PricesCommandOptions) => {
      setExitCode(await pricesCommand(options, io));
    });
}
