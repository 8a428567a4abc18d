import { mkdtemp, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { parsePriceFile } from '../../../src/pricing/price-file.js';
import type { PriceListRecording } from '../../../src/pricing/price-list-recording.js';
import { useEmulator } from '../../helpers/aws-test-kit.js';
import { runCli } from '../../helpers/cli.js';
import { irelandByLocationOnly, pagesOf, recordingOf } from '../../helpers/price-list-shape.js';

const fixture = (region: string) =>
  JSON.parse(
    readFileSync(`test/helpers/fixtures/price-list/get-products_${region}.json`, 'utf8'),
  ) as PriceListRecording;
const FIXTURES = [fixture('us-east-1'), fixture('ap-southeast-1')];
const NOW = new Date('2026-12-01T09:00:00Z');

const emulator = useEmulator(() => ({ priceList: FIXTURES }));
const prices = (args: string[]) => runCli(['prices', ...args], { env: process.env, now: NOW });

describe('Command: wco prices against the emulator serving real-shaped GetProducts pages', () => {
  beforeEach(() => emulator.current.reset({ priceList: FIXTURES }));

  it('prints every configuration with its break-even hours and the SKU of each figure, reading every page', async () => {
    // Act
    const run = await prices(['--region', 'us-east-1']);

    // Assert
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      'Prices in us-east-1 from the AWS Price List (AmazonWorkSpaces, WorkSpaces Personal list prices), asked 2026-12-01T09:00:00.000Z: 5 configuration(s)',
    );
    const table = lines.slice(2, 7).map((line) => line.split(/\s{2,}/));
    expect(table).toEqual([
      [
        'GENERALPURPOSE_4XLARGE',
        'WINDOWS',
        'INCLUDED',
        '175/100',
        'USD',
        '295',
        '19',
        '2.28',
        '121',
        // No table value: GeneralPurpose is not in the contract's table (121 is only suggested).
        '-',
        'SKU SAMPLEGP4XL00001 / SKU SAMPLEGP4XL00002 / SKU SAMPLEGP4XL00003',
      ],
      [
        'GENERALPURPOSE_8XLARGE',
        'WINDOWS',
        'INCLUDED',
        '175/100',
        'USD',
        '590',
        '19',
        '4.56',
        '125',
        '-',
        'SKU SAMPLEGP8XL00001 / SKU SAMPLEGP8XL00002 / SKU SAMPLEGP8XL00003',
      ],
      [
        'STANDARD',
        'WINDOWS',
        'INCLUDED',
        '80/10',
        'USD',
        '33',
        '7.25',
        '0.3',
        '85',
        '85',
        'SKU SAMPLESTD0080010 / SKU SAMPLESTD0080011 / SKU A7CA9Z8E4QB96DZW',
      ],
      [
        'STANDARD',
        'WINDOWS',
        'INCLUDED',
        '80/50',
        'USD',
        '35',
        '9.75',
        '0.3',
        '84',
        '85',
        'SKU 8QF9FB4JU4AVYMA6 / SKU KJ39V6HYK37HHHBQ / SKU A7CA9Z8E4QB96DZW',
      ],
      [
        'STANDARD PLUS',
        'WINDOWS',
        'INCLUDED',
        '80/50',
        'USD',
        '50',
        '24.75',
        '0.3',
        '84',
        '85',
        'SKU SAMPLESTDPLUS001 / SKU SAMPLESTDPLUS002 / SKU SAMPLESTDPLUS003',
      ],
    ]);
    expect(run.stdout).toContain(
      'Grown volumes, USD per GiB-month: root 0.08 (SKU SAMPLESTORROOT01), user 0.1 (SKU SAMPLESTORUSER01)',
    );
    expect(run.stdout).toContain(
      'Not priced or not added: 1\n  SOFTWARE_NOT_ADDED us-east-1 STANDARD PLUS WINDOWS INCLUDED: Software row SKU SAMPLESTDPLUSSW1',
    );
    // Three pages of the one query
    expect(emulator.current.state.priceListRequests.map((request) => request.NextToken)).toEqual([
      undefined,
      'page-2',
      'page-3',
    ]);
  });

  it('filters by OS and licence, and prints JSON with every figure as exact text', async () => {
    // Act
    const run = await prices([
      '--region',
      'ap-southeast-1',
      '--os',
      'windows',
      '--licence',
      'BYOL',
      '--format',
      'json',
    ]);

    // Assert
    expect(run.code).toBe(0);
    const listing = JSON.parse(run.stdout) as { prices: unknown[]; findings: unknown[] };
    expect(listing.prices).toEqual([
      {
        compute_type: 'POWER',
        plus: false,
        os: 'WINDOWS',
        licence: 'BYOL',
        root_gib: 175,
        user_gib: 100,
        currency: 'USD',
        alwayson_monthly: '120',
        autostop_monthly_fee: '26',
        autostop_hourly: '0.95',
        break_even_hours: 98,
        table_threshold_hours: 92,
        sources: {
          alwaysOnMonthly: 'SKU SAMPLEPWRBYOL001',
          autoStopMonthlyFee: 'SKU SAMPLEPWRBYOL002',
          autoStopHourly: 'SKU SAMPLEPWRBYOL003',
        },
      },
    ]);
    expect(listing.findings).toHaveLength(1);
    expect(run.stderr).toBe(
      'wco prices: not priced: INCOMPLETE ap-southeast-1 POWER AMAZON_LINUX INCLUDED 175/100 GiB: no AlwaysOn monthly price, no AutoStop monthly fee\n',
    );
  });

  it('prints CSV that wco reads back as a price file', async () => {
    // Act
    const run = await prices(['--region', 'us-east-1', '--format', 'csv']);

    // Assert
    expect(run.code).toBe(0);
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row.compute_type, row.plus, row.break_even_hours])).toEqual([
      ['GENERALPURPOSE_4XLARGE', '', '121'],
      ['GENERALPURPOSE_8XLARGE', '', '125'],
      ['STANDARD', '', '85'],
      ['STANDARD', '', '84'],
      ['STANDARD', 'yes', '84'],
    ]);
    const entries = parsePriceFile(run.stdout, 'prices.csv');
    expect(
      entries.map((entry) => [entry.computeType, entry.plus, entry.prices.alwaysOnMonthly.toFixed()]),
    ).toEqual([
      ['GENERALPURPOSE_4XLARGE', false, '295'],
      ['GENERALPURPOSE_8XLARGE', false, '590'],
      ['STANDARD', false, '33'],
      ['STANDARD', false, '35'],
      ['STANDARD', true, '50'],
    ]);
  });

  it('--record saves the raw answer, and the recording served again gives the same prices', async () => {
    // Arrange
    const folder = await mkdtemp(join(tmpdir(), 'wco-record-'));

    // Act: record, then serve only the recording
    const recordedRun = await prices(['--region', 'us-east-1', '--record', folder]);
    const recording = JSON.parse(
      await readFile(join(folder, 'get-products_us-east-1.json'), 'utf8'),
    ) as PriceListRecording;
    emulator.current.reset({ priceList: [recording] });
    const replayed = await prices(['--region', 'us-east-1']);

    // Assert
    expect(recordedRun.code).toBe(0);
    expect(recordedRun.stdout).toContain(
      `Recorded the Price List's answer in ${join(folder, 'get-products_us-east-1.json')}`,
    );
    expect(recording).toMatchObject({ region: 'us-east-1', recordedAt: '2026-12-01T09:00:00.000Z' });
    expect(recording._comment).toContain('Recorded by wco prices');
    // The pages exactly as the API answered them, NextTokens included
    expect(recording.queries).toEqual(fixture('us-east-1').queries);
    expect(replayed.stdout).toBe(recordedRun.stdout.replace(/Recorded the Price List's answer in .*\n/, ''));
  });

  it('asks by location name when the offer has no regionCode, and records every query', async () => {
    // Arrange: eu-west-1 products that carry only location "Europe (Ireland)"
    const documents = irelandByLocationOnly('Europe (Ireland)');
    emulator.current.reset({
      priceList: [
        recordingOf('location only', 'eu-west-1', [
          { field: 'location', value: 'Europe (Ireland)', pages: pagesOf(documents) },
        ]),
      ],
    });
    const folder = await mkdtemp(join(tmpdir(), 'wco-record-'));

    // Act
    const run = await prices(['--region', 'eu-west-1', '--record', folder]);

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/STANDARD\s+WINDOWS\s+INCLUDED\s+80\/50\s+USD\s+38.5\s+10.75\s+0.33\s+84/);
    const recording = JSON.parse(
      await readFile(join(folder, 'get-products_eu-west-1.json'), 'utf8'),
    ) as PriceListRecording;
    expect(
      recording.queries.map((query) => [query.filters[0]!.Value, query.pages[0]!.PriceList.length]),
    ).toEqual([
      ['eu-west-1', 0],
      ['Europe (Ireland)', 3],
    ]);
  });

  it('exits 1 with one line when the Price List cannot be asked', async () => {
    emulator.current.state.faults = { priceListFails: 'AccessDeniedException' };
    const run = await prices(['--region', 'us-east-1']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^wco prices: the AWS Price List could not be asked: .*emulated Price List outage\n$/,
    );
  });
});
