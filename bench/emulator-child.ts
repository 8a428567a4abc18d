/**
 * The benchmark's emulator, in its own process so that the parent's peak RSS
 * is wco's alone. argv: <workspaces> <latencyMs> <asOf ISO> <regions,comma-separated>.
 * Sends `{ endpoint }` to the parent once listening; exits when the parent disconnects.
 */
import { startEmulator } from '../test/emulator/emulator.js';
import { syntheticFleet } from './synthetic-fleet.js';

const [workspaces = '1000', latency = '20', asOf = '2026-11-30T22:00:00Z', regions = 'eu-west-1'] =
  process.argv.slice(2);
const regionList = regions.split(',');
const emulator = await startEmulator({
  account: '123456789012',
  buckets: ['wco-bench'],
  regions: syntheticFleet({
    workspaces: Number(workspaces),
    directoriesPerRegion: Math.max(2, Math.round(Number(workspaces) / 1000)),
    regions: regionList,
    asOf: new Date(asOf),
  }),
  faults: { latencyMs: Number(latency) },
});
process.send?.({ endpoint: emulator.endpoint });
process.on('disconnect', () => {
  void emulator.close().finally(() => process.exit(0));
});
