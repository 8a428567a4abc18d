import { readFileSync } from 'node:fs';
import type { GetProductsCommand, GetProductsCommandOutput } from '@aws-sdk/client-pricing';
import { describe, expect, it } from 'vitest';
import type { Log } from '../../../src/shared/log.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import { breakEvenHours, thresholdPolicy } from '../../../src/billing/index.js';
import { ChainedPriceCatalog } from '../../../src/pricing/chained-price-catalog.js';
import { PriceListCatalog } from '../../../src/pricing/price-list-catalog.js';
import { FindingKind, parsePriceListProducts } from '../../../src/pricing/price-list-products.js';
import type { PriceListRecording } from '../../../src/pricing/price-list-recording.js';
import { PriceListTable } from '../../../src/pricing/price-list-table.js';
import type { PriceQuote } from '../../../src/ports/price-catalog.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { answerGetProducts } from '../../helpers/price-list-answers.js';
import { irelandByLocationOnly, pagesOf, pairing, recordingOf } from '../../helpers/price-list-shape.js';
import { priceKey } from '../../helpers/price-key.js';
import { DEFAULT_CONCURRENCY } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

const recorded = (region: string): PriceListRecording =>
  JSON.parse(
    readFileSync(`test/helpers/fixtures/price-list/get-products_${region}.json`, 'utf8'),
  ) as PriceListRecording;
const FIXTURES = [recorded('us-east-1'), recorded('ap-southeast-1')];

/** An injected Pricing client answering from recordings, and recording every command. */
class RecordedPricingClient {
  readonly commands: GetProductsCommand[] = [];
  constructor(
    private readonly recordings: readonly PriceListRecording[],
    private readonly failure?: Error,
  ) {}
  async send(command: GetProductsCommand): Promise<GetProductsCommandOutput> {
    this.commands.push(command);
    if (this.failure) throw this.failure;
    const page = answerGetProducts(this.recordings, command.input);
    return { ...page, PriceList: [...page.PriceList], $metadata: {} };
  }
}

const key = priceKey;
const pricesText = (quote: PriceQuote | undefined) =>
  quote && [
    quote.prices.currency,
    quote.prices.alwaysOnMonthly.toString(),
    quote.prices.autoStopMonthlyFee.toString(),
    quote.prices.autoStopHourly.toString(),
  ];
const recordingLog = () => {
  const warnings: { message: string; attributes: unknown }[] = [];
  const log: Log = {
    info() {},
    error() {},
    warn: (message, attributes) => warnings.push({ message, attributes }),
  };
  return { log, warnings };
};

describe('Class: PriceListTable', () => {
  const parsed = parsePriceListProducts(
    recorded('us-east-1').queries.flatMap((query) => query.pages.flatMap((page) => page.PriceList)),
    'us-east-1',
  );
  const table = new PriceListTable(parsed.entries, parsed.storage, parsed.findings);

  it.each([
    ['a published pairing', key(), ['USD', '35', '9.75', '0.3'], 84],
    ['a storage variant', key({ userVolumeGib: 10 }), ['USD', '33', '7.25', '0.3'], 85],
    ['a Plus bundle, priced as Plus', key({ plus: true }), ['USD', '50', '24.75', '0.3'], 84],
    // 80/50 + 50 GiB user x 0.10
    ['a grown user volume', key({ userVolumeGib: 100 }), ['USD', '40', '14.75', '0.3'], 84],
    // 80/50 + 20 GiB root x 0.08 + 10 GiB user x 0.10
    [
      'grown root and user volumes',
      key({ rootVolumeGib: 100, userVolumeGib: 60 }),
      ['USD', '37.6', '12.35', '0.3'],
      84,
    ],
    // 80/10 + 20 GiB user x 0.10 (nearer than 80/50)
    ['a volume grown from the smaller pairing', key({ userVolumeGib: 30 }), ['USD', '35', '9.25', '0.3'], 85],
  ])('prices %s', async (_, wanted, expected, breakEven) => {
    const quote = await table.lookup(wanted);
    expect(pricesText(quote)).toEqual(expected);
    expect(quote?.source).toBe('price-list');
    expect(breakEvenHours(quote!.prices)).toBe(breakEven);
  });

  it('names the SKUs of every figure, grown volumes included', () => {
    expect(table.quote(key({ rootVolumeGib: 100, userVolumeGib: 60 }))?.origin).toEqual({
      alwaysOnMonthly:
        'SKU 8QF9FB4JU4AVYMA6 + 20 GiB root x SKU SAMPLESTORROOT01 + 10 GiB user x SKU SAMPLESTORUSER01',
      autoStopMonthlyFee:
        'SKU KJ39V6HYK37HHHBQ + 20 GiB root x SKU SAMPLESTORROOT01 + 10 GiB user x SKU SAMPLESTORUSER01',
      autoStopHourly: 'SKU A7CA9Z8E4QB96DZW',
    });
  });

  it.each([
    ['volumes below every pairing', key({ userVolumeGib: 5 })],
    ['unknown volumes', key({ rootVolumeGib: undefined })],
    ['a Plus bundle at a pairing only the plain bundle has', key({ plus: true, userVolumeGib: 10 })],
    ['another licence', key({ licence: 'BYOL' })],
  ])('has no price for %s', (_, wanted) => {
    expect(table.quote(wanted)).toBeUndefined();
  });

  it('has no price for grown volumes without a storage price, and says why', () => {
    const withoutStorage = new PriceListTable(parsed.entries, undefined);
    const wanted = key({ userVolumeGib: 100 });
    expect(withoutStorage.quote(wanted)).toBeUndefined();
    expect(withoutStorage.problemOf(wanted)).toEqual({
      kind: FindingKind.INCOMPLETE,
      subject: 'us-east-1 STANDARD WINDOWS INCLUDED 80/100 GiB',
      detail: 'grown volumes (80/50 GiB published): no GB-Month storage price for the extra GiB',
    });
  });

  it('reports two equally near pairings with different prices as ambiguous, never picking one', () => {
    // Arrange: 100/50 and 80/70 are both 20 GiB from 100/70
    const documents = [
      ...pairing(
        {
          place: { regionCode: 'us-east-1', location: 'US East (N. Virginia)' },
          bundle: 'Standard-1',
          operatingSystem: 'Windows',
          license: 'Included',
          rootGib: 100,
          userGib: 50,
        },
        { skus: ['A1', 'A2', 'A3'], alwaysOn: '36', fee: '9.75', hourly: '0.3' },
      ),
      ...pairing(
        {
          place: { regionCode: 'us-east-1', location: 'US East (N. Virginia)' },
          bundle: 'Standard-2',
          operatingSystem: 'Windows',
          license: 'Included',
          rootGib: 80,
          userGib: 70,
        },
        { skus: ['B1', 'B2'], alwaysOn: '37', fee: '9.75' },
      ),
    ];
    const tie = parsePriceListProducts(documents, 'us-east-1');
    const tied = new PriceListTable(tie.entries, parsed.storage);
    const wanted = key({ rootVolumeGib: 100, userVolumeGib: 70 });
    // Act + Assert
    expect(tied.quote(wanted)).toBeUndefined();
    expect(tied.problemOf(wanted)).toMatchObject({
      kind: FindingKind.AMBIGUOUS,
      detail: 'grown volumes: 80/70 GiB and 100/50 GiB are equally near and priced differently',
    });
  });
});

describe('Class: PriceListCatalog', () => {
  it('asks GetProducts once per region, for WorkSpaces Personal, following NextToken', async () => {
    // Arrange
    const client = new RecordedPricingClient(FIXTURES);
    const catalog = new PriceListCatalog({ client, month: '2026-11' });
    // Act: lookups of one region, concurrently and after, and of another region
    const [standard, plus] = await Promise.all([catalog.lookup(key()), catalog.lookup(key({ plus: true }))]);
    const generalPurpose = await catalog.lookup(
      key({ computeType: 'GENERALPURPOSE_4XLARGE', rootVolumeGib: 175, userVolumeGib: 100 }),
    );
    const byol = await catalog.lookup(
      key({
        region: 'ap-southeast-1',
        computeType: 'POWER',
        licence: 'BYOL',
        rootVolumeGib: 175,
        userVolumeGib: 100,
      }),
    );
    // Assert
    expect(pricesText(standard)).toEqual(['USD', '35', '9.75', '0.3']);
    expect(pricesText(plus)).toEqual(['USD', '50', '24.75', '0.3']);
    expect(pricesText(generalPurpose)).toEqual(['USD', '295', '19', '2.28']);
    expect(pricesText(byol)).toEqual(['USD', '120', '26', '0.95']);
    expect(client.commands.map((command) => command.input)).toEqual([
      {
        ServiceCode: 'AmazonWorkSpaces',
        FormatVersion: 'aws_v1',
        MaxResults: 100,
        NextToken: undefined,
        Filters: [
          { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
          { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'Enterprise Applications' },
        ],
      },
      expect.objectContaining({ NextToken: 'page-2' }),
      expect.objectContaining({ NextToken: 'page-3' }),
      expect.objectContaining({
        NextToken: undefined,
        Filters: expect.arrayContaining([
          { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'ap-southeast-1' },
        ]),
      }),
    ]);
  });

  it('asks by location name when the offer has no regionCode, the old "EU" name after the new one', async () => {
    // Arrange: eu-west-1 products that carry only location "EU (Ireland)"
    const documents = irelandByLocationOnly('EU (Ireland)');
    const recording = recordingOf('test', 'eu-west-1', [
      { field: 'location', value: 'EU (Ireland)', pages: pagesOf(documents) },
    ]);
    const client = new RecordedPricingClient([recording]);
    // Act
    const quote = await new PriceListCatalog({ client, month: '2026-11' }).lookup(
      key({ region: 'eu-west-1' }),
    );
    // Assert
    expect(pricesText(quote)).toEqual(['USD', '38.5', '10.75', '0.33']);
    expect(client.commands.map((command) => command.input.Filters![0])).toEqual([
      { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' },
      { Type: 'TERM_MATCH', Field: 'location', Value: 'Europe (Ireland)' },
      { Type: 'TERM_MATCH', Field: 'location', Value: 'EU (Ireland)' },
    ]);
  });

  it('hands every query of a region to the recorder, pages as answered', async () => {
    const recordings: PriceListRecording[] = [];
    const catalog = new PriceListCatalog({
      client: new RecordedPricingClient(FIXTURES),
      month: '2026-11',
      record: async (recording) => {
        recordings.push(recording);
      },
      now: () => new Date('2026-12-01T09:00:00Z'),
    });
    await catalog.table('us-east-1');
    expect(recordings).toHaveLength(1);
    expect(recordings[0]).toMatchObject({ region: 'us-east-1', recordedAt: '2026-12-01T09:00:00.000Z' });
    expect(recordings[0]!.queries.map((query) => query.pages)).toEqual(
      recorded('us-east-1').queries.map((query) => query.pages),
    );
  });

  it('warns once about a configuration it cannot price for a reason worth telling', async () => {
    // Arrange: grown volumes in a region without storage products
    const { log, warnings } = recordingLog();
    const catalog = new PriceListCatalog({
      client: new RecordedPricingClient(FIXTURES),
      month: '2026-11',
      log,
    });
    const grown = key({
      region: 'ap-southeast-1',
      computeType: 'POWER',
      rootVolumeGib: 175,
      userVolumeGib: 150,
    });
    // Act
    await catalog.lookup(grown);
    await catalog.lookup(grown);
    // Assert
    expect(warnings).toEqual([
      {
        message: 'Price List: no price for a WorkSpace configuration',
        attributes: expect.objectContaining({
          kind: 'INCOMPLETE',
          subject: 'ap-southeast-1 POWER WINDOWS INCLUDED 175/150 GiB',
        }),
      },
    ]);
  });

  it('caches what it priced in the report bucket for the month', async () => {
    // Arrange
    const store = new MemoryStore();
    const first = new RecordedPricingClient(FIXTURES);
    await new PriceListCatalog({ client: first, month: '2026-11', cache: store }).lookup(key());
    // Act: a later run of the month
    const second = new RecordedPricingClient(FIXTURES);
    const later = new PriceListCatalog({ client: second, month: '2026-11', cache: store });
    const [plain, plus, grown] = await Promise.all([
      later.lookup(key()),
      later.lookup(key({ plus: true })),
      later.lookup(key({ userVolumeGib: 100 })),
    ]);
    // Assert
    expect([...store.objects.keys()]).toEqual(['pricing/cache/2026-11/us-east-1.json']);
    expect(first.commands).toHaveLength(3);
    expect(second.commands).toHaveLength(0);
    expect(pricesText(plain)).toEqual(['USD', '35', '9.75', '0.3']);
    expect(pricesText(plus)).toEqual(['USD', '50', '24.75', '0.3']);
    expect(pricesText(grown)).toEqual(['USD', '40', '14.75', '0.3']);
    expect(plain?.origin?.alwaysOnMonthly).toBe('SKU 8QF9FB4JU4AVYMA6');
    expect((await later.table('us-east-1')).findings).toHaveLength(1);
    // Next month asks again
    const december = new RecordedPricingClient(FIXTURES);
    await new PriceListCatalog({ client: december, month: '2026-12', cache: store }).lookup(key());
    expect(december.commands).toHaveLength(3);
  });

  it('asks again when the cached object is of an older layout', async () => {
    const store = new MemoryStore();
    await store.put(
      'pricing/cache/2026-11/us-east-1.json',
      JSON.stringify({ month: '2026-11', entries: [] }),
      'application/json',
    );
    const { log, warnings } = recordingLog();
    const client = new RecordedPricingClient(FIXTURES);
    const quote = await new PriceListCatalog({ client, month: '2026-11', cache: store, log }).lookup(key());
    expect(pricesText(quote)).toEqual(['USD', '35', '9.75', '0.3']);
    expect(client.commands).toHaveLength(3);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'price cache unreadable; asking the Price List',
    ]);
  });

  it('still prices when the cache cannot be written, and says so', async () => {
    const { log, warnings } = recordingLog();
    const catalog = new PriceListCatalog({
      client: new RecordedPricingClient(FIXTURES),
      month: '2026-11',
      cache: new MemoryStore('pricing/'),
      log,
    });
    expect(pricesText(await catalog.lookup(key()))).toEqual(['USD', '35', '9.75', '0.3']);
    expect(warnings.map((warning) => warning.message)).toEqual(['price cache write failed']);
  });

  it('reads only cache objects the listing shows, so a miss never looks like a denied read', async () => {
    // Arrange: like S3 for a role that may not list the whole bucket, a missing key is refused
    class DeniesMissingKeys extends MemoryStore {
      readonly reads: string[] = [];
      override async get(wanted: string): Promise<string | undefined> {
        this.reads.push(wanted);
        const body = await super.get(wanted);
        if (body === undefined) throw new Error(`AccessDenied: ${wanted}`);
        return body;
      }
    }
    const store = new DeniesMissingKeys();
    const { log, warnings } = recordingLog();
    // Act
    const first = await new PriceListCatalog({
      client: new RecordedPricingClient(FIXTURES),
      month: '2026-11',
      cache: store,
      log,
    }).lookup(key());
    const second = new RecordedPricingClient(FIXTURES);
    await new PriceListCatalog({ client: second, month: '2026-11', cache: store, log }).lookup(key());
    // Assert
    expect(pricesText(first)).toEqual(['USD', '35', '9.75', '0.3']);
    expect(warnings).toEqual([]);
    expect(store.reads).toEqual(['pricing/cache/2026-11/us-east-1.json']);
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
    const { log, warnings } = recordingLog();
    await new PriceListCatalog({
      client: new RecordedPricingClient(FIXTURES),
      month: '2026-11',
      cache: store,
    }).lookup(key());
    const later = new RecordedPricingClient(FIXTURES);
    // Act
    const quote = await new PriceListCatalog({ client: later, month: '2026-11', cache: store, log }).lookup(
      key(),
    );
    // Assert
    expect(pricesText(quote)).toEqual(['USD', '35', '9.75', '0.3']);
    expect(later.commands).toHaveLength(0);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'price cache cannot be listed; reading it object by object',
    ]);
  });

  it('rejects during an outage, once per region, so the caller can fall back', async () => {
    const client = new RecordedPricingClient(FIXTURES, new Error('ServiceUnavailableException: try later'));
    const catalog = new PriceListCatalog({ client, month: '2026-11' });
    await expect(catalog.lookup(key())).rejects.toThrow('try later');
    await expect(catalog.lookup(key({ computeType: 'VALUE' }))).rejects.toThrow('try later');
    expect(client.commands).toHaveLength(1);
  });

  it('lets the run fall back to the hour thresholds during an outage, without failing it', async () => {
    // Arrange
    const { log, warnings } = recordingLog();
    const client = new RecordedPricingClient(FIXTURES, new Error('ThrottlingException: Rate exceeded'));
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
    expect(warnings.map((warning) => warning.message)).toEqual(['price source failed; falling back']);
  });
});
