import type { OptimizerSettings } from '../../src/app/run-optimizer.js';
import { runOptimizer } from '../../src/app/run-optimizer.js';
import { thresholdPolicy } from '../../src/billing/index.js';
import type { Workspace } from '../../src/ports/workspace.js';
import { loadPriceFile } from '../../src/pricing/load-price-file.js';
import type { DocumentStore } from '../../src/ports/document-store.js';
import type { StreamingObjectStore } from '../../src/ports/object-store.js';
import type { InMemoryWorkspace } from './in-memory-fleet.js';
import { hourlyUsage, InMemoryFleet, workspace } from './in-memory-fleet.js';
import { DEFAULT_CONCURRENCY } from './run-settings.js';
import { storeBacked } from './store-backed.js';

export const NOVEMBER = new Date('2026-11-01T00:00:00Z');
export const MID_MONTH = new Date('2026-11-15T12:00:00Z');
export const MONTH_END = new Date('2026-11-30T23:00:00Z');
/** A user name that must come out of every report and page exactly as written. */
export const AWKWARD_USER = `O'Brien "<b>&amp;co</b>", 山田太郎 <script>alert(1)</script>`;

const windows = (overrides: Partial<Workspace>): Workspace =>
  workspace({
    operatingSystem: 'WINDOWS_SERVER_2022',
    rootVolumeSizeGib: 80,
    userVolumeSizeGib: 50,
    ...overrides,
  });

/** `connected` contiguous connected hours bill `connected + 1` hours with a 60-minute timeout. */
const used = (connected: number) => ({ ok: true as const, value: hourlyUsage(NOVEMBER, connected) });

function fleetOn(heavyMode: 'AUTO_STOP' | 'ALWAYS_ON'): InMemoryWorkspace[] {
  return [
    {
      workspace: windows({ workspaceId: 'ws-heavy', userName: AWKWARD_USER, runningMode: heavyMode }),
      usage: used(84),
    },
    { workspace: windows({ workspaceId: 'ws-light' }), usage: used(10) },
    {
      workspace: windows({ workspaceId: 'ws-exempt', userName: 'exempt.user' }),
      usage: used(100),
      tags: { ok: true, value: { skip_convert: '' } },
    },
    { workspace: windows({ workspaceId: 'ws-idle-on', runningMode: 'ALWAYS_ON' }), usage: used(10) },
    {
      workspace: windows({
        workspaceId: 'ws-unpriced',
        region: 'eu-west-1',
        operatingSystem: 'UBUNTU_22_04',
      }),
      usage: used(30),
    },
  ];
}

/**
 * November in two runs, both applying conversions: on the 15th ws-heavy goes
 * AutoStop -> AlwaysOn (H 85 > break-even 84); at month end ws-idle-on goes
 * AlwaysOn -> AutoStop (H 11). The month-end run writes the summary.
 */
export async function runNovember(
  store: StreamingObjectStore & DocumentStore,
  dryRun = false,
): Promise<void> {
  const prices = await loadPriceFile('data/sample-prices.csv');
  const settings = (asOf: Date): OptimizerSettings => ({
    asOf,
    dryRun,
    forceMonthEnd: false,
    thresholds: thresholdPolicy(),
    assumedTimeoutMinutes: 60,
    ...DEFAULT_CONCURRENCY,
    account: '111122223333',
  });
  const mid = new InMemoryFleet(fleetOn('AUTO_STOP'));
  await runOptimizer({ fleet: mid, switcher: mid, ...storeBacked(store), prices }, settings(MID_MONTH));
  const end = new InMemoryFleet(fleetOn(dryRun ? 'AUTO_STOP' : 'ALWAYS_ON'));
  await runOptimizer({ fleet: end, switcher: end, ...storeBacked(store), prices }, settings(MONTH_END));
}
