import { fileURLToPath } from 'node:url';
import type { Log } from '../shared/log.js';
import type { RunTarget } from '../app/setup-dependencies.js';
import { buildPriceCatalog } from '../pricing/build-price-catalog.js';
import { parseS3Location } from '../shared/s3-location.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { PriceFileError } from '../pricing/price-file.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

/** The illustrative sample prices shipped with wco (data/sample-prices.csv), from src/cli or dist/cli. */
export const SAMPLE_PRICE_FILE = fileURLToPath(new URL('../../data/sample-prices.csv', import.meta.url));

export interface PriceFlags {
  readonly prices?: string | undefined;
  readonly priceList?: boolean | undefined;
}

/**
 * The run's prices from `--prices` and `--price-list`; the demo uses the
 * sample prices unless `--prices` names another file. A bad price file is a
 * usage error (exit 2), raised before anything is written.
 */
export async function priceCatalogForRun(
  flags: PriceFlags,
  target: RunTarget,
  store: ObjectStore,
  asOf: Date,
  io: CliIo,
  log?: Log,
): Promise<PriceCatalog | undefined> {
  if (flags.priceList && target.kind === 'demo')
    throw new UsageError('--price-list asks AWS: it is for AWS runs, not --demo');
  const priceFile = flags.prices ?? (target.kind === 'demo' ? SAMPLE_PRICE_FILE : undefined);
  const needsAws =
    flags.priceList === true || (priceFile !== undefined && parseS3Location(priceFile) !== undefined);
  // The AWS module (and the SDK) is loaded only when a source needs it, so the demo never pulls it in.
  const build = async () => {
    if (!needsAws) return buildPriceCatalog({ priceFile, log });
    const [{ buildAwsPriceCatalog, PRICE_LIST_REGION }, { hasCustomEndpoint }] = await Promise.all([
      import('../aws/aws-price-catalog.js'),
      import('../aws/clients.js'),
    ]);
    return buildAwsPriceCatalog({
      priceFile,
      priceList: flags.priceList === true,
      cache: store,
      asOf,
      s3Region: io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? PRICE_LIST_REGION,
      clientOptions: { customEndpoint: hasCustomEndpoint(io.env) },
      log,
    });
  };
  try {
    return await build();
  } catch (error) {
    if (error instanceof PriceFileError) throw new UsageError(`--prices: ${error.message}`);
    throw error;
  }
}
