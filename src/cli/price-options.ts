import { fileURLToPath } from 'node:url';
import type { Log } from '../app/logger.js';
import type { RunTarget } from '../app/setup-dependencies.js';
import { buildPriceCatalog } from '../pricing/build-price-catalog.js';
import type { BucketOpener } from '../pricing/load-price-file.js';
import { parseS3Location } from '../pricing/load-price-file.js';
import type { PriceCatalog } from '../pricing/price-catalog.js';
import { PriceFileError } from '../pricing/price-file.js';
import { monthOf } from '../report/keys.js';
import type { ObjectStore } from '../store/object-store.js';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

/** The illustrative sample prices shipped with wco (data/sample-prices.csv), from src/cli or dist/cli. */
export const SAMPLE_PRICE_FILE = fileURLToPath(new URL('../../data/sample-prices.csv', import.meta.url));

/** The Price List Query API answers in us-east-1 (also eu-central-1 and ap-south-1). */
const PRICE_LIST_REGION = 'us-east-1';

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
  const needsS3 = priceFile !== undefined && parseS3Location(priceFile) !== undefined;
  const aws = needsS3 || flags.priceList ? await import('../aws/clients.js') : undefined;
  const openBucket: BucketOpener | undefined = aws
    ? async (bucket) => {
        const { S3ObjectStore } = await import('../aws/s3-object-store.js');
        const region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? PRICE_LIST_REGION;
        return new S3ObjectStore(
          aws.createAwsClients(region, { customEndpoint: aws.hasCustomEndpoint(io.env) }).s3,
          bucket,
        );
      }
    : undefined;
  const priceList = flags.priceList
    ? {
        client: new (await import('@aws-sdk/client-pricing')).PricingClient({ region: PRICE_LIST_REGION }),
        month: monthOf(asOf),
        cache: store,
      }
    : undefined;
  try {
    return await buildPriceCatalog({ priceFile, openBucket, priceList, log });
  } catch (error) {
    if (error instanceof PriceFileError) throw new UsageError(`--prices: ${error.message}`);
    throw error;
  }
}
