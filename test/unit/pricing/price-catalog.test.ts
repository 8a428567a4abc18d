import { describe, expect, it } from 'vitest';
import type { Log } from '../../../src/shared/log.js';
import { money } from '../../../src/billing/index.js';
import { ChainedPriceCatalog } from '../../../src/pricing/chained-price-catalog.js';
import type { PriceCatalog, PriceQuote } from '../../../src/ports/price-catalog.js';
import { licenceOf, osFamilyOf, priceKeyOf } from '../../../src/ports/price-key.js';
import type { Workspace } from '../../../src/ports/workspace.js';
import { priceKey } from '../../helpers/price-key.js';

const key = priceKey();
const quote = (alwaysOn: string, source: PriceQuote['source']): PriceQuote => ({
  prices: {
    currency: 'USD',
    alwaysOnMonthly: money(alwaysOn),
    autoStopMonthlyFee: money('9.75'),
    autoStopHourly: money('0.3'),
  },
  source,
});
const recordingLog = () => {
  const warnings: string[] = [];
  const log: Log = {
    info() {},
    error() {},
    warn: (message, attributes) => warnings.push(`${message} ${JSON.stringify(attributes)}`),
  };
  return { log, warnings };
};

describe('Class: ChainedPriceCatalog', () => {
  it('prefers the first catalog that knows the price', async () => {
    const file: PriceCatalog = { lookup: async () => quote('35', 'file') };
    const priceList: PriceCatalog = { lookup: async () => quote('36', 'price-list') };
    expect((await new ChainedPriceCatalog([file, priceList]).lookup(key))?.source).toBe('file');
  });

  it('asks the next catalog when the first does not know', async () => {
    const file: PriceCatalog = { lookup: async () => undefined };
    const priceList: PriceCatalog = { lookup: async () => quote('36', 'price-list') };
    expect((await new ChainedPriceCatalog([file, priceList]).lookup(key))?.source).toBe('price-list');
  });

  it('falls back past an outage and warns once', async () => {
    // Arrange
    const { log, warnings } = recordingLog();
    const down: PriceCatalog = {
      lookup: async () => {
        throw new Error('ThrottlingException: Rate exceeded');
      },
    };
    const chain = new ChainedPriceCatalog([down], log);
    // Act
    const first = await chain.lookup(key);
    const second = await chain.lookup(key);
    // Assert
    expect(first).toBeUndefined();
    expect(second).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Rate exceeded');
  });
});

describe('Function: priceKeyOf', () => {
  const workspace = (overrides: Partial<Workspace>): Workspace => ({
    workspaceId: 'ws-1',
    account: '123456789012',
    region: 'us-east-1',
    directoryId: 'd-1',
    userName: 'anna',
    computerName: 'A',
    computeType: 'STANDARD',
    runningMode: 'AUTO_STOP',
    autoStopTimeoutMinutes: 60,
    state: 'AVAILABLE',
    operatingSystem: 'WINDOWS_SERVER_2022',
    rootVolumeSizeGib: 80,
    userVolumeSizeGib: 50,
    ...overrides,
  });

  it.each([
    ['WINDOWS_SERVER_2022', 'WINDOWS'],
    ['WINDOWS_11', 'WINDOWS'],
    ['AMAZON_LINUX_2', 'AMAZON_LINUX'],
    ['UBUNTU_22_04', 'UBUNTU'],
    ['ROCKY_LINUX_8', 'ROCKY_LINUX'],
    ['RHEL_8', 'RHEL'],
    ['UNKNOWN', undefined],
    [undefined, undefined],
  ])('maps %s to %s', (name, family) => {
    expect(osFamilyOf(name)).toBe(family);
  });

  it.each([
    [{}, 'INCLUDED'],
    [{ operatingSystem: 'WINDOWS_11' }, 'BYOL'],
    [{ operatingSystem: 'WINDOWS_10' }, 'BYOL'],
    [{ operatingSystem: 'WINDOWS_SERVER_2019', licence: 'BYOL' as const }, 'BYOL'],
  ])('licence of %o is %s', (overrides, expected) => {
    expect(licenceOf(workspace(overrides))).toBe(expected);
  });

  it('has no key without a known OS or compute type', () => {
    expect(priceKeyOf(workspace({ operatingSystem: undefined }))).toBeUndefined();
    expect(priceKeyOf(workspace({ computeType: '' }))).toBeUndefined();
    expect(priceKeyOf(workspace({}))).toEqual(key);
  });
});
