import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { breakEvenHours, money } from '../../../src/billing/index.js';
import { priceKeyOf } from '../../../src/ports/price-key.js';
import type { PriceKey } from '../../../src/ports/price-key.js';
import { loadPriceFile } from '../../../src/pricing/load-price-file.js';
import type { PriceListRecording } from '../../../src/pricing/price-list-recording.js';
import { EdgeCase, generateSimulatedFleet } from '../../../src/simulated/index.js';
import { emulatedRegions } from '../emulator/simulated-fleet-state.js';
import { useEmulator } from '../../helpers/aws-test-kit.js';
import { runCli } from '../../helpers/cli.js';
import type { Place } from '../../helpers/price-list-shape.js';
import {
  CORE,
  hardware,
  pagesOf,
  pairing,
  recordingOf,
  software,
  storage,
} from '../../helpers/price-list-shape.js';

// The demo's fleet, at month end.
const asOf = new Date('2026-11-30T23:00:00Z');
const fleet = generateSimulatedFleet({ seed: 42, asOf });
const state = emulatedRegions(fleet);

/** Price List bundle names ([S2] bundle regex, [S4] `_COMPUTE_BUNDLE`). */
const BUNDLES: Readonly<Record<string, string>> = {
  VALUE: 'Value',
  STANDARD: 'Standard',
  PERFORMANCE: 'Performance',
  POWER: 'Power',
  POWERPRO: 'PowerPro',
  GRAPHICS_G4DN: 'Graphics.g4dn',
  GRAPHICSPRO_G4DN: 'GraphicsPro.g4dn',
};
/** `operatingSystem` / `license` of the monthly and hourly rows ([S4]). */
const OS_LICENCE: Readonly<Record<string, readonly [string, string, string]>> = {
  'WINDOWS|INCLUDED': ['Windows', 'Windows', 'Included'],
  'WINDOWS|BYOL': ['Windows', 'Any', 'Bring Your Own License'],
  'AMAZON_LINUX|INCLUDED': ['Amazon Linux', 'Amazon Linux', 'None'],
  'UBUNTU|INCLUDED': ['Ubuntu Linux', 'Ubuntu Linux', 'None'],
};
/** us-east-1 carries `regionCode`; eu-west-1 only its `location`, as the 2021 offers did ([S2]). */
const PLACES: Readonly<Record<string, Place>> = {
  'us-east-1': { regionCode: 'us-east-1', location: 'US East (N. Virginia)' },
  'eu-west-1': { location: 'Europe (Ireland)' },
};

const text = (amount: { toFixed(): string }) => amount.toFixed();

/**
 * Real-shaped pages for every configuration of the simulated fleet, ILLUSTRATIVE
 * prices from the demo's sample file (any region's row of the configuration,
 * else the compute type's Windows row): the storage pairings on `-N` variant
 * bundles, the hourly rate once on the base bundle at another pairing, $0
 * Software rows, a WorkSpaces Core twin at another price, storage products.
 */
async function realShapedPages(keys: readonly PriceKey[]): Promise<PriceListRecording[]> {
  const sample = (await loadPriceFile('data/sample-prices.csv')).entries();
  const priceOf = (key: PriceKey) =>
    sample.find(
      (entry) =>
        entry.computeType === key.computeType &&
        entry.os === key.os &&
        entry.licence === key.licence &&
        entry.rootGib === key.rootVolumeGib &&
        entry.userGib === key.userVolumeGib,
    ) ?? sample.find((entry) => entry.computeType === key.computeType && entry.os === 'WINDOWS')!;
  const recordings: PriceListRecording[] = [];
  for (const region of ['us-east-1', 'eu-west-1']) {
    const place = PLACES[region]!;
    const documents: string[] = [];
    const groups = new Map<string, PriceKey[]>();
    for (const key of keys.filter((candidate) => candidate.region === region)) {
      const group = `${key.computeType}|${key.os}|${key.licence}`;
      const list = groups.get(group) ?? [];
      if (
        !list.some(
          (other) => other.rootVolumeGib === key.rootVolumeGib && other.userVolumeGib === key.userVolumeGib,
        )
      )
        list.push(key);
      groups.set(group, list);
    }
    let sku = 0;
    const nextSku = () => `SAMPLEFLEET${String((sku += 1)).padStart(5, '0')}`;
    for (const [group, pairings] of groups) {
      const [computeType, os, licence] = group.split('|') as [string, string, string];
      const bundle = BUNDLES[computeType]!;
      const [monthlyOs, hourlyOs, license] = OS_LICENCE[`${os}|${licence}`]!;
      pairings.forEach((key, index) => {
        const prices = priceOf(key).prices;
        documents.push(
          ...pairing(
            {
              place,
              bundle: `${bundle}-${index}`,
              operatingSystem: monthlyOs,
              license,
              rootGib: key.rootVolumeGib!,
              userGib: key.userVolumeGib!,
            },
            {
              skus: [nextSku(), nextSku()],
              alwaysOn: text(prices.alwaysOnMonthly),
              fee: text(prices.autoStopMonthlyFee),
            },
          ),
        );
      });
      const hourly = priceOf(pairings[0]!).prices.autoStopHourly;
      documents.push(
        hardware({
          place,
          sku: nextSku(),
          bundle,
          operatingSystem: hourlyOs,
          license,
          runningMode: 'AutoStop',
          group: 'Usage',
          rootGib: 175,
          userGib: 100,
          usd: text(hourly),
        }),
        software({ place, sku: nextSku(), bundle, operatingSystem: monthlyOs, license, usd: '0.0000000000' }),
        hardware({
          place,
          productFamily: CORE,
          sku: nextSku(),
          bundle,
          operatingSystem: monthlyOs,
          license,
          runningMode: 'AutoStop',
          group: 'Usage',
          rootGib: 175,
          userGib: 100,
          usd: '0.0100000000',
        }),
      );
    }
    documents.push(
      storage({ place, sku: nextSku(), volume: 'root', usd: '0.0800000000' }),
      storage({ place, sku: nextSku(), volume: 'user', usd: '0.1000000000' }),
    );
    const field = place.regionCode === undefined ? 'location' : 'regionCode';
    recordings.push(
      recordingOf(
        'Real-shaped pages for the simulated fleet; ILLUSTRATIVE prices from data/sample-prices.csv',
        region,
        [{ field, value: place.regionCode ?? place.location, pages: pagesOf(documents, 40) }],
      ),
    );
  }
  return recordings;
}

const emulator = useEmulator(() => ({}));

describe('The Price List path on the simulated fleet', () => {
  it('prices every WorkSpace of the simulated fleet from real-shaped pages, but the two with nothing to price by', async () => {
    // Arrange: the demo's fleet over the AWS APIs, the Price List answering real-shaped pages
    const keys = fleet.map((simulated) => priceKeyOf(simulated.workspace)).filter((key) => key !== undefined);
    const unpriceable = fleet
      .filter(
        (simulated) =>
          simulated.edgeCase === EdgeCase.UNKNOWN_COMPUTE_TYPE ||
          simulated.edgeCase === EdgeCase.EMPTY_COMPUTE_TYPE,
      )
      .map((simulated) => simulated.workspace.workspaceId)
      .sort();
    const pricedKeys = keys.filter((key) => Object.hasOwn(BUNDLES, key.computeType));
    emulator.current.reset({
      buckets: ['reports'],
      regions: state.regions,
      priceList: await realShapedPages(pricedKeys),
      faults: {
        metricQueryFailsFor: state.metricQueryFailsFor,
        modifyFailsFor: state.modifyFailsFor,
        describeTagsFailsFor: state.describeTagsFailsFor,
      },
    });
    const out = await mkdtemp(join(tmpdir(), 'wco-fleet-prices-'));

    // Act
    const run = await runCli(
      [
        'run',
        '--regions',
        'us-east-1,eu-west-1',
        '--out',
        out,
        '--as-of',
        asOf.toISOString(),
        '--price-list',
      ],
      { env: process.env, now: asOf },
    );

    // Assert
    expect(run.stderr).toBe('');
    const rows = parse(await readFile(join(out, 'reports/daily/2026/11/30/aggregated.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    expect(rows).toHaveLength(fleet.length);
    const unpriced = rows
      .filter((row) => row.currency === '')
      .map((row) => row.workspace_id)
      .sort();
    expect(unpriced).toEqual(unpriceable);
    expect(unpriceable).toHaveLength(2);
    // Every priced WorkSpace decided by its own break-even, from the figures the sample file gave it
    for (const row of rows.filter((candidate) => candidate.currency !== '')) {
      expect(row.threshold_source, row.workspace_id).toBe('price');
      expect(row.currency).toBe('USD');
    }
    const standard = rows.find(
      (row) => row.region === 'us-east-1' && row.compute_type === 'STANDARD' && row.hourly_rate !== '',
    )!;
    expect(standard.threshold_hours).toBe(
      String(
        breakEvenHours({
          currency: 'USD',
          alwaysOnMonthly: money(standard.alwayson_monthly_price!),
          autoStopMonthlyFee: money(standard.autostop_monthly_fee!),
          autoStopHourly: money(standard.hourly_rate!),
        }),
      ),
    );
    expect(run.stdout).toContain(
      `Prices: ${fleet.length - 2} WorkSpace(s) priced (price-list ${fleet.length - 2}), 2 without a price`,
    );
    // eu-west-1 has no regionCode: asked by location after the regionCode query found nothing
    const filters = emulator.current.state.priceListRequests.map(
      (request) => (request.Filters as { Field: string; Value: string }[])[0]!.Value,
    );
    expect(new Set(filters)).toEqual(new Set(['us-east-1', 'eu-west-1', 'Europe (Ireland)']));
  });
});
