import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import type { OptimizerSettings } from '../../../src/app/run-optimizer.js';
import { thresholdPolicy } from '../../../src/billing/index.js';
import type { FleetQuery, RegionReading, Shard } from '../../../src/ports/fleet-source.js';
import { reportKeys } from '../../../src/report/keys.js';
import { withoutHeader } from '../../../src/report/write-reports.js';
import { generateSimulatedFleet, SimulatedFleet } from '../../../src/simulated/index.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import type { StoredRecord } from '../../helpers/previous-daily-report.js';
import { dailyReportDocuments } from '../../helpers/previous-daily-report.js';
import { DEFAULT_CONCURRENCY } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

const asOf = new Date('2026-11-30T23:00:00Z');
const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

const settings = (overrides: Partial<OptimizerSettings> = {}): OptimizerSettings => ({
  asOf,
  dryRun: true,
  forceMonthEnd: false,
  thresholds: thresholdPolicy(),
  assumedTimeoutMinutes: 60,
  ...DEFAULT_CONCURRENCY,
  account: '123456789012',
  ...overrides,
});

/** The simulated fleet (edge cases included: quotes, commas, line breaks, non-ASCII names), one directory unreadable on demand. */
class Fleet extends SimulatedFleet {
  readonly unreadable = new Set<string>();
  /** Directories that yield half their first batch, then fail. */
  readonly partlyReadable = new Set<string>();
  override async openRegion(
    region: string,
    query: FleetQuery,
    only?: readonly Shard[],
  ): Promise<RegionReading> {
    const reading = await super.openRegion(region, query, only);
    return {
      shards: reading.shards,
      readBatches: (shard) =>
        this.unreadable.has(shard.directoryId)
          ? (async function* () {
              yield* [];
              throw new Error(`AccessDeniedException: cannot describe ${shard.directoryId}`);
            })()
          : this.partlyReadable.has(shard.directoryId)
            ? (async function* () {
                for await (const batch of reading.readBatches(shard)) {
                  yield batch.slice(0, Math.ceil(batch.length / 2));
                  throw new Error(`ThrottlingException: ${shard.directoryId} after one batch`);
                }
              })()
            : reading.readBatches(shard),
    };
  }
}

const stored = (store: MemoryStore, prefix: string) =>
  new Map(
    [...store.objects].filter(([key]) => key.startsWith(prefix)).map(([key, object]) => [key, object.body]),
  );

describe('The streamed daily report', () => {
  it('is byte for byte what the previous, all-in-memory path wrote: every directory file and the aggregates', async () => {
    // Arrange
    const fleet = new Fleet(generateSimulatedFleet({ seed: 7, asOf, count: 1500, regions }), regions);
    const store = new MemoryStore();

    // Act
    const { results } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(store) },
      settings({ shardConcurrency: 3 }),
    );

    // Assert
    const previous = dailyReportDocuments({ results, asOf, monthEnd: true });
    const written = new Map([
      ...stored(store, reportKeys.dailyPrefix(asOf)),
      ...stored(store, reportKeys.monthlyAggregated(asOf)),
    ]);
    expect([...written.keys()].sort()).toEqual(previous.map((document) => document.key).sort());
    for (const document of previous) expect(written.get(document.key), document.key).toBe(document.body);
    // A file per directory (3 to 5 per account, each region has one), the daily and the monthly aggregate.
    expect(previous.length).toBeGreaterThanOrEqual(regions.length + 2);
    expect(results).toHaveLength(1500);
  });

  it('keeps the rows of a directory a rerun could not read, byte for byte as the previous path kept them', async () => {
    // Arrange: a first run of the day, then a rerun that cannot read one directory.
    const fleet = new Fleet(generateSimulatedFleet({ seed: 8, asOf, count: 400, regions }), regions);
    const store = new MemoryStore();
    await runOptimizer({ fleet, switcher: fleet, ...storeBacked(store) }, settings());
    const directory = fleet.list()[0]!.workspace;
    const key = reportKeys.directory(asOf, directory.account, directory.region, directory.directoryId);
    const earlier = parse(store.objects.get(key)!.body, { columns: true }) as StoredRecord[];
    fleet.unreadable.add(directory.directoryId);

    // Act
    const rerun = await runOptimizer({ fleet, switcher: fleet, ...storeBacked(store) }, settings());

    // Assert
    const previous = dailyReportDocuments({ results: rerun.results, asOf, monthEnd: true }, earlier);
    for (const document of previous)
      expect(store.objects.get(document.key)?.body, document.key).toBe(document.body);
    expect(rerun.summary.keptRows).toBe(earlier.length);
    expect(parse(store.objects.get(key)!.body, { columns: true })).toEqual(
      earlier.map((record) => ({ ...record, evaluated: 'no' })),
    );
  });

  it('reports a directory that fails part way as a problem, and writes the rows it did read', async () => {
    // Arrange: a directory that fails after its first batch
    const fleet = new Fleet(generateSimulatedFleet({ seed: 10, asOf, count: 300, regions: ['us-east-1'] }), [
      'us-east-1',
    ]);
    const directory = fleet.list()[0]!.workspace;
    const inDirectory = fleet.list().filter((item) => item.workspace.directoryId === directory.directoryId);
    fleet.partlyReadable.add(directory.directoryId);
    const store = new MemoryStore();

    // Act
    const run = await runOptimizer({ fleet, switcher: fleet, ...storeBacked(store) }, settings());

    // Assert
    expect(run.summary.problems).toEqual([
      {
        account: '123456789012',
        region: 'us-east-1',
        scope: `directory ${directory.directoryId}`,
        directoryId: directory.directoryId,
        message: `ThrottlingException: ${directory.directoryId} after one batch`,
      },
    ]);
    const read = run.results.filter((result) => result.workspace.directoryId === directory.directoryId);
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(inDirectory.length);
    const key = reportKeys.directory(asOf, directory.account, directory.region, directory.directoryId);
    const rows = parse(store.objects.get(key)!.body, { columns: true }) as StoredRecord[];
    expect(rows.map((row) => row.workspace_id).sort()).toEqual(
      read.map((result) => result.workspace.workspaceId).sort(),
    );
    expect(run.summary.workspaces).toBe(run.results.length);
  });

  it('is not written at all by a run that read nothing, so the day keeps its report', async () => {
    // Arrange
    const fleet = new Fleet(generateSimulatedFleet({ seed: 9, asOf, count: 50, regions: ['us-east-1'] }), [
      'us-east-1',
    ]);
    const store = new MemoryStore();
    await runOptimizer({ fleet, switcher: fleet, ...storeBacked(store) }, settings());
    const before = stored(store, 'reports/daily/');
    for (const simulated of fleet.list()) fleet.unreadable.add(simulated.workspace.directoryId);

    // Act
    const rerun = await runOptimizer({ fleet, switcher: fleet, ...storeBacked(store) }, settings());

    // Assert
    expect(rerun.summary.workspaces).toBe(0);
    expect(stored(store, 'reports/daily/')).toEqual(before);
  });
});

describe('Function: withoutHeader', () => {
  it('drops the header line however the text is split', async () => {
    // Arrange
    const text = 'a,b\r\n1,"x\r\ny"\r\n2,z\r\n';
    for (let size = 1; size <= text.length; size += 1) {
      const pieces = async function* () {
        for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size);
      };

      // Act
      let rest = '';
      for await (const piece of withoutHeader(pieces())) rest += piece;

      // Assert
      expect(rest, `pieces of ${size}`).toBe('1,"x\r\ny"\r\n2,z\r\n');
    }
  });
});
