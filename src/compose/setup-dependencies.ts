import type { AwsClientsFor } from '../aws/clients.js';
import { LocalAuditEventSink } from '../audit/local-audit-event-sink.js';
import { writeDemoAudit } from '../audit/write-demo-audit.js';
import type { ObjectStore, StreamingObjectStore } from '../ports/object-store.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { buildPriceCatalog } from '../pricing/build-price-catalog.js';
import { PriceFileError } from '../pricing/price-file.js';
import { ConversionLedger } from '../app/ledger/conversion-ledger.js';
import { RemovalStatus, UnusedLedger } from '../app/unused/unused-ledger.js';
import { LedgerStatus } from '../app/ledger/ledger-entry.js';
import { monthOf, previousMonthStartUtc } from '../billing/index.js';
import { compareText } from '../shared/compare-text.js';
import type { DocumentStore } from '../ports/document-store.js';
import { StoredReports } from '../report/stored-reports.js';
import { ErrorDisposition, WcoError } from '../shared/errors.js';
import { parseS3Location } from '../shared/s3-location.js';
import { DEFAULT_SIMULATED_ACCOUNT, DEMO_ACCOUNTS, SimulatedFleet } from '../simulated/index.js';
import { LocalFolderStore } from '../store/local-folder-store.js';
import type { RunDependencies, RunTarget, SetupConfig, StoreDependencies, StoreTarget } from './targets.js';

/** The price file a setting names cannot be read or is not valid: the run stops before anything is written. */
export class PriceFileConfigError extends WcoError {
  override readonly name = 'PriceFileConfigError';
  override readonly disposition = ErrorDisposition.BAD_INPUT;
  constructor(setting: string, cause: PriceFileError) {
    super(`${setting}: ${cause.message}`, { cause });
  }
}

/**
 * The one place that picks the adapters, for every entry point: the simulated
 * fleet and a folder (`wco run --demo`), AWS (`wco run`, the optimizer Lambda),
 * or just a store of reports (`wco report`, `wco audit`, the audit Lambda).
 */
export function setupDependencies(target: RunTarget, config: SetupConfig): Promise<RunDependencies>;
export function setupDependencies(target: StoreTarget, config: SetupConfig): Promise<StoreDependencies>;
export async function setupDependencies(
  target: RunTarget | StoreTarget,
  config: SetupConfig,
): Promise<RunDependencies | StoreDependencies> {
  switch (target.kind) {
    case 'folder':
      return storeDependencies(new LocalFolderStore(target.folder));
    case 'bucket':
      return storeDependencies(await (await loadAws()).awsBucketStore(target, config));
    case 'aws': {
      const aws = await (await loadAws()).awsRunDependencies(target, config);
      return { ...aws, priceCatalog: (asOf) => priceCatalog(aws.store, asOf, config, aws.clients) };
    }
    case 'demo': {
      const fleet = SimulatedFleet.generate({
        seed: target.seed,
        asOf: target.asOf,
        accounts: DEMO_ACCOUNTS,
      });
      const store = new LocalFolderStore(target.outDir);
      await restoreConversions(fleet, new ConversionLedger(store), target.asOf);
      await restoreRemovals(fleet, new UnusedLedger(store), target.asOf);
      return {
        fleet,
        switcher: fleet,
        unused: fleet,
        // The demo's ledger lives in the output folder, next to its reports.
        ...storeDependencies(store),
        // Conversions and runs reach the local audit trail the way EventBridge would deliver them.
        events: new LocalAuditEventSink(store, {
          account: DEFAULT_SIMULATED_ACCOUNT,
          region: fleet.regions[0]!,
        }),
        account: DEFAULT_SIMULATED_ACCOUNT,
        accountFleets: () =>
          Promise.resolve(
            fleet.accounts.map((account) => ({
              account,
              fleet: fleet.ofAccount(account),
              switcher: fleet,
              unused: fleet,
            })),
          ),
        priceCatalog: (asOf) => priceCatalog(store, asOf, config),
        recordSimulatedLogins: async () => {
          await writeDemoAudit(store, fleet.list(), target.asOf);
        },
      };
    }
  }
}

/**
 * The simulated fleet is generated in its starting modes every time; the
 * conversions earlier demo runs applied (this month's and last month's, from
 * the ledger in the output folder) are put back, as the real service keeps them.
 */
async function restoreConversions(
  fleet: SimulatedFleet,
  ledger: ConversionLedger,
  asOf: Date,
): Promise<void> {
  const months = [monthOf(previousMonthStartUtc(asOf)), monthOf(asOf)];
  for (const month of months) {
    const { entries } = await ledger.entriesOfMonth(month);
    const applied = entries
      .filter((entry) => entry.status === LedgerStatus.APPLIED && new Date(entry.asOf) <= asOf)
      .sort((a, b) => compareText(a.asOf, b.asOf));
    for (const entry of applied) fleet.restoreMode(entry.workspaceId, entry.toMode, entry.idleTimeoutMinutes);
  }
}

/** The removals of unused WorkSpaces earlier demo runs made (up to `asOf`), put back like the conversions. */
async function restoreRemovals(fleet: SimulatedFleet, ledger: UnusedLedger, asOf: Date): Promise<void> {
  for (const region of await ledger.all())
    for (const [workspaceId, record] of region.records)
      if (record.removal?.status === RemovalStatus.DONE && new Date(record.removal.asOf) <= asOf)
        fleet.restoreRemoval(workspaceId, record.removal.action);
}

/**
 * The AWS wiring, and with it the SDK, is loaded here only: for AWS targets
 * and AWS price sources. The demo never pulls the SDK in.
 */
const loadAws = () => import('./aws.js');

/** The reports and the conversion ledger of one store, side by side (same keys in a bucket or a folder). */
export function storeDependencies(store: StreamingObjectStore & DocumentStore): StoreDependencies {
  return {
    store,
    reports: new StoredReports(store),
    ledger: new ConversionLedger(store),
    unusedLedger: new UnusedLedger(store),
  };
}

/**
 * The run's price catalog from `config.prices`, with the AWS sources (an
 * `s3://` file, the Price List) only when asked for. A bad price file rejects
 * with `PriceFileConfigError` naming the setting, for the CLI and the Lambda alike.
 */
export async function priceCatalog(
  cache: ObjectStore,
  asOf: Date,
  config: SetupConfig,
  clients?: AwsClientsFor,
): Promise<PriceCatalog | undefined> {
  const prices = config.prices;
  if (prices === undefined) return undefined;
  const needsAws = prices.list || (prices.file !== undefined && parseS3Location(prices.file) !== undefined);
  try {
    if (!needsAws) return await buildPriceCatalog({ priceFile: prices.file, log: config.log });
    return await (await loadAws()).awsPriceCatalog(cache, asOf, config, clients);
  } catch (error) {
    if (error instanceof PriceFileError) throw new PriceFileConfigError(prices.fileSetting, error);
    throw error;
  }
}
