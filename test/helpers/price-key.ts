import type { PriceKey } from '../../src/ports/price-key.js';

/** A STANDARD Windows bundle (80/50 GiB, not Plus) in us-east-1, changed where a test needs it. */
export const priceKey = (overrides: Partial<PriceKey> = {}): PriceKey => ({
  region: 'us-east-1',
  computeType: 'STANDARD',
  os: 'WINDOWS',
  licence: 'INCLUDED',
  rootVolumeGib: 80,
  userVolumeGib: 50,
  plus: false,
  ...overrides,
});
