import { readFileSync } from 'node:fs';
import { PricingClient } from '@aws-sdk/client-pricing';
import { beforeEach, describe, expect, it } from 'vitest';
import { PriceListCatalog } from '../../../src/pricing/price-list-catalog.js';
import type { PriceListRecording } from '../../../src/pricing/price-list-recording.js';
import { useEmulator } from '../../helpers/aws-test-kit.js';
import { priceKey } from '../../helpers/price-key.js';

const recorded = JSON.parse(
  readFileSync('test/helpers/fixtures/price-list/get-products_us-east-1.json', 'utf8'),
) as PriceListRecording;
const emulator = useEmulator(() => ({ priceList: [recorded] }));

const client = () =>
  new PricingClient({
    region: 'us-east-1',
    endpoint: emulator.current.endpoint,
    credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback' },
    maxAttempts: 2,
  });

describe('Class: PriceListCatalog with the real SDK client on the emulator', () => {
  beforeEach(() => emulator.current.reset({ priceList: [recorded] }));

  it('sends GetProducts as the SDK serializes it, pages through NextToken and maps the parsed answer', async () => {
    // Act
    const quote = await new PriceListCatalog({ client: client(), month: '2026-11' }).lookup(priceKey());
    // Assert
    expect(quote?.prices.alwaysOnMonthly.toString()).toBe('35');
    expect(quote?.prices.autoStopHourly.toString()).toBe('0.3');
    expect(emulator.current.state.priceListRequests).toEqual([
      {
        ServiceCode: 'AmazonWorkSpaces',
        FormatVersion: 'aws_v1',
        MaxResults: 100,
        Filters: [
          { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
          { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'Enterprise Applications' },
        ],
      },
      expect.objectContaining({ NextToken: 'page-2' }),
      expect.objectContaining({ NextToken: 'page-3' }),
    ]);
  });

  it('rejects with the service error during an outage', async () => {
    emulator.current.state.faults = { priceListFails: 'ServiceUnavailableException' };
    await expect(
      new PriceListCatalog({ client: client(), month: '2026-11' }).lookup(priceKey()),
    ).rejects.toThrow(/emulated Price List outage/);
    expect(emulator.current.state.priceListRequests.length).toBeGreaterThanOrEqual(1);
  });
});
