import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConversionLedger } from '../../../../src/app/ledger/conversion-ledger.js';
import type { LedgerTestWorkspace } from './ledger-fleet.js';
import { LedgerWorld } from './ledger-fleet.js';

/** One run of a sequence: when, and what fails during it. */
interface RunPlan {
  readonly day: number;
  readonly hour: number;
  /** Ledger writes refused at the start of the run (claims, settles, markers). */
  readonly ledgerFailures: number;
  readonly reportsFail: boolean;
  readonly eventsFail: boolean;
  /** WorkSpaces whose next modify fails. */
  readonly modifyFailures: readonly number[];
  /** Started before the previous run's claims expired (a retry right after a crash). */
  readonly soon: boolean;
  /** Before the run, an operator puts this WorkSpace back to the mode it started the month in. */
  readonly operatorReverts: number | undefined;
}

const workspaceSpec = fc.record({
  runningMode: fc.constantFrom<'AUTO_STOP' | 'ALWAYS_ON'>('AUTO_STOP', 'ALWAYS_ON'),
  hoursPerDay: fc.integer({ min: 0, max: 9 }),
  firstDay: fc.integer({ min: 1, max: 28 }),
  autoStopTimeoutMinutes: fc.constantFrom(60, 120, 480),
});

const runPlan: fc.Arbitrary<RunPlan> = fc.record({
  day: fc.integer({ min: 1, max: 30 }),
  hour: fc.integer({ min: 0, max: 23 }),
  ledgerFailures: fc.integer({ min: 0, max: 3 }),
  reportsFail: fc.boolean(),
  eventsFail: fc.boolean(),
  modifyFailures: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }),
  soon: fc.boolean(),
  operatorReverts: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
});

describe('Property: any sequence of runs in a month, with reruns and failures', () => {
  it('changes each WorkSpace at most once by wco, and leaves the ledger and the fleet in agreement', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(workspaceSpec, { minLength: 1, maxLength: 5 }),
        fc.array(runPlan, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('kept', 'dropped', 'reset'),
        async (specs, plans, timeoutAfterSwitch) => {
          // Arrange
          const workspaces: LedgerTestWorkspace[] = specs.map((spec, index) => ({
            ...spec,
            id: `ws-${index}`,
          }));
          const world = new LedgerWorld(workspaces);
          const { fleet, store, sink } = world;
          // What the API answers for the AutoStop timeout of a WorkSpace switched to AlwaysOn.
          fleet.dropTimeoutOnAlwaysOn = timeoutAfterSwitch === 'dropped';
          fleet.resetTimeoutOnAlwaysOn = timeoutAfterSwitch === 'reset';
          const initial = new Map(workspaces.map((spec) => [spec.id, spec.runningMode]));
          const run = (asOf: Date, soon: boolean) => world.run(asOf, { gapMinutes: soon ? 1 : 16 });
          const sorted = [...plans].sort((a, b) => a.day - b.day || a.hour - b.hour);
          const operatorTouched = new Set<string>();

          // Act: the planned runs with their failures, then one clean run after the last.
          for (const plan of sorted) {
            store.failNext.set('ledger/', plan.ledgerFailures);
            store.failingPrefixes = plan.reportsFail ? ['reports/'] : [];
            sink.failing = plan.eventsFail;
            for (const index of plan.modifyFailures)
              if (index < workspaces.length) fleet.failingModifies.set(`ws-${index}`, 1);
            if (plan.operatorReverts !== undefined && plan.operatorReverts < workspaces.length) {
              const id = `ws-${plan.operatorReverts}`;
              await fleet.operatorSets(id, initial.get(id)!);
              operatorTouched.add(id);
            }
            await run(new Date(Date.UTC(2026, 10, plan.day, plan.hour)), plan.soon);
          }
          store.failNext.clear();
          store.failingPrefixes = [];
          sink.failing = false;
          fleet.failingModifies.clear();
          const last = sorted.at(-1)!;
          await run(new Date(Date.UTC(2026, 10, last.day, last.hour, 59)), false);

          // Assert: at most one change per WorkSpace this month, by wco's hand.
          const changesPerWorkspace = new Map<string, number>();
          for (const change of fleet.changes)
            changesPerWorkspace.set(
              change.workspaceId,
              (changesPerWorkspace.get(change.workspaceId) ?? 0) + 1,
            );
          expect([...changesPerWorkspace.values()].every((count) => count <= 1)).toBe(true);

          // The ledger and the fleet agree: an APPLIED entry for exactly the WorkSpaces wco changed
          // (an operator's hand may undo wco's change: those are only held to "at most once").
          const { entries } = await new ConversionLedger(store).entriesOfMonth('2026-11');
          for (const spec of workspaces.filter((candidate) => !operatorTouched.has(candidate.id))) {
            const entry = entries.find((candidate) => candidate.workspaceId === spec.id);
            const mode = fleet.modeOf(spec.id);
            if (mode !== initial.get(spec.id))
              expect(entry).toMatchObject({ status: 'APPLIED', toMode: mode });
            else expect(entry?.status).not.toBe('APPLIED');
          }

          // Every applied conversion's event went out, and the audit would keep each once by its record id.
          const published = sink.events.filter(
            (event) => event.detailType === 'WorkSpace Running Mode Changed',
          );
          const ids = published.map((event) =>
            'recordId' in event.detail ? event.detail.recordId : undefined,
          );
          expect(new Set(ids)).toEqual(
            new Set(entries.filter((entry) => entry.status === 'APPLIED').map((entry) => entry.id)),
          );
        },
      ),
      { numRuns: 120 },
    );
  }, 120_000);
});
