import { ConversionLedger } from '../app/ledger/conversion-ledger.js';
import type { ReplayDependencies } from '../app/replay/replay.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { SimulatedHistorySource } from '../simulated/index.js';
import { LocalFolderStore } from '../store/local-folder-store.js';
import { MemoryDocumentStore } from '../store/memory-document-store.js';
import { priceCatalog } from './setup-dependencies.js';
import type { ReplayTarget, SetupConfig } from './targets.js';

/** What a replay is wired to. */
export interface ReplaySetup extends Pick<ReplayDependencies, 'history' | 'ledgerStore' | 'ledger'> {
  /** Where `replay.csv` and `replay.html` are written: the output folder. */
  readonly output: ObjectStore;
  /** Prices as of `asOf` (the file, or the Price List's month). */
  readonly priceCatalog: (asOf: Date) => Promise<PriceCatalog | undefined>;
}

/**
 * The adapters of `wco replay`: the simulated history or the AWS one (the SDK
 * loaded only then), an empty in-memory store for each replayed ledger, the
 * deployment's ledger for the starting modes, the output folder, the prices.
 */
export async function setupReplayDependencies(
  target: ReplayTarget,
  config: SetupConfig,
): Promise<ReplaySetup> {
  const output = new LocalFolderStore(target.outDir);
  const ledgerStore = () => new MemoryDocumentStore();
  if (target.kind === 'demo')
    return {
      history: new SimulatedHistorySource({ seed: target.seed, count: target.count }),
      ledgerStore,
      output,
      priceCatalog: (asOf) => priceCatalog(output, asOf, config),
    };
  const aws = await (await import('./aws.js')).awsReplayDependencies(target, config);
  return {
    history: aws.history,
    ledgerStore,
    ledger: new ConversionLedger(aws.deployedStore ?? output),
    output,
    // The Price List's monthly cache goes to the output folder: a replay writes nothing in AWS.
    priceCatalog: (asOf) => priceCatalog(output, asOf, config, aws.clients),
  };
}
