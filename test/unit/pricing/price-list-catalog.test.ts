import { readFileSync } from 'node:fs';
import type { GetProductsCommand, GetProductsCommandOutput } from '@aws-sdk/client-pricing';
import { describe, expect, it } from 'vitest';
import type { Log } from '../../../src/shared/log.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import { thresholdPolicy } from '../../../src/billing/index.js';
import { ChainedPriceCatalog } from '../../../src/pricing/chained-price-catalog.js';
import { PriceListCatalog } from '../../../src/pricing/price-list-catalog.js';
import {
  computeTypeOfBundle,
  parseStorage,
  priceEntriesFromProducts,
} from '../../../src/pricing/price-list-products.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { priceKey } from '../../helpers/price-key.js';
import { DEFAULT_CONCURRENCY } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

type Recorded = { pages: GetProductsCommandOutput[] };
const recorded = (name: string): Recorded =>
  JSON.parse(readFileSync(`test/helpers/fixtures/get-products_${name}.json`, 'utf8')) as Recorded;

/** An injected Pricing client: answers from a recorded response, paging by NextToken, and records every command. */
class RecordedPricingClient {
  readonly commands: GetProductsCommand[] = [];
  constructor(
    private readonly answers: Readonly<Record<string, Recorded>>,
    private readonly failure?: Error,
  ) {}
  async send(command: GetProductsCommand): Promise<GetProductsCommandOutput> {
    this.commands.push(command);
    if (this.failure) throw this.failure;
    const filter = (field: string) => command.input.Filters?.find((f) => f.Field === field)?.Value;
    const answer = this.answers[`${filter('regionCode')}|${filter('license')}`];
    if (!answer) return { PriceList: [], $metadata: {} };
    const index = command.input.NextToken === undefined ? 0 : 1;
    return { ...answer.pages[index]!, $metadata: {} };
  }
}

const key = priceKey;
const answers = {
  'us-east-1|Included': recorded('us-east-1_WINDOWS_INCLUDED'),
  'us-east-1|None': recorded('us-east-1_AMAZON_LINUX_INCLUDED'),
  'us-east-1|Bring Your Own License': recorded('us-east-1_WINDOWS_BYOL'),
};
const pricesText = (quote: Awaited<ReturnType<PriceListCatalog['lookup']>>) =>
  quote && [
    quote.prices.currency,
    quote.prices.alwaysOnMonthly.toString(),
    quote.prices.autoStopMonthlyFee.toString(),
    quote.prices.autoStopHourly.toString(),
  ];

describe('Function: priceEntriesFromProducts', () => {
  it.each([
    ['Standard', 'STANDARD'],
    ['Standard-1', 'STANDARD'],
    ['PowerPro', 'POWERPRO'],
    ['Graphics.g4dn', 'GRAPHICS_G4DN'],
    ['GraphicsPro.g4dn-0', 'GRAPHICSPRO_G4DN'],
  ])('reads bundle %s as compute type %s', (bundle, computeType) => {
    expect(computeTypeOfBundle(bundle)).toBe(computeType);
  });

  it('reads storage text', () => {
    expect(parseStorage('Root:80 GB,User:50 GB')).toEqual({ rootGib: 80, userGib: 50 });
    expect(parseStorage('Not Applicable')).toBeUndefined();
  });

  it('maps a recorded answer to priced configurations', () => {
    // Arrange
    const documents = recorded('us-east-1_WINDOWS_INCLUDED').pages.flatMap(
      (page) => page.PriceList as string[],
    );
    // Act
    const entries = priceEntriesFromProducts(documents, {
      region: 'us-east-1',
      os: 'WINDOWS',
      licence: 'INCLUDED',
    });
    // Assert: zero software rows, Pool rows and the half-priced Value bundle are left out;
    // the 175/100 variant takes its compute type's hourly rate.
    expect(
      entries.map((entry) => [
        entry.computeType,
        entry.rootGib,
        entry.userGib,
        entry.prices.alwaysOnMonthly.toString(),
        entry.prices.autoStopMonthlyFee.toString(),
        entry.prices.autoStopHourly.toString(),
      ]),
    ).toEqual([
      ['GRAPHICS_G4DN', 100, 100, '502', '66', '1.3'],
      ['STANDARD', 80, 50, '35', '9.75', '0.3'],
      ['STANDARD', 175, 100, '44', '19', '0.3'],
    ]);
  });
});

describe('Class: PriceListCatalog', () => {
  it('asks GetProducts once per region, OS and licence, following NextToken', async () => {
    // Arrange
    const client = new RecordedPricingClient(answers);
    const catalog = new PriceListCatalog({ client, month: '2026-11' });
    // Act: three lookups of one group, concurrently and after
    const [standard, graphics] = await Promise.all([
      catalog.lookup(key()),
      catalog.lookup(key({ computeType: 'GRAPHICS_G4DN', rootVolumeGib: 100, userVolumeGib: 100 })),
    ]);
    const value = await catalog.lookup(key({ computeType: 'VALUE', userVolumeGib: 10 }));
    // Assert
    expect(pricesText(standard)).toEqual(['USD', '35', '9.75', '0.3']);
    expect(standard?.source).toBe('price-list');
    expect(pricesText(graphics)).toEqual(['USD', '502', '66', '1.3']);
    expect(value).toBeUndefined();
    expect(client.commands.map((command) => command.input)).toEqual([
      {
        ServiceCode: 'AmazonWorkSpaces',
        FormatVersion: 'aws_v1',
        MaxResults: 100,
        NextToken: undefined,
        Filters: [
          { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
          { Type: 'TERM_MATCH', Field: 'license', Value: 'Included' },
        ],
      },
      expect.objectContaining({ NextToken: 'page-2-token' }),
    ]);
  });

  it.each([
    [key({ os: 'AMAZON_LINUX' }), 'None', ['USD', '31', '9.75', '0.26']],
    [key({ os: 'UBUNTU' }), 'None', undefined], // Ubuntu has no AutoStop rows in the recording
    [key({ licence: 'BYOL' }), 'Bring Your Own License', ['USD', '31', '9.75', '0.26']], // hourly under OS "Any"
  ])('prices %o with licence filter %s', async (wanted, licence, expected) => {
    const client = new RecordedPricingClient(answers);
    const quote = await new PriceListCatalog({ client, month: '2026-11' }).lookup(wanted);
    expect(client.commands[0]!.input.Filters).toContainEqual({
      Type: 'TERM_MATCH',
      Field: 'license',
      Value: licence,
    });
    expect(pricesText(quote)).toEqual(expected);
  });

  it('caches the answer in the report bucket for the month', async () => {
    // Arrange
    const store = new MemoryStore();
    const first = new RecordedPricingClient(answers);
    await new PriceListCatalog({ client: first, month: '2026-11', cache: store }).lookup(key());
    // Act: a later run of the month
    const second = new RecordedPricingClient(answers);
    const quote = await new PriceListCatalog({ client: second, month: '2026-11', cache: store }).lookup(
      key(),
    );
    // Assert
    expect([...store.objects.keys()]).toEqual(['pricing/cache/2026-11/us-east-1_WINDOWS_INCLUDED.json']);
    expect(first.commands).toHaveLength(2);
    expect(second.commands).toHaveLength(0);
    expect(pricesText(quote)).toEqual(['USD', '35', '9.75', '0.3']);
    // Next month asks again
    const december = new RecordedPricingClient(answers);
    await new PriceListCatalog({ client: december, month: '2026-12', cache: store }).lookup(key());
    expect(december.commands).toHaveLength(2);
  });

  it('still prices when the cache cannot be written, and says so', async () => {
    const warnings: string[] = [];
    const log: Log = { info() {}, error() {}, warn: (message) => warnings.push(message) };
    const catalog = new PriceListCatalog({
      client: new RecordedPricingClient(answers),
      month: '2026-11',
      cache: new MemoryStore('pricing/'),
      log,
    });
    expect(pricesText(await catalog.lookup(key()))).toEqual(['USD', '35', '9.75', '0.3']);
    expect(warnings).toEqual(['price cache write failed']);
  });

  it('reads only cache objects the listing shows, so a miss never looks like a denied read', async () => {
    // Arrange: like S3 for a role that may not list the whole bucket, a missing key is refused
    class DeniesMissingKeys extends MemoryStore {
      readonly reads: string[] = [];
      override async get(key: string): Promise<string | undefined> {
        this.reads.push(key);
        const body = await super.get(key);
        if (body === undefined) throw new Error(`AccessDenied: ${key}`);
        return body;
      }
    }
    const store = new DeniesMissingKeys();
    const warnings: string[] = [];
    const log: Log = { info() {}, error() {}, warn: (message) => warnings.push(message) };
    // Act
    const first = await new PriceListCatalog({
      client: new RecordedPricingClient(answers),
      month: '2026-11',
      cache: store,
      log,
    }).lookup(key());
    const second = new RecordedPricingClient(answers);
    await new PriceListCatalog({ client: second, month: '2026-11', cache: store, log }).lookup(key());
    // Assert
    expect(pricesText(first)).toEqual(['USD', '35', '9.75', '0.3']);
    expect(warnings).toEqual([]);
    expect(store.reads).toEqual(['pricing/cache/2026-11/us-east-1_WINDOWS_INCLUDED.json']);
    expect(second.commands).toHaveLength(0);
  });

  it('reads the cache object by object when it cannot be listed, and says so', async () => {
    // Arrange
    class Unlistable extends MemoryStore {
      override async list(): Promise<string[]> {
        throw new Error('AccessDenied: list');
      }
    }
    const store = new Unlistable();
    const warnings: string[] = [];
    const log: Log = { info() {}, error() {}, warn: (message) => warnings.push(message) };
    await new PriceListCatalog({
      client: new RecordedPricingClient(answers),
      month: '2026-11',
      cache: store,
    }).lookup(key());
    const later = new RecordedPricingClient(answers);
    // Act
    const quote = await new PriceListCatalog({ client: later, month: '2026-11', cache: store, log }).lookup(
      key(),
    );
    // Assert
    expect(pricesText(quote)).toEqual(['USD', '35', '9.75', '0.3']);
    expect(later.commands).toHaveLength(0);
    expect(warnings).toEqual(['price cache cannot be listed; reading it object by object']);
  });

  it('rejects during an outage, once per group, so the caller can fall back', async () => {
    const client = new RecordedPricingClient(answers, new Error('ServiceUnavailableException: try later'));
    const catalog = new PriceListCatalog({ client, month: '2026-11' });
    await expect(catalog.lookup(key())).rejects.toThrow('try later');
    await expect(catalog.lookup(key({ computeType: 'VALUE' }))).rejects.toThrow('try later');
    expect(client.commands).toHaveLength(1);
  });

  it('lets the run fall back to the hour thresholds during an outage, without failing it', async () => {
    // Arrange
    const warnings: string[] = [];
    const log: Log = { info() {}, error() {}, warn: (message) => warnings.push(message) };
    const client = new RecordedPricingClient(answers, new Error('ThrottlingException: Rate exceeded'));
    const prices = new ChainedPriceCatalog([new PriceListCatalog({ client, month: '2026-11' })], log);
    const fleet = new InMemoryFleet([
      {
        workspace: workspace({
          operatingSystem: 'WINDOWS_SERVER_2022',
          rootVolumeSizeGib: 80,
          userVolumeSizeGib: 50,
        }),
        usage: { ok: true, value: hourlyUsage(new Date('2026-11-01T00:00:00Z'), 84) },
      },
    ]);
    // Act
    const { results, summary } = await runOptimizer(
      { fleet, switcher: fleet, ...storeBacked(), log, prices },
      {
        asOf: new Date('2026-11-15T12:00:00Z'),
        dryRun: true,
        forceMonthEnd: false,
        thresholds: thresholdPolicy(),
        assumedTimeoutMinutes: 60,
        ...DEFAULT_CONCURRENCY,
        account: '111122223333',
      },
    );
    // Assert
    expect(summary.writeFailures).toEqual([]);
    expect(results[0]!.threshold).toEqual({ hours: 85, source: 'default' });
    expect(results[0]!.cost).toBeUndefined();
    expect(warnings).toEqual(['price source failed; falling back']);
  });
});
