import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeLedgerEntry } from '../../../src/app/ledger/ledger-entry.js';
import { replay } from '../../../src/app/replay/replay.js';
import { CONFIG_DEFAULTS } from '../../../src/config/defaults.js';
import { replayCsv } from '../../../src/report/replay-report.js';
import { generateSimulatedHistory, SimulatedHistorySource } from '../../../src/simulated/index.js';
import { MemoryDocumentStore } from '../../../src/store/memory-document-store.js';
import { useEmulator } from '../../helpers/aws-test-kit.js';
import { runCli } from '../../helpers/cli.js';
import { filesUnder } from '../../helpers/files.js';
import { replaySettings, samplePrices } from '../../unit/app/replay/replay-world.js';
import { ledgerEntry } from '../../unit/app/ledger/ledger-fixtures.js';
import type { CallCounts, EmulatorConfig } from '../emulator/emulator.js';
import { emulatedRegions } from '../emulator/simulated-fleet-state.js';

const REGION = 'eu-west-1';
const BUCKET = 'wco-replay-reports';
const NOW = new Date('2026-11-15T10:00:00Z');
// More than one GetMetricData call's worth (500), in one region; no edge cases, joiners or leavers:
// the inventory of today is the fleet of the whole period.
const FLEET = { seed: 5, count: 520, regions: [REGION], edgeCases: false, lifecycle: false } as const;
const history = generateSimulatedHistory({
  ...FLEET,
  from: new Date('2026-10-01T00:00:00Z'),
  to: new Date('2026-10-01T00:00:00Z'),
});
// A WorkSpace wco switched to AlwaysOn on Oct 10: AlwaysOn today, AutoStop when the period started.
const converted = history.find((item) => item.workspace.runningMode === 'AUTO_STOP')!.workspace;

function emulatorConfig(): EmulatorConfig {
  const state = emulatedRegions(history);
  const today = state.regions[REGION]!.workspaces.find((item) => item.workspaceId === converted.workspaceId)!;
  today.runningMode = 'ALWAYS_ON';
  return { buckets: [BUCKET], regions: state.regions };
}
const emulator = useEmulator(emulatorConfig);

const READS_EXCLUDED = new Set(['ModifyWorkspaceProperties', 'PutObject', 'DeleteObject', 'PutEvents']);
const reads = (calls: CallCounts) =>
  Object.entries(calls)
    .filter(([operation]) => !READS_EXCLUDED.has(operation))
    .reduce((sum, [, count]) => sum + (count ?? 0), 0);

describe('wco replay of a real fleet (the local emulator)', () => {
  it('reads the usage history once, hourly, 500 WorkSpaces a call, and replays it as the same fleet in memory would be', async () => {
    // Arrange: the ledger in the deployment's bucket knows the conversion.
    const entry = ledgerEntry({
      account: '123456789012',
      region: REGION,
      workspaceId: converted.workspaceId,
      month: '2026-10',
      asOf: '2026-10-10T23:00:00.000Z',
      status: 'APPLIED',
      idleTimeoutMinutes: converted.autoStopTimeoutMinutes ?? 60,
    });
    emulator.current.state.objects.set(
      `${BUCKET}/ledger/2026-10/123456789012_${REGION}_${converted.workspaceId}.json`,
      { body: Buffer.from(serializeLedgerEntry(entry)), contentType: 'application/json', lastModified: NOW },
    );
    emulator.current.resetCalls();
    const out = await mkdtemp(join(tmpdir(), 'wco-replay-aws-'));

    // Act
    const run = await runCli(
      [
        'replay',
        '--regions',
        REGION,
        '--from',
        '2026-10',
        '--to',
        '2026-10',
        '--bucket',
        BUCKET,
        '--out',
        out,
        '--prices',
        CONFIG_DEFAULTS.demoPriceFile,
      ],
      { env: { ...process.env, AWS_REGION: REGION }, now: NOW },
    );

    // Assert: the run
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `wco replay of 2026-10 to 2026-10 on ${REGION}: 31 runs daily at 23:00 UTC; nothing was modified`,
    );
    expect(run.stdout).toContain(
      'Starting modes: 1 WorkSpace(s) from the conversion ledger (wco converted them since 2026-10-01), 519 their current mode',
    );
    expect(await filesUnder(out)).toEqual([
      'reports/replay/2026-10_2026-10/replay.csv',
      'reports/replay/2026-10_2026-10/replay.html',
    ]);

    // ...read the history once: two batches, hourly, over the whole period and the idle tails before it.
    const requests = emulator.current.state.metricRequests;
    const firstPages = requests.filter((request) => !request.nextPage);
    expect(firstPages.map((request) => request.queries).sort()).toEqual([20, 500]);
    for (const request of requests) {
      expect(request.periods).toEqual([3600]);
      expect(request.startTime).toBe(Date.parse('2026-09-30T19:00:00Z'));
      expect(request.endTime).toBe(Date.parse('2026-11-01T00:00:00Z'));
    }
    // ...changed nothing, wrote nothing in AWS.
    const replayCalls = { ...emulator.current.calls };
    for (const write of READS_EXCLUDED) expect(replayCalls[write as keyof CallCounts]).toBeUndefined();

    // ...within the read budget of a normal run per simulated day (31 days).
    emulator.current.resetCalls();
    const normal = await runCli(
      [
        'run',
        '--regions',
        REGION,
        '--out',
        await mkdtemp(join(tmpdir(), 'wco-replay-run-')),
        '--as-of',
        '2026-10-31T23:00:00Z',
      ],
      { env: { ...process.env, AWS_REGION: REGION }, now: NOW },
    );
    expect(normal.code).toBe(0);
    const normalCalls = { ...emulator.current.calls };
    expect(reads(replayCalls)).toBeLessThanOrEqual(reads(normalCalls) * 31);
    // Read once, not once a day: a month of history costs what a month-end run reads, and a batch more.
    expect(replayCalls.GetMetricData!).toBeLessThanOrEqual(normalCalls.GetMetricData! + 2);

    // ...and gave what the same fleet replayed in memory gives.
    const inMemory = await replay(
      {
        history: new SimulatedHistorySource(FLEET),
        prices: await samplePrices(),
        ledgerStore: () => new MemoryDocumentStore(),
      },
      replaySettings('2026-10', '2026-10'),
    );
    const csv = await readFile(join(out, 'reports/replay/2026-10_2026-10/replay.csv'), 'utf8');
    expect(csv).toBe(replayCsv(inMemory));
    expect(
      inMemory.rows.find((row) => row.month === 'TOTAL' && row.policy === 'wco')!.conversions,
    ).toBeGreaterThan(50);
  });

  it('exits 1 and says the figures are incomplete when a region cannot be read; the others are replayed', async () => {
    emulator.current.reset({ ...emulatorConfig(), faults: { directoriesFailIn: ['us-east-1'] } });
    const out = await mkdtemp(join(tmpdir(), 'wco-replay-aws-'));
    const run = await runCli(
      [
        'replay',
        '--regions',
        `${REGION},us-east-1`,
        '--from',
        '2026-10',
        '--to',
        '2026-10',
        '--out',
        out,
        '--prices',
        CONFIG_DEFAULTS.demoPriceFile,
      ],
      { env: { ...process.env, AWS_REGION: REGION }, now: NOW },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('wco replay: incomplete: us-east-1 region could not be read');
    expect(run.stdout).toMatch(/^TOTAL +wco +\d+ /m);
    const html = await readFile(join(out, 'reports/replay/2026-10_2026-10/replay.html'), 'utf8');
    expect(html).toContain('Incomplete: us-east-1 region could not be read');
  }, 120_000);
});
