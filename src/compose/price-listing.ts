import { monthOf } from '../billing/index.js';
import type { PriceSource } from '../ports/price-catalog.js';
import { PriceSource as PriceSources } from '../ports/price-catalog.js';
import { loadPriceFile } from '../pricing/load-price-file.js';
import type { PriceListFinding, StoragePrices } from '../pricing/price-list-products.js';
import { formatRecording, recordingFileName } from '../pricing/price-list-recording.js';
import type { PriceEntry } from '../pricing/price-table.js';
import { parseS3Location } from '../shared/s3-location.js';
import { LocalFolderStore } from '../store/local-folder-store.js';
import type { SetupConfig } from './targets.js';

/** Where `wco prices` reads: the AWS Price List (optionally recording its answer), or a price file. */
export type PriceListingSource =
  | { readonly kind: 'price-list'; readonly recordTo?: string | undefined }
  | { readonly kind: 'file'; readonly file: string; readonly s3Region: string };

/** What one source prices in one region, and what it could not price. */
export interface PriceListing {
  readonly region: string;
  readonly source: PriceSource;
  readonly entries: readonly PriceEntry[];
  /** GB-Month prices for grown volumes (Price List only). */
  readonly storage: StoragePrices | undefined;
  readonly findings: readonly PriceListFinding[];
  /** The recording's path, with `recordTo`. */
  readonly recorded: string | undefined;
}

/**
 * The prices of `region` from one source, for a person to check (`wco prices`).
 * Rejects with `PriceFileError` for a bad file, and with the service's error
 * when the Price List cannot be asked. The Price List is always asked (the
 * run's monthly cache is neither read nor written).
 */
export async function loadPriceListing(
  region: string,
  source: PriceListingSource,
  config: SetupConfig & { readonly now: () => Date },
): Promise<PriceListing> {
  if (source.kind === 'file') {
    const aws = parseS3Location(source.file) === undefined ? undefined : await loadAws();
    const table = await loadPriceFile(source.file, aws?.awsPriceFileOpener(config, source.s3Region));
    return {
      region,
      source: PriceSources.FILE,
      entries: table.entries().filter((entry) => entry.region === region),
      storage: undefined,
      findings: [],
      recorded: undefined,
    };
  }
  let recorded: string | undefined;
  const folder = source.recordTo === undefined ? undefined : new LocalFolderStore(source.recordTo);
  const priceList = (await loadAws()).awsPriceListFor(config, {
    month: monthOf(config.now()),
    now: config.now,
    record:
      folder &&
      (async (recording) => {
        const name = recordingFileName(recording.region);
        await folder.put(name, formatRecording(recording));
        recorded = folder.locate(name);
      }),
  });
  const table = await priceList.table(region);
  return {
    region,
    source: PriceSources.PRICE_LIST,
    entries: table.entries,
    storage: table.storage,
    findings: table.findings,
    recorded,
  };
}

/** The SDK is loaded only when AWS is asked. */
const loadAws = () => import('./aws.js');
