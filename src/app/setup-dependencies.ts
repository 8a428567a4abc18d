import { LocalAuditEventSink } from '../audit/local-audit-event-sink.js';
import { writeDemoAudit } from '../audit/write-demo-audit.js';
import type { EventSink } from '../ports/event-sink.js';
import type { FleetSource } from '../ports/fleet-source.js';
import type { ModeSwitcher } from '../ports/mode-switcher.js';
import { DEFAULT_SIMULATED_ACCOUNT, SimulatedFleet } from '../simulated/index.js';
import type { ObjectStore } from '../ports/object-store.js';
import { LocalFolderStore } from '../store/local-folder-store.js';
import { StoredReports } from '../report/stored-reports.js';
import { ConversionLedger } from './ledger/conversion-ledger.js';
import type { RunReports } from './report-ports.js';

/** Where a run reads its fleet from and writes its reports to. */
export type RunTarget =
  | { readonly kind: 'demo'; readonly seed: number; readonly outDir: string }
  | {
      readonly kind: 'aws';
      readonly regions: readonly string[];
      readonly bucket: string | undefined;
      readonly outDir: string | undefined;
      readonly eventBusName: string;
      readonly env: Readonly<Record<string, string | undefined>>;
    };

export interface RunDependencies {
  readonly fleet: FleetSource;
  readonly switcher: ModeSwitcher;
  readonly store: ObjectStore;
  readonly reports: RunReports;
  readonly ledger: ConversionLedger;
  readonly events: EventSink | undefined;
  /**
   * The demo's stand-in for the login events WorkSpaces would send to the audit
   * stream: writes one login record per simulated session. Rejects when a write fails.
   */
  readonly recordSimulatedLogins?: (() => Promise<void>) | undefined;
}

/** The one place that picks the adapters: the simulated fleet and a folder, or AWS. */
export async function setupDependencies(
  target: RunTarget,
  asOf: Date,
): Promise<{ deps: RunDependencies; account: string }> {
  if (target.kind === 'demo') {
    const fleet = SimulatedFleet.generate({ seed: target.seed, asOf });
    const store = new LocalFolderStore(target.outDir);
    // Conversions and runs reach the local audit trail the way EventBridge would deliver them.
    const events = new LocalAuditEventSink(store, {
      account: DEFAULT_SIMULATED_ACCOUNT,
      region: fleet.regions[0]!,
    });
    const recordSimulatedLogins = async () => {
      await writeDemoAudit(store, fleet.list(), asOf);
    };
    return {
      deps: {
        fleet,
        switcher: fleet,
        store,
        reports: new StoredReports(store),
        // The demo's ledger lives in the output folder, next to its reports.
        ledger: new ConversionLedger(store),
        events,
        recordSimulatedLogins,
      },
      account: DEFAULT_SIMULATED_ACCOUNT,
    };
  }
  // Loaded only for AWS runs, so the demo never pulls the SDK in.
  const [{ createAwsDependencies }, { hasCustomEndpoint }] = await Promise.all([
    import('../aws/dependencies.js'),
    import('../aws/clients.js'),
  ]);
  const aws = await createAwsDependencies({
    regions: [...target.regions],
    bucket: target.bucket,
    outDir: target.outDir,
    eventBusName: target.eventBusName,
    customEndpoint: hasCustomEndpoint(target.env),
  });
  return { deps: aws, account: aws.account };
}
