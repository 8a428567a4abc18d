import { readFileSync } from 'node:fs';
import { PricingClient } from '@aws-sdk/client-pricing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PriceListCatalog } from '../../../src/pricing/price-list-catalog.js';
import type { PricingEndpoint, RecordedPages } from '../../helpers/pricing-endpoint.js';
import { startPricingEndpoint } from '../../helpers/pricing-endpoint.js';
import { priceKey } from '../../helpers/price-key.js';

const recorded = (name: string): RecordedPages =>
  JSON.parse(readFileSync(`test/helpers/fixtures/get-products_${name}.json`, 'utf8')) as RecordedPages;
const key = priceKey();

let endpoint: PricingEndpoint;
beforeAll(async () => {
  endpoint = await startPricingEndpoint({ 'us-east-1|Included': recorded('us-east-1_WINDOWS_INCLUDED') });
});
afterAll(async () => {
  await endpoint.close();
});

const client = () =>
  new PricingClient({
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback' },
    maxAttempts: 2,
  });

describe('Class: PriceListCatalog with the real SDK client on a loopback endpoint', () => {
  it('sends GetProducts as the SDK serializes it and maps the parsed answer', async () => {
    // Arrange
    endpoint.requests.length = 0;
    endpoint.failWith = undefined;
    // Act
    const quote = await new PriceListCatalog({ client: client(), month: '2026-11' }).lookup(key);
    // Assert
    expect(quote?.prices.alwaysOnMonthly.toString()).toBe('35');
    expect(quote?.prices.autoStopHourly.toString()).toBe('0.3');
    expect(endpoint.requests).toEqual([
      {
        ServiceCode: 'AmazonWorkSpaces',
        FormatVersion: 'aws_v1',
        MaxResults: 100,
        Filters: [
          { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
          { Type: 'TERM_MATCH', Field: 'license', Value: 'Included' },
        ],
      },
      expect.objectContaining({ NextToken: 'page-2-token' }),
    ]);
  });

  it('rejects with the service error during an outage', async () => {
    endpoint.requests.length = 0;
    endpoint.failWith = { status: 503, type: 'ServiceUnavailableException' };
    await expect(new PriceListCatalog({ client: client(), month: '2026-11' }).lookup(key)).rejects.toThrow(
      /emulated outage/,
    );
    expect(endpoint.requests.length).toBeGreaterThanOrEqual(1);
  });
});
