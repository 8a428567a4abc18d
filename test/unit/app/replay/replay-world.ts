import { replayPeriod, runTimes } from '../../../../src/app/replay/replay-period.js';
import type { ReplaySettings } from '../../../../src/app/replay/replay.js';
import { thresholdPolicy } from '../../../../src/billing/index.js';
import { CONFIG_DEFAULTS } from '../../../../src/config/defaults.js';
import type { PriceCatalog } from '../../../../src/ports/price-catalog.js';
import { buildPriceCatalog } from '../../../../src/pricing/build-price-catalog.js';
import { DEFAULT_CONCURRENCY } from '../../../helpers/run-settings.js';

/** The demo's illustrative prices (data/sample-prices.csv). */
export async function samplePrices(): Promise<PriceCatalog> {
  return (await buildPriceCatalog({ priceFile: CONFIG_DEFAULTS.demoPriceFile }))!;
}

/** The replay of the whole months from `from`'s to `to`'s, daily at 23:00, with the contract's thresholds. */
export function replaySettings(
  from: string,
  to: string,
  overrides: Partial<ReplaySettings> = {},
): ReplaySettings {
  return {
    period: replayPeriod(new Date(`${from}-01T00:00:00Z`), new Date(`${to}-01T00:00:00Z`)),
    schedule: { kind: 'daily', hourUtc: 23 },
    thresholds: thresholdPolicy(),
    assumedTimeoutMinutes: 60,
    forecast: false,
    until: new Date('2027-06-01T00:00:00Z'),
    ...DEFAULT_CONCURRENCY,
    ...overrides,
  };
}

export function runsOf(settings: ReplaySettings): Date[] {
  return runTimes(settings.period, settings.schedule);
}
