import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Log } from '../../../src/shared/log.js';
import type { OptimizerSettings } from '../../../src/app/run-optimizer.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import { thresholdPolicy } from '../../../src/billing/index.js';
import { ChainedPriceCatalog } from '../../../src/pricing/chained-price-catalog.js';
import type { PriceCatalog } from '../../../src/ports/price-catalog.js';
import { loadPriceFile } from '../../../src/pricing/load-price-file.js';
import { reportKeys } from '../../../src/report/keys.js';
import type { InMemoryWorkspace } from '../../helpers/in-memory-fleet.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { DEFAULT_CONCURRENCY } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

const november = new Date('2026-11-01T00:00:00Z');
const midMonth = new Date('2026-11-15T12:00:00Z');

const settings = (overrides: Partial<OptimizerSettings> = {}): OptimizerSettings => ({
  asOf: midMonth,
  dryRun: true,
  forceMonthEnd: false,
  thresholds: thresholdPolicy(),
  assumedTimeoutMinutes: 60,
  ...DEFAULT_CONCURRENCY,
  account: '111122223333',
  ...overrides,
});

// 84 contiguous connected hours bill 85 with a 60-minute timeout.
const windowsStandard = (
  id: string,
  extra: Partial<Parameters<typeof workspace>[0]> = {},
): InMemoryWorkspace => ({
  workspace: workspace({
    workspaceId: id,
    operatingSystem: 'WINDOWS_SERVER_2022',
    rootVolumeSizeGib: 80,
    userVolumeSizeGib: 50,
    ...extra,
  }),
  usage: { ok: true, value: hourlyUsage(november, 84) },
});

async function aggregatedRows(store: MemoryStore, asOf = midMonth): Promise<Record<string, string>[]> {
  const body = await store.get(reportKeys.dailyAggregated(asOf));
  return parse(body!, { columns: true });
}

describe('Function: runOptimizer with a price catalog', () => {
  it('decides by the price break-even and reports the money', async () => {
    // Arrange: sample prices put STANDARD Windows at 35 / 9.75 + 0.30 -> break-even 84 h (table: 85)
    const fleet = new InMemoryFleet([
      windowsStandard('ws-priced'),
      windowsStandard('ws-unpriced', { region: 'eu-west-1', operatingSystem: 'UBUNTU_22_04' }),
    ]);
    const store = new MemoryStore();
    // Act
    const { results } = await runOptimizer(
      {
        fleet,
        switcher: fleet,
        ...storeBacked(store),
        prices: await loadPriceFile('data/sample-prices.csv'),
      },
      settings(),
    );
    const rows = await aggregatedRows(store);
    // Assert
    expect(results.map((r) => [r.workspace.workspaceId, r.billableHours, r.decision.action])).toEqual([
      ['ws-unpriced', 85, 'NONE'],
      ['ws-priced', 85, 'TO_ALWAYS_ON'],
    ]);
    const priced = rows.find((row) => row.workspace_id === 'ws-priced')!;
    expect(priced).toMatchObject({
      threshold_hours: '84',
      threshold_source: 'price',
      currency: 'USD',
      hourly_rate: '0.30', // money shows at least two decimals
      autostop_monthly_fee: '9.75',
      alwayson_monthly_price: '35.00',
      cost_to_date: '35.25', // 9.75 + 0.30 x 85
      projected_cost_current_mode: '62.55', // 9.75 + 0.30 x ceil(85 x 720 / 348) = 176 h
      projected_cost_other_mode: '35.00',
      estimated_monthly_savings: '9.22', // 62.55 - (35.25 + 35 x 372 / 720 = 53.33)
      // The row explains itself: P, P' and both savings (docs/finance.md)
      projected_hours: '176',
      projected_hours_next_month: '182', // ceil(85 x 744 / 348)
      projection_basis: 'month_to_date',
      savings_this_month: '9.22',
      savings_per_month_from_next_month: '29.35', // 9.75 + 0.30 x 182 - 35
      needs_attention: '',
    });
    const unpriced = rows.find((row) => row.workspace_id === 'ws-unpriced')!;
    expect(unpriced).toMatchObject({
      threshold_hours: '85',
      threshold_source: 'default',
      currency: '',
      hourly_rate: '',
      cost_to_date: '',
      estimated_monthly_savings: '',
    });
  });

  it('lets a configured override beat the price', async () => {
    const fleet = new InMemoryFleet([windowsStandard('ws-1')]);
    const { results } = await runOptimizer(
      {
        fleet,
        switcher: fleet,
        ...storeBacked(),
        prices: await loadPriceFile('data/sample-prices.csv'),
      },
      settings({ thresholds: thresholdPolicy({ STANDARD: 90 }) }),
    );
    expect(results[0]!.threshold).toEqual({ hours: 90, source: 'override' });
    expect(results[0]!.decision.action).toBe('NONE');
    expect(results[0]!.cost?.figures.estimatedMonthlySavings?.toFixed(2)).toBe('0.00');
  });

  it('falls back to the hour thresholds when the price source is down, and the run succeeds', async () => {
    // Arrange
    const warnings: string[] = [];
    const log: Log = { info() {}, error() {}, warn: (message) => warnings.push(message) };
    const down: PriceCatalog = {
      lookup: async () => {
        throw new Error('ServiceUnavailableException: pricing is down');
      },
    };
    const fleet = new InMemoryFleet([windowsStandard('ws-1'), windowsStandard('ws-2')]);
    const store = new MemoryStore();
    // Act
    const { results, summary } = await runOptimizer(
      {
        fleet,
        switcher: fleet,
        ...storeBacked(store),
        log,
        prices: new ChainedPriceCatalog([down], log),
      },
      settings(),
    );
    // Assert
    expect(summary.writeFailures).toEqual([]);
    expect(results.map((r) => r.threshold)).toEqual([
      { hours: 85, source: 'default' },
      { hours: 85, source: 'default' },
    ]);
    expect(results.every((r) => r.cost === undefined)).toBe(true);
    expect(warnings).toEqual(['price source failed; falling back']);
    expect((await aggregatedRows(store))[0]!.currency).toBe('');
  });

  it('logs a conversion that the projection says costs more', async () => {
    // Arrange: default threshold 85 (no price-driven threshold: override equals the table), Nov 28,
    // H = 86 -> keep AutoStop 38.55, switch now 39.05
    const warnings: string[] = [];
    const log: Log = { info() {}, error() {}, warn: (message) => warnings.push(message) };
    const fleet = new InMemoryFleet([
      { ...windowsStandard('ws-1'), usage: { ok: true, value: hourlyUsage(november, 85) } },
    ]);
    // Act
    const store = new MemoryStore();
    const { results } = await runOptimizer(
      {
        fleet,
        switcher: fleet,
        ...storeBacked(store),
        log,
        prices: await loadPriceFile('data/sample-prices.csv'),
      },
      settings({ asOf: new Date('2026-11-28T00:00:00Z'), thresholds: thresholdPolicy({ STANDARD: 85 }) }),
    );
    // Assert
    expect(results[0]!.decision.action).toBe('TO_ALWAYS_ON');
    expect(results[0]!.cost?.figures.estimatedMonthlySavings?.toFixed(2)).toBe('-0.50');
    expect(results[0]!.cost?.figures.savingsThisMonth?.toFixed(2)).toBe('-0.50');
    expect(warnings).toEqual(['conversion projected to cost more']);
    // Said in the report and the run summary, not only in the log.
    expect((await aggregatedRows(store, new Date('2026-11-28T00:00:00Z')))[0]).toMatchObject({
      needs_attention: 'COSTS_MORE',
      attention_detail: expect.stringContaining('USD 0.50 more this month'),
    });
  });
});
