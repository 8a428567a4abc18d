import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReplayPolicy } from '../../../../src/app/replay/replay-bills.js';
import { replayBills } from '../../../../src/app/replay/replay-bills.js';
import { replay } from '../../../../src/app/replay/replay.js';
import type { ConvertibleMode, ModeChange } from '../../../../src/billing/index.js';
import { money } from '../../../../src/billing/index.js';
import type { FleetHistory, WorkspaceHistory } from '../../../../src/ports/fleet-history.js';
import type { PriceQuote } from '../../../../src/ports/price-catalog.js';
import { SimulatedHistorySource } from '../../../../src/simulated/index.js';
import { MemoryDocumentStore } from '../../../../src/store/memory-document-store.js';
import { workspace } from '../../../helpers/in-memory-fleet.js';
import { replaySettings, runsOf, samplePrices } from './replay-world.js';

const HOUR_MS = 3_600_000;

/** For every WorkSpace and month, and for the month totals: the optimum costs no more than any policy. */
function expectOptimumBelowEveryPolicy(
  bills: ReturnType<typeof replayBills>,
  policies: readonly ReplayPolicy[],
): void {
  for (const figures of bills.workspaces)
    for (const policy of policies)
      expect(figures.costs.optimum!.lessThanOrEqualTo(figures.costs[policy]!)).toBe(true);
  for (const row of bills.months) {
    const optimum = bills.months.find(
      (other) => other.month === row.month && other.currency === row.currency && other.policy === 'optimum',
    )!;
    expect(optimum.cost.lessThanOrEqualTo(row.cost)).toBe(true);
  }
}

describe('Property: the optimum is a lower bound', () => {
  const settings = replaySettings('2027-01', '2027-02');
  const runs = runsOf(settings);
  const quote: PriceQuote = {
    source: 'file',
    prices: {
      currency: 'USD',
      alwaysOnMonthly: money('35'),
      autoStopMonthlyFee: money('9.75'),
      autoStopHourly: money('0.30'),
    },
  };
  const hoursInPeriod = (settings.period.end - settings.period.start) / HOUR_MS;
  const run = fc.integer({ min: 0, max: runs.length - 1 });
  const workspaceArb = fc.record({
    mode: fc.constantFrom<ConvertibleMode>('AUTO_STOP', 'ALWAYS_ON'),
    // Bursts of connected hours anywhere, from the evening before the period.
    bursts: fc.array(
      fc.record({
        first: fc.integer({ min: -6, max: hoursInPeriod - 1 }),
        length: fc.integer({ min: 1, max: 300 }),
      }),
      {
        maxLength: 6,
      },
    ),
    timeoutHours: fc.integer({ min: 1, max: 4 }),
    existence: fc.option(
      fc.tuple(fc.integer({ min: -24, max: hoursInPeriod }), fc.integer({ min: -24, max: hoursInPeriod })),
      {
        nil: undefined,
      },
    ),
    wco: fc.array(fc.record({ run, to: fc.constantFrom<ConvertibleMode>('AUTO_STOP', 'ALWAYS_ON') }), {
      maxLength: 4,
    }),
    forecast: fc.array(fc.record({ run, to: fc.constantFrom<ConvertibleMode>('AUTO_STOP', 'ALWAYS_ON') }), {
      maxLength: 4,
    }),
  });

  it('for any usage, existence and any changes a policy makes at the runs', () => {
    fc.assert(
      fc.property(fc.array(workspaceArb, { minLength: 1, maxLength: 6 }), (specs) => {
        const changesOf = (list: readonly { run: number; to: ConvertibleMode }[]): ModeChange[] =>
          [...list].sort((a, b) => a.run - b.run).map((change) => ({ at: runs[change.run]!, to: change.to }));
        const workspaces: WorkspaceHistory[] = specs.map((spec, index) => {
          const hours = new Set<number>();
          for (const { first, length } of spec.bursts)
            for (let hour = first; hour < Math.min(first + length, hoursInPeriod); hour += 1) hours.add(hour);
          return {
            workspace: workspace({
              workspaceId: `ws-${index}`,
              runningMode: spec.mode,
              autoStopTimeoutMinutes: spec.timeoutHours * 60,
              operatingSystem: 'WINDOWS_SERVER_2022',
            }),
            tags: { ok: true, value: {} },
            usage: {
              ok: true,
              value: {
                connectedStarts: [...hours]
                  .sort((a, b) => a - b)
                  .map((hour) => settings.period.start + hour * HOUR_MS),
                periodMinutes: 60,
              },
            },
            existence: spec.existence && {
              start: settings.period.start + Math.min(...spec.existence) * HOUR_MS,
              end: settings.period.start + (Math.max(...spec.existence) + 1) * HOUR_MS,
            },
          };
        });
        const history: FleetHistory = {
          account: '111122223333',
          regions: ['us-east-1'],
          workspaces,
          problems: [],
          notes: [],
        };
        const bills = replayBills({
          history,
          period: settings.period,
          runs,
          quotes: new Map(workspaces.map((item) => [item.workspace.workspaceId, quote])),
          changes: new Map<ReplayPolicy, Map<string, ModeChange[]>>([
            ['wco', new Map(specs.map((spec, index) => [`ws-${index}`, changesOf(spec.wco)]))],
            ['forecast', new Map(specs.map((spec, index) => [`ws-${index}`, changesOf(spec.forecast)]))],
          ]),
          assumedTimeoutMinutes: 60,
        });
        expectOptimumBelowEveryPolicy(bills, ['as_is', 'wco', 'forecast']);
      }),
      { numRuns: 60 },
    );
  });

  it('for any generated simulated fleet, replayed with wco and the forecast policy', async () => {
    const prices = await samplePrices();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          count: fc.integer({ min: 24, max: 32 }),
          month: fc.integer({ min: 0, max: 23 }),
          hour: fc.integer({ min: 0, max: 23 }),
          lifecycle: fc.boolean(),
        }),
        async ({ seed, count, month, hour, lifecycle }) => {
          const first = new Date(Date.UTC(2026, month, 1)).toISOString().slice(0, 7);
          const settings = replaySettings(first, first, {
            forecast: true,
            schedule: { kind: 'daily', hourUtc: hour },
          });
          const result = await replay(
            {
              history: new SimulatedHistorySource({ seed, count, lifecycle }),
              prices,
              ledgerStore: () => new MemoryDocumentStore(),
            },
            settings,
          );
          for (const row of result.rows) {
            const optimum = result.rows.find(
              (other) =>
                other.month === row.month && other.currency === row.currency && other.policy === 'optimum',
            )!;
            expect(optimum.cost.lessThanOrEqualTo(row.cost)).toBe(true);
            expect(row.regret.isNegative()).toBe(false);
          }
          for (const figures of result.biggestRegrets)
            expect(figures.costs.optimum!.lessThanOrEqualTo(figures.costs.wco!)).toBe(true);
        },
      ),
      { numRuns: 4 },
    );
  });
});
