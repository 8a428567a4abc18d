import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import { loadPriceFile } from '../../../src/pricing/load-price-file.js';
import { reportKeys } from '../../../src/report/keys.js';
import type { Workspace } from '../../../src/ports/workspace.js';
import { hourlyUsage, InMemoryFleet, workspace } from '../../helpers/in-memory-fleet.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { optimizerSettings } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

const NOVEMBER_END = new Date('2026-11-30T23:00:00Z');
const DECEMBER_START = new Date('2026-12-01T02:17:00Z');

// Sample prices: STANDARD Windows 80/50 GiB is AlwaysOn 35, AutoStop 9.75 + 0.30/h.
const standard = (overrides: Partial<Workspace> = {}) =>
  workspace({
    operatingSystem: 'WINDOWS_SERVER_2022',
    rootVolumeSizeGib: 80,
    userVolumeSizeGib: 50,
    ...overrides,
  });

async function run(store: MemoryStore, asOf: Date, connectedHours: number, monthStart: Date) {
  const fleet = new InMemoryFleet([
    {
      workspace: standard({ workspaceId: 'ws-1' }),
      usage: { ok: true, value: hourlyUsage(monthStart, connectedHours) },
    },
  ]);
  const prices = await loadPriceFile('data/sample-prices.csv');
  await runOptimizer(
    { fleet, switcher: fleet, ...storeBacked(store), prices },
    optimizerSettings(asOf, '111122223333'),
  );
  return (
    parse((await store.get(reportKeys.dailyAggregated(asOf)))!, { columns: true }) as Record<string, string>[]
  )[0]!;
}

describe('Early in a month: projections from history, never from a few hours', () => {
  it("carries last month's rate when less than a week has elapsed", async () => {
    // Arrange: November billed 120 h by its month-end run (719 h elapsed)
    const store = new MemoryStore();
    await run(store, NOVEMBER_END, 119, new Date('2026-11-01T00:00:00Z'));

    // Act: 3 hours into December
    const row = await run(store, DECEMBER_START, 2, new Date('2026-12-01T00:00:00Z'));

    // Assert: 3 + ceil(120 x 741 / 719) = 127 h, not 744
    expect(row).toMatchObject({
      billable_hours: '3',
      projection_basis: 'previous_month',
      projected_hours: '127',
      projected_cost_current_mode: '47.85', // 9.75 + 0.30 x 127
      projected_cost_other_mode: '35.00',
    });
  });

  it("takes the directory's latest report of last month's last week, not only the month-end one", async () => {
    // Arrange: November's last report of the directory is from the 27th (no run after it)
    const store = new MemoryStore();
    await run(store, new Date('2026-11-27T23:00:00Z'), 100, new Date('2026-11-01T00:00:00Z'));

    // Act
    const row = await run(store, DECEMBER_START, 2, new Date('2026-12-01T00:00:00Z'));

    // Assert: 101 h over 647 elapsed: 3 + ceil(101 x 741 / 647) = 119
    expect(row).toMatchObject({ projection_basis: 'previous_month', projected_hours: '119' });
  });

  it("ignores a report from before last month's last week", async () => {
    const store = new MemoryStore();
    await run(store, new Date('2026-11-20T23:00:00Z'), 100, new Date('2026-11-01T00:00:00Z'));
    const row = await run(store, DECEMBER_START, 2, new Date('2026-12-01T00:00:00Z'));
    expect(row).toMatchObject({ projection_basis: 'none', projected_hours: '' });
  });

  it('projects nothing, and says so, without a usable last month', async () => {
    // Act
    const row = await run(new MemoryStore(), DECEMBER_START, 2, new Date('2026-12-01T00:00:00Z'));

    // Assert: month to date would say 744 h and 9.75 + 0.30 x 744 = 232.95
    expect(row).toMatchObject({
      billable_hours: '3',
      projection_basis: 'none',
      projected_hours: '',
      projected_cost_current_mode: '',
      cost_to_date: '10.65',
      savings_this_month: '0.00',
    });
  });

  it("does not read last month's report once a week has elapsed", async () => {
    const store = new MemoryStore();
    await run(store, NOVEMBER_END, 119, new Date('2026-11-01T00:00:00Z'));
    const row = await run(store, new Date('2026-12-08T00:00:00Z'), 20, new Date('2026-12-01T00:00:00Z'));
    expect(row).toMatchObject({
      projection_basis: 'month_to_date',
      projected_hours: String(Math.ceil((21 * 744) / 168)),
    });
  });
});

describe('A conversion reported from the ledger on a rerun of the day', () => {
  it('shows the same figures as the run that made it', async () => {
    // Arrange: 100 connected hours bill 101 > 84 h by Nov 15: AutoStop -> AlwaysOn
    const store = new MemoryStore();
    const asOf = new Date('2026-11-15T12:00:00Z');
    const first = await run(store, asOf, 100, new Date('2026-11-01T00:00:00Z'));

    // Act: the rerun finds the conversion applied today in the ledger
    const again = await run(store, asOf, 100, new Date('2026-11-01T00:00:00Z'));

    // Assert: every cell, the split savings, P and P' included
    expect(first).toMatchObject({ outcome: 'APPLIED', savings_this_month: expect.stringMatching(/\d/) });
    expect(first.savings_per_month_from_next_month).not.toBe('');
    expect(again).toEqual(first);
  });
});
