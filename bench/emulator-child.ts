/**
 * The benchmark's emulator, in its own process so that the parent's peak RSS
 * is wco's alone. Serves the simulated fleet (the demo's generator, without
 * its edge cases). argv: <workspaces> <latencyMs> <asOf ISO> <regions,comma-separated>.
 * Sends `{ endpoint }` to the parent once listening; exits when the parent disconnects.
 */
import { generateSimulatedFleet } from '../src/simulated/index.js';
import { startEmulator } from '../test/integration/emulator/emulator.js';
import { emulatedRegions } from '../test/integration/emulator/simulated-fleet-state.js';

const [workspaces = '1000', latency = '20', asOf = '2026-11-30T22:00:00Z', regions = 'eu-west-1'] =
  process.argv.slice(2);
const fleet = emulatedRegions(
  generateSimulatedFleet({
    seed: 2026,
    asOf: new Date(asOf),
    count: Number(workspaces),
    regions: regions.split(','),
    edgeCases: false,
  }),
);
const emulator = await startEmulator({
  account: '123456789012',
  buckets: ['wco-bench'],
  regions: fleet.regions,
  faults: { latencyMs: Number(latency) },
});
process.send?.({ endpoint: emulator.endpoint });
process.on('disconnect', () => {
  void emulator.close().finally(() => process.exit(0));
});
