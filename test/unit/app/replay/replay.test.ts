import { describe, expect, it } from 'vitest';
import { ConversionLedger } from '../../../../src/app/ledger/conversion-ledger.js';
import { LedgerStatus } from '../../../../src/app/ledger/ledger-entry.js';
import { ReplayPolicy } from '../../../../src/app/replay/replay-bills.js';
import { replayWco } from '../../../../src/app/replay/replay-wco.js';
import type { ReplayResult } from '../../../../src/app/replay/replay.js';
import { replay, TOTAL_MONTH } from '../../../../src/app/replay/replay.js';
import { runOptimizer } from '../../../../src/app/run-optimizer.js';
import { lookupPrice } from '../../../../src/app/workspace-cost.js';
import type { Money } from '../../../../src/billing/index.js';
import {
  billingStarts,
  idleTimeoutMinutes,
  isConvertibleMode,
  money,
  monthBill,
  monthOf,
  nextMonthStartUtc,
  roundCents,
} from '../../../../src/billing/index.js';
import type { FleetHistorySource } from '../../../../src/ports/fleet-history.js';
import { StoredReports } from '../../../../src/report/stored-reports.js';
import { silentLog } from '../../../../src/shared/log.js';
import {
  generateSimulatedHistory,
  SimulatedFleet,
  SimulatedHistorySource,
} from '../../../../src/simulated/index.js';
import { MemoryDocumentStore } from '../../../../src/store/memory-document-store.js';
import { MemoryStore } from '../../../helpers/memory-store.js';
import { optimizerSettings } from '../../../helpers/run-settings.js';
import { replaySettings, runsOf, samplePrices } from './replay-world.js';

const rowOf = (result: ReplayResult, month: string, policy: ReplayPolicy) =>
  result.rows.find((row) => row.month === month && row.policy === policy)!;

describe('wco in the replay', () => {
  it("converts exactly what the daily runs would have: the same use case and ledger, on the simulated fleet's own adapters", async () => {
    // Arrange: two months, the edge cases included, no joiners or leavers (the daily runs' fleet cannot change).
    const settings = replaySettings('2026-10', '2026-11');
    const runs = runsOf(settings);
    const prices = await samplePrices();
    const source = new SimulatedHistorySource({ seed: 7, count: 40, lifecycle: false });
    const history = await source.readHistory({ period: settings.period, assumedTimeoutMinutes: 60 });

    // Act: the replay's wco...
    const replayed = await replayWco(history, runs, new MemoryDocumentStore(), settings, { prices });
    // ...and the daily runs themselves: 5-minute samples, reports and the ledger in a store.
    const fleet = new SimulatedFleet(
      generateSimulatedHistory({
        seed: 7,
        count: 40,
        from: settings.period.months[0]!,
        to: settings.period.months[1]!,
        lifecycle: false,
      }),
    );
    const store = new MemoryStore();
    const ledger = new ConversionLedger(store);
    for (const asOf of runs)
      await runOptimizer(
        {
          fleet,
          switcher: fleet,
          reports: new StoredReports(store),
          ledger,
          prices,
          now: () => new Date(asOf.getTime() + 60_000),
        },
        optimizerSettings(asOf, history.account, { thresholds: settings.thresholds }),
      );

    // Assert
    const daily = [];
    for (const month of ['2026-10', '2026-11'])
      for (const entry of (await ledger.entriesOfMonth(month)).entries)
        if (entry.status === LedgerStatus.APPLIED)
          daily.push({ workspaceId: entry.workspaceId, at: entry.asOf, to: entry.toMode });
    const fromReplay = [...replayed.changes].flatMap(([workspaceId, changes]) =>
      changes.map((change) => ({ workspaceId, at: change.at.toISOString(), to: change.to })),
    );
    const order = (a: { workspaceId: string; at: string }, b: { workspaceId: string; at: string }) =>
      a.at.localeCompare(b.at) || a.workspaceId.localeCompare(b.workspaceId);
    expect(fromReplay.sort(order)).toEqual(daily.sort(order));
    // Both directions happen, and a month end's switch to AutoStop among them.
    expect(daily.some((change) => change.to === 'ALWAYS_ON')).toBe(true);
    expect(daily.some((change) => change.to === 'AUTO_STOP' && change.at.startsWith('2026-10-31'))).toBe(
      true,
    );
    expect(replayed.problems).toEqual([]);
  });
});

describe('The replay against doing nothing', () => {
  it('bills "as is" as every WorkSpace in its starting mode, month by month, without a conversion', async () => {
    // Arrange
    const settings = replaySettings('2026-10', '2026-11');
    const prices = await samplePrices();
    const source = new SimulatedHistorySource({ seed: 11, count: 40 });

    // Act
    const result = await replay(
      { history: source, prices, ledgerStore: () => new MemoryDocumentStore() },
      settings,
    );

    // Assert: the bill computed here, WorkSpace by WorkSpace.
    const history = await source.readHistory({ period: settings.period, assumedTimeoutMinutes: 60 });
    for (const month of settings.period.months) {
      let expected: Money = money(0);
      const start = month.getTime();
      const end = nextMonthStartUtc(month).getTime();
      for (const { workspace, usage, existence } of history.workspaces) {
        const quote = await lookupPrice(prices, workspace, silentLog);
        if (quote === undefined || !isConvertibleMode(workspace.runningMode) || !usage.ok) continue;
        if (existence !== undefined && (existence.end <= start || existence.start >= end)) continue;
        const timeout = idleTimeoutMinutes(workspace.runningMode, workspace.autoStopTimeoutMinutes, 60);
        const starts = billingStarts(usage.value, timeout, { start, end });
        const bill = monthBill(
          quote.prices,
          { startMode: workspace.runningMode },
          { monthStart: month, billingStarts: starts, existence },
        );
        expected = expected.plus(roundCents(bill));
      }
      const asIs = rowOf(result, monthOf(month), ReplayPolicy.AS_IS);
      expect(asIs.cost.toFixed(2)).toBe(expected.toFixed(2));
      expect(asIs.conversions).toBe(0);
      expect(asIs.savingsVsAsIs.isZero()).toBe(true);
    }
  });

  it('costs wco exactly "as is" when every WorkSpace is exempt', async () => {
    // Arrange: the simulated fleet with a Skip_Convert tag on every WorkSpace.
    const settings = replaySettings('2026-11', '2026-11');
    const simulated = new SimulatedHistorySource({ seed: 3, count: 30 });
    const exempt: FleetHistorySource = {
      async readHistory(query) {
        const history = await simulated.readHistory(query);
        return {
          ...history,
          workspaces: history.workspaces.map((item) => ({
            ...item,
            tags: { ok: true, value: { Skip_Convert: '' } },
          })),
        };
      },
    };

    // Act
    const result = await replay(
      { history: exempt, prices: await samplePrices(), ledgerStore: () => new MemoryDocumentStore() },
      settings,
    );

    // Assert
    const wco = rowOf(result, TOTAL_MONTH, ReplayPolicy.WCO);
    expect(wco.cost.equals(rowOf(result, TOTAL_MONTH, ReplayPolicy.AS_IS).cost)).toBe(true);
    expect(wco.conversions).toBe(0);
    expect(rowOf(result, TOTAL_MONTH, ReplayPolicy.OPTIMUM).cost.lessThan(wco.cost)).toBe(true);
  });
});

describe('The replay result', () => {
  it('has every month then the total, per policy, with savings, captured share and regret that add up', async () => {
    const settings = replaySettings('2026-10', '2026-11', { forecast: true });
    const result = await replay(
      {
        history: new SimulatedHistorySource({ seed: 5, count: 40 }),
        prices: await samplePrices(),
        ledgerStore: () => new MemoryDocumentStore(),
      },
      settings,
    );
    expect(result.rows.map((row) => `${row.month} ${row.policy}`)).toEqual(
      ['2026-10', '2026-11', TOTAL_MONTH].flatMap((month) =>
        ['as_is', 'wco', 'forecast', 'optimum'].map((policy) => `${month} ${policy}`),
      ),
    );
    for (const row of result.rows) {
      const asIs = rowOf(result, row.month, ReplayPolicy.AS_IS).cost;
      const optimum = rowOf(result, row.month, ReplayPolicy.OPTIMUM).cost;
      expect(row.savingsVsAsIs.equals(asIs.minus(row.cost))).toBe(true);
      expect(row.regret.equals(row.cost.minus(optimum))).toBe(true);
      expect(row.capturedShare?.equals(asIs.minus(row.cost).dividedBy(asIs.minus(optimum)))).toBe(true);
    }
    for (const policy of result.policies) {
      const months = result.rows.filter((row) => row.policy === policy && row.month !== TOTAL_MONTH);
      const total = rowOf(result, TOTAL_MONTH, policy);
      expect(total.cost.equals(months.reduce((sum, row) => sum.plus(row.cost), money(0)))).toBe(true);
      expect(total.conversions).toBe(months.reduce((sum, row) => sum + row.conversions, 0));
    }
    // The chart's lines end at (about) the table's totals: the table rounds each WorkSpace-month to cents.
    for (const line of result.cumulative) {
      const total = rowOf(result, TOTAL_MONTH, line.policy).cost;
      expect(line.days.at(-1)!.cost.minus(total).abs().toNumber()).toBeLessThan(
        result.workspaces * 2 * 0.005,
      );
      expect(line.days).toHaveLength(61);
    }
    expect(result.runs).toBe(61);
    expect(result.problems).toEqual([]);
  });
});
