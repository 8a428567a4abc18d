import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { breakEvenHours } from '../../../src/billing/index.js';
import {
  bundleOf,
  FindingKind,
  parsePriceListProducts,
  volumesOf,
} from '../../../src/pricing/price-list-products.js';
import type { PriceListRecording } from '../../../src/pricing/price-list-recording.js';
import { formatRecording } from '../../../src/pricing/price-list-recording.js';
import type { PriceEntry } from '../../../src/pricing/price-table.js';
import { PRICE_LIST_RECORDINGS } from '../../helpers/fixtures/price-list/recordings.js';
import type { HardwareRow } from '../../helpers/price-list-shape.js';
import { CORE, hardware, pairing, software, storage, US_EAST_1 } from '../../helpers/price-list-shape.js';

const FIXTURES = 'test/helpers/fixtures/price-list';
const recording = (region: string) =>
  JSON.parse(readFileSync(`${FIXTURES}/get-products_${region}.json`, 'utf8')) as PriceListRecording;
const documentsOf = (region: string) =>
  recording(region).queries.flatMap((query) => query.pages.flatMap((page) => page.PriceList));

/** One row per priced configuration: what finance checks against the pricing page. */
const rows = (entries: readonly PriceEntry[]) =>
  entries.map((entry) => [
    `${entry.computeType}${entry.plus ? ' PLUS' : ''} ${entry.os} ${entry.licence} ${entry.rootGib}/${entry.userGib}`,
    entry.prices.alwaysOnMonthly.toFixed(),
    entry.prices.autoStopMonthlyFee.toFixed(),
    entry.prices.autoStopHourly.toFixed(),
    breakEvenHours(entry.prices),
  ]);

const standard: Omit<HardwareRow, 'sku' | 'runningMode' | 'group' | 'usd' | 'rootGib' | 'userGib'> = {
  place: US_EAST_1,
  bundle: 'Standard',
  bundleGroup: 'Standard',
  operatingSystem: 'Windows',
  license: 'Included',
  vcpu: '2',
  memory: '4 GB',
};
const standard8050 = (prices: { alwaysOn: string; fee: string; hourly?: string }, skuPrefix = 'A') =>
  pairing(
    { ...standard, rootGib: 80, userGib: 50 },
    { skus: [`${skuPrefix}1`, `${skuPrefix}2`, `${skuPrefix}3`], ...prices },
  );

describe('The Price List fixtures', () => {
  it.each(Object.keys(PRICE_LIST_RECORDINGS))('%s is what generate.ts writes', (name) => {
    expect(readFileSync(`${FIXTURES}/${name}`, 'utf8')).toBe(formatRecording(PRICE_LIST_RECORDINGS[name]!));
  });
});

describe('Function: parsePriceListProducts, real-shaped answers', () => {
  it('prices Windows Included, a storage variant, a Plus bundle and GeneralPurpose in us-east-1', () => {
    // Act
    const parsed = parsePriceListProducts(documentsOf('us-east-1'), 'us-east-1');

    // Assert: the Core row and the $0 Software row change nothing; Standard-0 takes the family's hourly rate
    expect(rows(parsed.entries)).toEqual([
      ['GENERALPURPOSE_4XLARGE WINDOWS INCLUDED 175/100', '295', '19', '2.28', 121],
      ['GENERALPURPOSE_8XLARGE WINDOWS INCLUDED 175/100', '590', '19', '4.56', 125],
      ['STANDARD WINDOWS INCLUDED 80/10', '33', '7.25', '0.3', 85],
      ['STANDARD WINDOWS INCLUDED 80/50', '35', '9.75', '0.3', 84],
      ['STANDARD PLUS WINDOWS INCLUDED 80/50', '50', '24.75', '0.3', 84],
    ]);
    expect(parsed.entries.find((entry) => entry.rootGib === 80 && entry.userGib === 10)?.origin).toEqual({
      alwaysOnMonthly: 'SKU SAMPLESTD0080010',
      autoStopMonthlyFee: 'SKU SAMPLESTD0080011',
      autoStopHourly: 'SKU A7CA9Z8E4QB96DZW',
    });
    expect(parsed.storage).toMatchObject({
      currency: 'USD',
      rootSku: 'SAMPLESTORROOT01',
      userSku: 'SAMPLESTORUSER01',
    });
    expect(parsed.storage?.rootGibMonth?.toFixed()).toBe('0.08');
    expect(parsed.storage?.userGibMonth?.toFixed()).toBe('0.1');
    expect(parsed.counts).toEqual({ products: 19, otherFamily: 1, otherRegion: 0 });
    // The Plus bundle's positive Software row is reported, not added
    expect(parsed.findings).toEqual([
      {
        kind: FindingKind.SOFTWARE_NOT_ADDED,
        subject: 'us-east-1 STANDARD PLUS WINDOWS INCLUDED',
        detail: expect.stringContaining('SKU SAMPLESTDPLUSSW1: 15 USD per month'),
      },
    ]);
  });

  it('prices BYOL (hourly under OS Any), Windows Included and Amazon Linux (license None) in ap-southeast-1', () => {
    // Act
    const parsed = parsePriceListProducts(documentsOf('ap-southeast-1'), 'ap-southeast-1');

    // Assert
    expect(rows(parsed.entries)).toEqual([
      ['POWER AMAZON_LINUX INCLUDED 80/10', '112', '10', '0.95', 107],
      ['POWER WINDOWS BYOL 175/100', '120', '26', '0.95', 98],
      ['POWER WINDOWS INCLUDED 80/10', '116', '10', '0.99', 107],
      ['POWER WINDOWS INCLUDED 175/100', '124', '26', '0.99', 98],
    ]);
    expect(parsed.storage).toBeUndefined();
    // Amazon Linux's base bundle carries only the family's hourly rate
    expect(parsed.findings).toEqual([
      {
        kind: FindingKind.INCOMPLETE,
        subject: 'ap-southeast-1 POWER AMAZON_LINUX INCLUDED 175/100 GiB',
        detail: 'no AlwaysOn monthly price, no AutoStop monthly fee',
      },
    ]);
  });

  it('prices nothing of another region, and nothing of WorkSpaces Core', () => {
    const parsed = parsePriceListProducts(documentsOf('us-east-1'), 'eu-west-1');
    expect(parsed.entries).toEqual([]);
    expect(parsed.counts).toEqual({ products: 19, otherFamily: 1, otherRegion: 18 });
  });
});

describe('Function: parsePriceListProducts, how rows combine', () => {
  it('reports two different prices for one figure as ambiguous and prices neither', () => {
    // Arrange: two AlwaysOn rows for one configuration
    const documents = [
      ...standard8050({ alwaysOn: '35.0000000000', fee: '9.7500000000', hourly: '0.3000000000' }),
      hardware({
        ...standard,
        sku: 'B1',
        runningMode: 'AlwaysOn',
        group: 'User',
        rootGib: 80,
        userGib: 50,
        usd: '36.0000000000',
      }),
    ];
    // Act
    const parsed = parsePriceListProducts(documents, 'us-east-1');
    // Assert
    expect(parsed.entries).toEqual([]);
    expect(parsed.findings).toEqual([
      {
        kind: FindingKind.AMBIGUOUS,
        subject: 'us-east-1 STANDARD WINDOWS INCLUDED 80/50 GiB',
        detail: 'AlwaysOn monthly price: 35 USD (SKU A1) vs 36 USD (SKU B1)',
      },
    ]);
  });

  it('takes one price listed twice (same amount) without calling it ambiguous', () => {
    const documents = [
      ...standard8050({ alwaysOn: '35.0000000000', fee: '9.7500000000', hourly: '0.3000000000' }),
      hardware({
        ...standard,
        sku: 'B1',
        runningMode: 'AlwaysOn',
        group: 'User',
        rootGib: 80,
        userGib: 50,
        usd: '35.00',
      }),
    ];
    const parsed = parsePriceListProducts(documents, 'us-east-1');
    expect(rows(parsed.entries)).toEqual([['STANDARD WINDOWS INCLUDED 80/50', '35', '9.75', '0.3', 84]]);
    expect(parsed.findings).toEqual([]);
  });

  it('reports two different family hourly rates as ambiguous for a pairing without its own', () => {
    // Arrange: the 80/10 variant has no hourly row; the family has two that differ
    const documents = [
      ...standard8050({ alwaysOn: '35', fee: '9.75', hourly: '0.30' }),
      ...pairing(
        { ...standard, bundle: 'Standard-2', rootGib: 80, userGib: 100 },
        { skus: ['C1', 'C2', 'C3'], alwaysOn: '40', fee: '11', hourly: '0.31' },
      ),
      ...pairing(
        { ...standard, bundle: 'Standard-0', rootGib: 80, userGib: 10 },
        { skus: ['D1', 'D2'], alwaysOn: '33', fee: '7.25' },
      ),
    ];
    // Act
    const parsed = parsePriceListProducts(documents, 'us-east-1');
    // Assert: pairings with their own hourly rate are priced
    expect(rows(parsed.entries).map((row) => row[0])).toEqual([
      'STANDARD WINDOWS INCLUDED 80/50',
      'STANDARD WINDOWS INCLUDED 80/100',
    ]);
    expect(parsed.findings).toEqual([
      {
        kind: FindingKind.AMBIGUOUS,
        subject: 'us-east-1 STANDARD WINDOWS INCLUDED 80/10 GiB',
        detail: 'AutoStop hourly rate: 0.3 USD (SKU A3) vs 0.31 USD (SKU C3)',
      },
    ]);
  });

  it('reports an AlwaysOn price below the AutoStop fee as impossible', () => {
    const parsed = parsePriceListProducts(
      standard8050({ alwaysOn: '9', fee: '9.75', hourly: '0.30' }),
      'us-east-1',
    );
    expect(parsed.entries).toEqual([]);
    expect(parsed.findings).toEqual([
      expect.objectContaining({
        kind: FindingKind.IMPOSSIBLE,
        detail: expect.stringContaining('AlwaysOn 9 is below the AutoStop fee 9.75'),
      }),
    ]);
  });

  it('reads the volumes from rootvolume/uservolume, from storage alone, and refuses the two disagreeing', () => {
    // Arrange
    const only = (volumes: 'separate' | 'storage', sku: string) =>
      pairing(
        { ...standard, rootGib: 80, userGib: 50, volumes },
        { skus: [`${sku}1`, `${sku}2`, `${sku}3`], alwaysOn: '35', fee: '9.75', hourly: '0.3' },
      );
    // Act
    const separate = parsePriceListProducts(only('separate', 'S'), 'us-east-1');
    const combined = parsePriceListProducts(only('storage', 'T'), 'us-east-1');
    // Assert
    expect(rows(separate.entries)).toEqual([['STANDARD WINDOWS INCLUDED 80/50', '35', '9.75', '0.3', 84]]);
    expect(rows(combined.entries)).toEqual(rows(separate.entries));
    expect(volumesOf({ rootvolume: '80 GB', uservolume: '50 GB', storage: 'Root:80 GB,User:10 GB' })).toBe(
      'conflict',
    );
    expect(volumesOf({ rootvolume: '0 GB', uservolume: 'Custom' })).toBeUndefined();
    expect(volumesOf({ rootvolume: '175 GB', uservolume: '100 GB' })).toEqual({ rootGib: 175, userGib: 100 });
    expect(volumesOf({ storage: 'Root:175 GB,User:100 GB' })).toEqual({ rootGib: 175, userGib: 100 });
  });

  it('tells monthly from hourly by group, and refuses a group that disagrees with the unit', () => {
    // Arrange: an hourly row marked group User
    const documents = standard8050({ alwaysOn: '35', fee: '9.75' });
    const wrong = hardware({
      ...standard,
      sku: 'W1',
      runningMode: 'AutoStop',
      group: 'Usage',
      rootGib: 80,
      userGib: 50,
      usd: '0.3',
    }).replace('"unit":"Hour"', '"unit":"Month"');
    // Act
    const parsed = parsePriceListProducts([...documents, wrong], 'us-east-1');
    // Assert
    expect(parsed.entries).toEqual([]);
    expect(parsed.findings).toEqual([
      { kind: FindingKind.UNREADABLE, subject: 'SKU W1 (Standard)', detail: 'group "Usage" with unit month' },
      expect.objectContaining({ kind: FindingKind.INCOMPLETE, detail: 'no AutoStop hourly rate' }),
    ]);
  });

  it('finds the region of an offer without regionCode by its location, old "EU" name and new "Europe" name alike', () => {
    // Arrange
    const at = (location: string, sku: string) =>
      pairing(
        { ...standard, place: { location }, rootGib: 80, userGib: 50 },
        { skus: [`${sku}1`, `${sku}2`, `${sku}3`], alwaysOn: '38.5', fee: '10.75', hourly: '0.33' },
      );
    // Act
    const old = parsePriceListProducts(at('EU (Ireland)', 'E'), 'eu-west-1');
    const renamed = parsePriceListProducts(at('Europe (Ireland)', 'F'), 'eu-west-1');
    const elsewhere = parsePriceListProducts(at('Europe (Frankfurt)', 'G'), 'eu-west-1');
    // Assert
    expect(rows(old.entries)).toEqual([['STANDARD WINDOWS INCLUDED 80/50', '38.5', '10.75', '0.33', 84]]);
    expect(rows(renamed.entries)).toEqual(rows(old.entries));
    expect(elsewhere.entries).toEqual([]);
  });

  it('maps operating systems and licences as the Price List spells them, and skips the ones it does not know', () => {
    // Arrange
    const row = (operatingSystem: string, license: string, sku: string) =>
      pairing(
        { ...standard, operatingSystem, license, rootGib: 80, userGib: 50 },
        { skus: [`${sku}1`, `${sku}2`, `${sku}3`], alwaysOn: '31', fee: '9.75', hourly: '0.26' },
      );
    const documents = [
      ...row('Ubuntu Linux', 'None', 'U'),
      ...row('Red Hat Enterprise Linux', 'Included', 'R'),
      ...row('Rocky Linux', 'Included', 'K'),
      ...row('Linux', 'None', 'L'),
    ];
    // Act
    const parsed = parsePriceListProducts(documents, 'us-east-1');
    // Assert
    expect(rows(parsed.entries).map((entry) => entry[0])).toEqual([
      'STANDARD RHEL INCLUDED 80/50',
      'STANDARD ROCKY_LINUX INCLUDED 80/50',
      'STANDARD UBUNTU INCLUDED 80/50',
    ]);
    expect(parsed.findings.map((finding) => finding.detail)).toEqual([
      'operatingSystem "Linux" with license "None"',
      'operatingSystem "Linux" with license "None"',
      'operatingSystem "Linux" with license "None"',
    ]);
  });

  it('reports a product that is not JSON, and storage products priced twice', () => {
    const parsed = parsePriceListProducts(
      [
        '{not json',
        storage({ place: US_EAST_1, sku: 'R1', volume: 'root', usd: '0.08' }),
        storage({ place: US_EAST_1, sku: 'R2', volume: 'root', usd: '0.09' }),
        storage({ place: US_EAST_1, sku: 'U1', volume: 'user', usd: '0.1' }),
      ],
      'us-east-1',
    );
    expect(parsed.findings).toEqual([
      { kind: FindingKind.UNREADABLE, subject: 'product 1', detail: 'is not JSON' },
      {
        kind: FindingKind.AMBIGUOUS,
        subject: 'us-east-1 root volume storage',
        detail: 'GB-Month price: 0.08 USD (SKU R1) vs 0.09 USD (SKU R2)',
      },
    ]);
    expect(parsed.storage?.rootGibMonth).toBeUndefined();
    expect(parsed.storage?.userGibMonth?.toFixed()).toBe('0.1');
  });

  it('ignores $0 Software rows and WorkSpaces Core products', () => {
    const documents = [
      ...standard8050({ alwaysOn: '35', fee: '9.75', hourly: '0.30' }),
      software({ ...standard, sku: 'S0', usd: '0.0000000000' }),
      hardware({
        ...standard,
        productFamily: CORE,
        sku: 'C1',
        runningMode: 'AlwaysOn',
        group: 'User',
        rootGib: 80,
        userGib: 50,
        usd: '30',
      }),
    ];
    const parsed = parsePriceListProducts(documents, 'us-east-1');
    expect(rows(parsed.entries)).toEqual([['STANDARD WINDOWS INCLUDED 80/50', '35', '9.75', '0.3', 84]]);
    expect(parsed.findings).toEqual([]);
  });
});

describe('Function: bundleOf', () => {
  it.each([
    ['Standard', 'STANDARD', false],
    ['Standard-1', 'STANDARD', false],
    ['Standard Plus', 'STANDARD', true],
    ['Power Plus-2', 'POWER', true],
    ['PowerPro', 'POWERPRO', false],
    ['Graphics.g4dn', 'GRAPHICS_G4DN', false],
    ['GraphicsPro.g4dn-0', 'GRAPHICSPRO_G4DN', false],
    ['GeneralPurpose.4xlarge', 'GENERALPURPOSE_4XLARGE', false],
    ['GeneralPurpose.8xlarge-1', 'GENERALPURPOSE_8XLARGE', false],
  ])('reads bundle %s as compute type %s (Plus: %s)', (bundle, computeType, plus) => {
    expect(bundleOf(bundle)).toEqual({ computeType, plus });
  });
});
