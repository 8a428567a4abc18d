import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsPorts } from '../../../src/compose/optimizer-ports.js';
import { PriceFileConfigError } from '../../../src/compose/setup-dependencies.js';
import { createOptimizeHandler } from '../../../src/handlers/optimize-handler.js';
import type { PriceListRecording } from '../../../src/pricing/price-list-recording.js';
import type { EmulatorConfig } from '../emulator/emulator.js';
import { dailySessions, fastRetryStrategy, useEmulator, workspacesOf } from '../../helpers/aws-test-kit.js';
import { scheduledEvent } from '../../helpers/scheduled-event.js';

const ACCOUNT = '123456789012';
const HOME = 'eu-west-1';
const OTHER = 'us-east-1';
const BUCKET = 'wco-reports';
const PRICE_BUCKET = 'wco-prices';
const PRICE_KEY = 'finance/prices.csv';
const T = '2026-11-30T23:00:00Z';
const asOf = new Date(T);
const DAILY = `${BUCKET}/reports/daily/2026/11/30/aggregated.csv`;
const CACHE = `${BUCKET}/pricing/cache/2026-11/us-east-1.json`;

// Prices eu-west-1 only: us-east-1 has to come from the Price List.
const PRICE_FILE = [
  'region,compute_type,os,licence,root_gib,user_gib,alwayson_monthly,autostop_monthly_fee,autostop_hourly,currency',
  'eu-west-1,STANDARD,WINDOWS,INCLUDED,80,50,38.50,10.75,0.33,USD',
  '',
].join('\n');

const COST_COLUMNS = [
  'currency',
  'hourly_rate',
  'autostop_monthly_fee',
  'alwayson_monthly_price',
  'cost_to_date',
  'projected_cost_current_mode',
  'projected_cost_other_mode',
  'estimated_monthly_savings',
] as const;

// Windows STANDARD with the 80/50 GiB volumes both price sources know.
const windowsStandard = {
  operatingSystem: 'WINDOWS_SERVER_2022',
  rootVolumeSizeGib: 80,
  userVolumeSizeGib: 50,
};

const recorded = JSON.parse(
  readFileSync('test/helpers/fixtures/price-list/get-products_us-east-1.json', 'utf8'),
) as PriceListRecording;

function fleet(): EmulatorConfig {
  return {
    account: ACCOUNT,
    buckets: [BUCKET, PRICE_BUCKET],
    priceList: [recorded],
    regions: {
      [HOME]: {
        directories: [{ directoryId: 'd-home' }],
        workspaces: workspacesOf('d-home', 2, () => ({
          ...windowsStandard,
          sessions: dailySessions(asOf, 8),
        })),
      },
      [OTHER]: {
        directories: [{ directoryId: 'd-other' }],
        workspaces: workspacesOf('d-other', 1, () => ({ ...windowsStandard, runningMode: 'ALWAYS_ON' })),
      },
    },
  };
}

const event = scheduledEvent({ account: ACCOUNT, region: HOME, time: T });

describe('Function: createOptimizeHandler with PRICE_FILE and PRICE_LIST on the AWS emulator', () => {
  const emulator = useEmulator(() => fleet());
  const pricingRequests = () => emulator.current.state.priceListRequests;

  beforeEach(() => {
    emulator.current.reset(fleet());
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const putPriceFile = (body: string) =>
    emulator.current.state.objects.set(`${PRICE_BUCKET}/${PRICE_KEY}`, {
      body: Buffer.from(body),
      contentType: 'text/csv',
      lastModified: new Date(T),
    });

  const handlerWith = (extra: Record<string, string>) => {
    const env = {
      AWS_REGION: HOME,
      REPORT_BUCKET: BUCKET,
      REGIONS: `${OTHER},${HOME}`,
      AWS_ENDPOINT_URL: emulator.current.endpoint,
      ...extra,
    };
    // Production wiring, with retries that do not wait for real backoff during the outage test.
    return createOptimizeHandler(env, {
      createPorts: awsPorts(env, { retryStrategy: fastRetryStrategy(2) }),
    });
  };

  const dailyRows = () =>
    parse(emulator.current.state.objects.get(DAILY)!.body.toString('utf8'), { columns: true }) as Record<
      string,
      string
    >[];

  const byRegion = (rows: Record<string, string>[]) =>
    Object.fromEntries(rows.map((row) => [`${row.region}/${row.workspace_id}`, row]));

  it('prices from the file first and the Price List for the rest, and fills the cost columns', async () => {
    // Arrange
    putPriceFile(PRICE_FILE);
    const handler = handlerWith({ PRICE_FILE: `s3://${PRICE_BUCKET}/${PRICE_KEY}`, PRICE_LIST: 'true' });

    // Act
    const summary = await handler(event);

    // Assert
    expect(summary.workspaces).toBe(3);
    const rows = byRegion(dailyRows());
    expect(Object.keys(rows).sort()).toEqual([
      'eu-west-1/ws-home00000',
      'eu-west-1/ws-home00001',
      'us-east-1/ws-other00000',
    ]);
    for (const row of Object.values(rows)) {
      expect(row.threshold_source).toBe('price');
      for (const column of COST_COLUMNS) expect(row[column], column).not.toBe('');
    }
    expect(rows['eu-west-1/ws-home00000']).toMatchObject({
      hourly_rate: '0.33',
      alwayson_monthly_price: '38.50',
      threshold_hours: '84', // floor((38.50 - 10.75) / 0.33) = floor(84.09)
    });
    expect(rows['us-east-1/ws-other00000']).toMatchObject({
      alwayson_monthly_price: '35.00',
      hourly_rate: '0.30',
    });
    expect(pricingRequests().map((request) => request.Filters)).toContainEqual([
      { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
      { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'Enterprise Applications' },
    ]);
    expect(emulator.current.state.objects.has(CACHE)).toBe(true);
    expect(emulator.current.state.objects.has(`${BUCKET}/reports/monthly/2026-11/summary.html`)).toBe(true);
  });

  it('reads the Price List from the month cache in the report bucket on a later cold start', async () => {
    // Arrange
    const env = { PRICE_LIST: 'true' };
    await handlerWith(env)(event);
    const asked = pricingRequests().length;

    // Act
    await handlerWith(env)(event);

    // Assert
    expect(asked).toBeGreaterThan(0);
    expect(pricingRequests()).toHaveLength(asked);
    expect(byRegion(dailyRows())['us-east-1/ws-other00000']!.threshold_source).toBe('price');
  });

  it('still runs during a Price List outage, with hour thresholds and blank cost columns', async () => {
    // Arrange
    emulator.current.state.faults = { priceListFails: 'ServiceUnavailableException' };
    const handler = handlerWith({ PRICE_LIST: 'true' });

    // Act
    const summary = await handler(event);

    // Assert
    expect(summary.writeFailures).toEqual([]);
    expect(pricingRequests().length).toBeGreaterThan(0);
    for (const row of dailyRows()) {
      expect(row.threshold_source).toBe('default');
      for (const column of COST_COLUMNS) expect(row[column], column).toBe('');
    }
    expect(emulator.current.state.objects.has(CACHE)).toBe(false);
  });

  it.each([
    [
      'is not valid',
      'region,compute_type\nus-east-1,STANDARD\n',
      /PRICE_FILE: price file s3:\/\/wco-prices\/finance\/prices\.csv is not valid/,
    ],
    ['does not exist', undefined, /PRICE_FILE: .*\n\s*does not exist/],
  ])('fails the invocation before writing anything when the price file %s', async (_, body, message) => {
    // Arrange
    if (body !== undefined) putPriceFile(body);
    const handler = handlerWith({ PRICE_FILE: `s3://${PRICE_BUCKET}/${PRICE_KEY}` });

    // Act
    const invocation = handler(event);

    // Assert
    await expect(invocation).rejects.toThrow(PriceFileConfigError);
    await expect(invocation).rejects.toThrow(message);
    expect([...emulator.current.state.objects.keys()].filter((key) => key.startsWith(`${BUCKET}/`))).toEqual(
      [],
    );
    expect(emulator.current.state.events).toEqual([]);
  });
});
