import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/billing/index.js';
import {
  elapsedHoursInMonth,
  evaluateWorkspace,
  lastDayOfMonthUtc,
  thresholdPolicy,
} from '../../../src/billing/index.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import type { ObservedWorkspace } from '../../../src/ports/workspace.js';
import type { SimulatedWorkspace } from '../../../src/simulated/index.js';
import { DEMO_ACCOUNTS, EdgeCase, SimulatedFleet } from '../../../src/simulated/index.js';
import { MemoryStore } from '../../helpers/memory-store.js';
import { DEFAULT_CONCURRENCY } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

const MONTH_END = new Date('2026-11-30T23:00:00Z');
const QUERY = { asOf: MONTH_END, assumedTimeoutMinutes: 60 };
const SETTINGS = { thresholds: thresholdPolicy(), assumedTimeoutMinutes: 60, forceMonthEnd: false };

async function readAll(fleet: SimulatedFleet, query = QUERY): Promise<ObservedWorkspace[]> {
  const regions = await Promise.all(fleet.regions.map((region) => fleet.readRegion(region, query)));
  return regions.flatMap((region) => region.workspaces);
}

function evaluate(observed: ObservedWorkspace, asOf = MONTH_END) {
  return evaluateWorkspace(
    {
      runningMode: observed.workspace.runningMode,
      computeType: observed.workspace.computeType,
      autoStopTimeoutMinutes: observed.workspace.autoStopTimeoutMinutes,
      tags: observed.tags.ok ? observed.tags.value : undefined,
      usage: observed.usage.ok ? observed.usage.value : undefined,
    },
    SETTINGS,
    asOf,
  );
}

function edgeCaseOf(fleet: SimulatedFleet, edgeCase: EdgeCase): SimulatedWorkspace {
  const found = fleet.list().find((s) => s.edgeCase === edgeCase);
  if (!found) throw new Error(`no ${edgeCase} in the fleet`);
  return found;
}

const converts = (action: Decision['action']) => action === 'TO_ALWAYS_ON' || action === 'TO_AUTO_STOP';

describe('Class: SimulatedFleet', () => {
  describe('Method: readRegion', () => {
    // Reads do not change the fleet, so these tests share one.
    const shared = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END });

    it.each<[EdgeCase, Decision, ((threshold: number) => number) | undefined]>([
      [EdgeCase.AT_THRESHOLD, { action: 'NONE', reason: 'UNDER_THRESHOLD' }, (t) => t],
      [EdgeCase.ONE_ABOVE_THRESHOLD, { action: 'TO_ALWAYS_ON', reason: 'OVER_THRESHOLD' }, (t) => t + 1],
      [EdgeCase.AT_THRESHOLD_LONG_TIMEOUT, { action: 'NONE', reason: 'UNDER_THRESHOLD' }, (t) => t],
      [
        EdgeCase.ONE_ABOVE_THRESHOLD_LONG_TIMEOUT,
        { action: 'TO_ALWAYS_ON', reason: 'OVER_THRESHOLD' },
        (t) => t + 1,
      ],
      [
        EdgeCase.ALWAYS_ON_AT_THRESHOLD,
        { action: 'TO_AUTO_STOP', reason: 'UNDER_THRESHOLD_AT_MONTH_END' },
        (t) => t,
      ],
      [EdgeCase.ALWAYS_ON_ONE_ABOVE_THRESHOLD, { action: 'NONE', reason: 'OVER_THRESHOLD' }, (t) => t + 1],
      [
        EdgeCase.AUTO_STOP_WITHOUT_TIMEOUT,
        { action: 'TO_ALWAYS_ON', reason: 'OVER_THRESHOLD' },
        (t) => t + 1,
      ],
      [EdgeCase.UNKNOWN_COMPUTE_TYPE, { action: 'TO_ALWAYS_ON', reason: 'OVER_THRESHOLD' }, () => 83],
      [EdgeCase.EMPTY_COMPUTE_TYPE, { action: 'NONE', reason: 'UNDER_THRESHOLD' }, () => 82],
      [EdgeCase.EXEMPT_TAG_EMPTY_VALUE, { action: 'SKIP', reason: 'EXEMPT_TAG' }, undefined],
      [EdgeCase.EXEMPT_TAG_LOWER_CASE, { action: 'SKIP', reason: 'EXEMPT_TAG' }, undefined],
      [EdgeCase.EXEMPT_TAG_UPPER_CASE, { action: 'SKIP', reason: 'EXEMPT_TAG' }, undefined],
      [EdgeCase.MANUAL_MODE, { action: 'SKIP', reason: 'UNSUPPORTED_MODE' }, undefined],
      [EdgeCase.TAGS_UNREADABLE, { action: 'SKIP', reason: 'TAGS_UNAVAILABLE' }, undefined],
      [EdgeCase.USAGE_UNREADABLE, { action: 'ERROR', reason: 'METRICS_UNAVAILABLE' }, undefined],
      [EdgeCase.MODIFY_FAILS, { action: 'TO_ALWAYS_ON', reason: 'OVER_THRESHOLD' }, undefined],
      [EdgeCase.STATE_PENDING, { action: 'TO_ALWAYS_ON', reason: 'OVER_THRESHOLD' }, undefined],
      [EdgeCase.STATE_REBOOTING, { action: 'TO_ALWAYS_ON', reason: 'OVER_THRESHOLD' }, undefined],
      [EdgeCase.STATE_ERROR, { action: 'TO_AUTO_STOP', reason: 'UNDER_THRESHOLD_AT_MONTH_END' }, undefined],
      [
        EdgeCase.STATE_UPDATING,
        { action: 'TO_AUTO_STOP', reason: 'UNDER_THRESHOLD_AT_MONTH_END' },
        undefined,
      ],
    ])('at month end, evaluates %s to %j', async (edgeCase, decision, expectedHours) => {
      // Arrange
      const fleet = shared;
      const id = edgeCaseOf(fleet, edgeCase).workspace.workspaceId;

      // Act
      const observed = (await readAll(fleet)).find((o) => o.workspace.workspaceId === id);

      // Assert
      const evaluation = evaluate(observed as ObservedWorkspace);
      expect(evaluation.decision).toEqual(decision);
      if (expectedHours) expect(evaluation.billableHours).toBe(expectedHours(evaluation.threshold.hours));
    });

    it.each([1, 2, 3, 1234567])('gives the edge cases the same decisions for seed %i', async (seed) => {
      // Arrange
      const fleet = SimulatedFleet.generate({ seed, asOf: MONTH_END });
      const reference = shared;
      const decisionsOf = async (f: SimulatedFleet) =>
        Object.fromEntries(
          (await readAll(f)).flatMap((o) => {
            const edgeCase = f
              .list()
              .find((s) => s.workspace.workspaceId === o.workspace.workspaceId)?.edgeCase;
            // The user-name edge cases have random usage; the others are decided by construction.
            return edgeCase && !edgeCase.startsWith('USER_NAME_') ? [[edgeCase, evaluate(o).decision]] : [];
          }),
        );

      // Act / Assert
      expect(await decisionsOf(fleet)).toEqual(await decisionsOf(reference));
    });

    it('bills the threshold cases exactly at any month end, and nothing at or after asOf at any time', async () => {
      const months = fc.record({
        seed: fc.integer(),
        year: fc.integer({ min: 2024, max: 2030 }),
        month: fc.integer({ min: 0, max: 11 }),
        day: fc.integer({ min: 1, max: 31 }),
        minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
      });
      await fc.assert(
        fc.asyncProperty(months, async ({ seed, year, month, day, minute }) => {
          // Arrange: a time on any day of the month (clamped to its length), and the same time on its last day
          const first = Date.UTC(year, month, 1);
          const lastDay = lastDayOfMonthUtc(new Date(first)).getTime();
          const asOf = new Date(Math.min(first + (day - 1) * 86_400_000, lastDay) + minute * 60_000);
          const monthEnd = new Date(lastDay + (12 * 60 + (minute % 720)) * 60_000);

          // Act
          const anyDay = await readAll(SimulatedFleet.generate({ seed, asOf, count: 40 }), {
            ...QUERY,
            asOf,
          });
          const endFleet = SimulatedFleet.generate({ seed, asOf: monthEnd, count: 24 });
          const atEnd = await readAll(endFleet, { ...QUERY, asOf: monthEnd });

          // Assert
          const late = anyDay.flatMap((o) =>
            o.usage.ok ? o.usage.value.connectedStarts.filter((t) => t >= asOf.getTime()) : [],
          );
          expect(late).toEqual([]);
          for (const o of anyDay)
            expect(evaluate(o, asOf).billableHours ?? 0).toBeLessThanOrEqual(elapsedHoursInMonth(asOf));
          for (const [edgeCase, over] of [
            [EdgeCase.AT_THRESHOLD, 0],
            [EdgeCase.ONE_ABOVE_THRESHOLD, 1],
            [EdgeCase.AT_THRESHOLD_LONG_TIMEOUT, 0],
            [EdgeCase.ONE_ABOVE_THRESHOLD_LONG_TIMEOUT, 1],
            [EdgeCase.ALWAYS_ON_AT_THRESHOLD, 0],
            [EdgeCase.ALWAYS_ON_ONE_ABOVE_THRESHOLD, 1],
          ] as const) {
            const id = edgeCaseOf(endFleet, edgeCase).workspace.workspaceId;
            const evaluation = evaluate(
              atEnd.find((o) => o.workspace.workspaceId === id) as ObservedWorkspace,
              monthEnd,
            );
            expect(evaluation.billableHours).toBe(evaluation.threshold.hours + over);
          }
        }),
        { numRuns: 15 },
      );
    });

    it('reports the failed reads of the faulty WorkSpaces with their AWS-style messages', async () => {
      // Arrange
      const fleet = shared;
      const observed = await readAll(fleet);
      const byEdgeCase = (edgeCase: EdgeCase) =>
        observed.find((o) => o.workspace.workspaceId === edgeCaseOf(fleet, edgeCase).workspace.workspaceId);

      // Assert
      expect(byEdgeCase(EdgeCase.TAGS_UNREADABLE)?.tags).toEqual({
        ok: false,
        error: expect.stringMatching(/^AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/),
      });
      expect(byEdgeCase(EdgeCase.USAGE_UNREADABLE)?.usage).toEqual({
        ok: false,
        error: expect.stringMatching(/^ThrottlingException: Rate exceeded/),
      });
      expect(observed.filter((o) => !o.tags.ok || !o.usage.ok)).toHaveLength(2);
    });

    it('returns every WorkSpace of the region once, with 5-minute samples only before asOf', async () => {
      // Arrange
      const fleet = shared;

      // Act
      const read = await fleet.readRegion('eu-west-1', QUERY);

      // Assert
      const expected = fleet.list().filter((s) => s.workspace.region === 'eu-west-1');
      expect(read.region).toBe('eu-west-1');
      expect(read.problems).toEqual([]);
      expect(read.workspaces.map((o) => o.workspace.workspaceId).sort()).toEqual(
        expected.map((s) => s.workspace.workspaceId).sort(),
      );
      const late = read.workspaces.flatMap((o) =>
        o.usage.ok ? o.usage.value.connectedStarts.filter((t) => t >= MONTH_END.getTime()) : [],
      );
      expect(late).toEqual([]);
      for (const o of read.workspaces) if (o.usage.ok) expect(o.usage.value.periodMinutes).toBe(5);
    });

    it('reads samples from the previous month far enough back for the longest idle timeout', async () => {
      // Arrange
      const fleet = shared;
      const monthStart = Date.parse('2026-11-01T00:00:00Z');

      // Act
      const samples = (await readAll(fleet)).flatMap((o) =>
        o.usage.ok ? o.usage.value.connectedStarts : [],
      );

      // Assert: the longest timeout in the fleet is 240 minutes
      const earliest = samples.reduce((min, t) => Math.min(min, t), Number.POSITIVE_INFINITY);
      expect(earliest).toBeLessThan(monthStart);
      expect(earliest).toBeGreaterThanOrEqual(monthStart - (240 + 5) * 60_000);
    });

    it('rejects a region the fleet does not have', async () => {
      const fleet = shared;
      await expect(fleet.readRegion('ap-south-1', QUERY)).rejects.toThrow(/no region ap-south-1/);
    });

    it('reports the regions it was generated for, even an empty one', () => {
      const fleet = SimulatedFleet.generate({
        seed: 42,
        asOf: MONTH_END,
        count: 1,
        edgeCases: false,
        regions: ['us-east-1', 'eu-central-1', 'ap-northeast-1', 'sa-east-1'],
      });
      expect(fleet.regions).toEqual(['us-east-1', 'eu-central-1', 'ap-northeast-1', 'sa-east-1']);
    });
  });

  describe('Method: ofAccount', () => {
    it("reads only that account's WorkSpaces, all of them", async () => {
      // Arrange
      const fleet = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END, accounts: DEMO_ACCOUNTS });

      // Act
      const perAccount = await Promise.all(
        fleet.accounts.map(async (account) => {
          const view = fleet.ofAccount(account);
          const seen: string[] = [];
          for (const region of view.regions) {
            const reading = await view.openRegion(region, QUERY);
            for (const shard of reading.shards) {
              expect(shard.account).toBe(account);
              for await (const batch of reading.readBatches(shard))
                seen.push(...batch.map((observed) => observed.workspace.account));
            }
          }
          return seen;
        }),
      );

      // Assert
      expect(fleet.accounts).toEqual([...DEMO_ACCOUNTS].sort());
      perAccount.forEach((accounts, index) =>
        expect(new Set(accounts)).toEqual(new Set([fleet.accounts[index]])),
      );
      expect(perAccount.flat()).toHaveLength(200);
    });
  });

  describe('Method: setRunningMode', () => {
    it('changes the mode, and the next read shows it', async () => {
      // Arrange
      const fleet = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END });
      const target = edgeCaseOf(fleet, EdgeCase.ONE_ABOVE_THRESHOLD).workspace;

      // Act
      await fleet.setRunningMode(target, 'ALWAYS_ON');

      // Assert
      const after = (await readAll(fleet)).find((o) => o.workspace.workspaceId === target.workspaceId);
      expect(after?.workspace.runningMode).toBe('ALWAYS_ON');
      expect(after?.workspace.autoStopTimeoutMinutes).toBe(60);
      expect(evaluate(after as ObservedWorkspace).decision).toEqual({
        action: 'NONE',
        reason: 'OVER_THRESHOLD',
      });
    });

    it('gives a WorkSpace switched to AutoStop the default timeout when it had none', async () => {
      // Arrange
      const fleet = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END });
      const target = edgeCaseOf(fleet, EdgeCase.ALWAYS_ON_AT_THRESHOLD).workspace;

      // Act
      await fleet.setRunningMode(target, 'AUTO_STOP');

      // Assert
      const after = edgeCaseOf(fleet, EdgeCase.ALWAYS_ON_AT_THRESHOLD).workspace;
      expect(after).toMatchObject({ runningMode: 'AUTO_STOP', autoStopTimeoutMinutes: 60 });
    });

    it('rejects with the WorkSpace fault, and leaves the mode unchanged', async () => {
      // Arrange
      const fleet = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END });
      const target = edgeCaseOf(fleet, EdgeCase.MODIFY_FAILS).workspace;

      // Act
      const attempt = fleet.setRunningMode(target, 'ALWAYS_ON');

      // Assert
      await expect(attempt).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining('workspaces:ModifyWorkspaceProperties'),
      });
      expect(edgeCaseOf(fleet, EdgeCase.MODIFY_FAILS).workspace.runningMode).toBe('AUTO_STOP');
    });

    it.each([
      EdgeCase.STATE_PENDING,
      EdgeCase.STATE_REBOOTING,
      EdgeCase.STATE_ERROR,
      EdgeCase.STATE_UPDATING,
    ])('rejects %s like the service: the state does not allow it', async (edgeCase) => {
      const fleet = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END });
      const target = edgeCaseOf(fleet, edgeCase).workspace;
      await expect(fleet.setRunningMode(target, 'ALWAYS_ON')).rejects.toMatchObject({
        name: 'InvalidResourceStateException',
      });
    });

    it('rejects an unknown WorkSpace', async () => {
      const fleet = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END });
      const stranger = { ...edgeCaseOf(fleet, EdgeCase.AT_THRESHOLD).workspace, workspaceId: 'ws-000000000' };
      await expect(fleet.setRunningMode(stranger, 'ALWAYS_ON')).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    });
  });

  describe('Method: confirmTags', () => {
    it.each([
      [EdgeCase.EXEMPT_TAG_LOWER_CASE, { ok: true, value: { skip_convert: 'true' } }],
      [EdgeCase.TAGS_UNREADABLE, { ok: false, error: expect.stringMatching(/^AccessDeniedException/) }],
    ])('reads the tags of %s', async (edgeCase, expected) => {
      const fleet = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END });
      await expect(fleet.confirmTags(edgeCaseOf(fleet, edgeCase).workspace)).resolves.toEqual(expected);
    });
  });

  describe('Method: sessions', () => {
    it('returns the sessions of a WorkSpace, and none for an unknown one', () => {
      const fleet = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END });
      const full = fleet.list().find((s) => s.archetype === 'FULL_TIME') as SimulatedWorkspace;
      expect(fleet.sessions(full.workspace.workspaceId)).toEqual(full.sessions);
      expect(full.sessions.length).toBeGreaterThan(10);
      expect(fleet.sessions('ws-000000000')).toEqual([]);
    });
  });

  it('rejects a list with a WorkSpace twice', () => {
    const fleet = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END });
    const first = fleet.list()[0] as SimulatedWorkspace;
    expect(() => new SimulatedFleet([first, first])).toThrow(/appears twice/);
  });

  describe('Function: runOptimizer on the simulated fleet', () => {
    it.each([
      { dryRun: true, modifyFails: 'DRY_RUN' },
      { dryRun: false, modifyFails: 'FAILED' },
    ])(
      'defers the non-modifiable WorkSpaces and reports the modify fault (dry run $dryRun)',
      async ({ dryRun, modifyFails }) => {
        // Arrange
        const fleet = SimulatedFleet.generate({ seed: 42, asOf: MONTH_END });
        const store = new MemoryStore();

        // Act
        const { results, summary } = await runOptimizer(
          { fleet, switcher: fleet, ...storeBacked(store) },
          { ...SETTINGS, ...DEFAULT_CONCURRENCY, asOf: MONTH_END, dryRun, account: '123456789012' },
        );

        // Assert
        const outcomeOf = (edgeCase: EdgeCase) =>
          results.find((r) => r.workspace.workspaceId === edgeCaseOf(fleet, edgeCase).workspace.workspaceId)
            ?.outcome;
        expect(summary.workspaces).toBe(200);
        for (const edgeCase of [
          EdgeCase.STATE_PENDING,
          EdgeCase.STATE_REBOOTING,
          EdgeCase.STATE_ERROR,
          EdgeCase.STATE_UPDATING,
        ])
          expect(outcomeOf(edgeCase)).toBe('DEFERRED');
        expect(outcomeOf(EdgeCase.MODIFY_FAILS)).toBe(modifyFails);
        const conversions = results.filter((r) => converts(r.decision.action) && r.outcome !== 'DEFERRED');
        expect(conversions.length).toBeGreaterThan(20);
        const applied = results.filter((r) => r.outcome === 'APPLIED');
        expect(applied.length).toBe(dryRun ? 0 : conversions.length - 1);
        const aggregated = store.objects.get('reports/daily/2026/11/30/aggregated.csv')?.body ?? '';
        expect(aggregated).toContain('"Müller, Jürgen"');
        expect(aggregated).toContain('"O""Brien"');
        expect(aggregated).toContain('山田太郎');
      },
    );
  });
});
