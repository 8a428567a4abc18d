import { describe, expect, it } from 'vitest';
import type { Interval } from '../../../src/billing/index.js';
import { hashText } from '../../../src/simulated/seeded-random.js';
import {
  generateFleetWithExtras,
  generateSimulatedFleet,
  generateSimulatedHistory,
  SimulatedHistorySource,
  UsageArchetype,
} from '../../../src/simulated/index.js';

const SEPTEMBER = new Date('2026-09-01T00:00:00Z');
const NOVEMBER = new Date('2026-11-01T00:00:00Z');
const DECEMBER = Date.parse('2026-12-01T00:00:00Z');
const HOUR_MS = 3_600_000;

const connectedHours = (sessions: readonly Interval[], from: number, to: number) =>
  sessions.reduce((sum, s) => sum + Math.max(0, Math.min(s.end, to) - Math.max(s.start, from)), 0) / HOUR_MS;

describe('generateFleetWithExtras', () => {
  it('leaves the fleet exactly as generateSimulatedFleet gives it, and adds the extras after', () => {
    const options = { seed: 42, asOf: new Date('2026-11-30T23:00:00Z'), count: 60 };
    const { fleet, extras } = generateFleetWithExtras(options, [
      { stream: hashText('joiner'), index: 1 },
      { stream: hashText('joiner'), index: 2 },
    ]);
    expect(fleet).toEqual(generateSimulatedFleet(options));
    expect(extras).toHaveLength(2);
    const ids = new Set(fleet.map((s) => s.workspace.workspaceId));
    for (const extra of extras) expect(ids.has(extra.workspace.workspaceId)).toBe(false);
  });
});

describe('generateSimulatedHistory', () => {
  const options = { seed: 42, count: 120, from: SEPTEMBER, to: NOVEMBER };
  const history = generateSimulatedHistory(options);

  it('is the same for the same options', () => {
    expect(generateSimulatedHistory(options)).toEqual(history);
  });

  it('without its lifecycle, holds each month exactly as generateSimulatedFleet generates it', () => {
    const steady = generateSimulatedHistory({ ...options, lifecycle: false });
    const october = generateSimulatedFleet({
      seed: 42,
      count: 120,
      asOf: new Date(Date.parse('2026-11-01T00:00:00Z') - 60_000),
    });
    expect(steady).toHaveLength(120);
    const start = Date.parse('2026-10-01T00:00:00Z');
    const end = Date.parse('2026-11-01T00:00:00Z');
    for (const month of october) {
      const same = steady.find((s) => s.workspace.workspaceId === month.workspace.workspaceId)!;
      // The same WorkSpace (its state is the one at the start of the history).
      expect({ ...same.workspace, state: '' }).toEqual({ ...month.workspace, state: '' });
      const clip = (sessions: readonly Interval[]) =>
        sessions
          .map((s) => ({ start: Math.max(s.start, start), end: Math.min(s.end, end) }))
          .filter((s) => s.end > s.start);
      // Sessions merge across the seams of months; clipped to October they are October's.
      expect(connectedHours(clip(same.sessions), start, end)).toBeCloseTo(
        connectedHours(clip(month.sessions), start, end),
        6,
      );
    }
  });

  it('has new joiners, created on a weekday morning during the period, with no session before', () => {
    const joiners = history.filter(
      (s) => s.existence !== undefined && s.existence.start >= SEPTEMBER.getTime(),
    );
    expect(joiners.length).toBeGreaterThanOrEqual(3);
    for (const joiner of joiners) {
      const created = new Date(joiner.existence!.start);
      expect([1, 2, 3, 4, 5]).toContain(created.getUTCDay());
      expect(created.getUTCHours()).toBeGreaterThanOrEqual(7);
      expect(joiner.sessions.every((s) => s.start >= joiner.existence!.start)).toBe(true);
      expect(joiner.edgeCase).toBeUndefined();
    }
  });

  it('has leavers, removed during the period, with no session after; the edge cases stay', () => {
    const leavers = history.filter((s) => s.existence !== undefined && s.existence.end < DECEMBER);
    expect(leavers.length).toBeGreaterThanOrEqual(1);
    for (const leaver of leavers)
      expect(leaver.sessions.every((s) => s.end <= leaver.existence!.end)).toBe(true);
    expect(history.filter((s) => s.edgeCase !== undefined).every((s) => s.existence === undefined)).toBe(
      true,
    );
  });

  it('has seasons: the summer holidays make August lighter than September for the same users', () => {
    const summer = generateSimulatedHistory({
      seed: 42,
      count: 200,
      from: new Date('2026-08-01T00:00:00Z'),
      to: SEPTEMBER,
    });
    const steady = generateSimulatedHistory({
      seed: 42,
      count: 200,
      from: new Date('2026-08-01T00:00:00Z'),
      to: SEPTEMBER,
      lifecycle: false,
    });
    const august = [Date.parse('2026-08-01T00:00:00Z'), Date.parse('2026-09-01T00:00:00Z')] as const;
    const hours = (fleet: typeof summer) =>
      fleet
        .filter((s) => s.archetype === UsageArchetype.FULL_TIME && s.existence === undefined)
        .reduce((sum, s) => sum + connectedHours(s.sessions, ...august), 0);
    // The same users, with and without their holidays.
    expect(hours(summer)).toBeLessThan(hours(steady) * 0.85);
  });
});

describe('SimulatedHistorySource', () => {
  it('reads the history as hourly samples from before the period, with the edge cases faults and states', async () => {
    const source = new SimulatedHistorySource({ seed: 42, count: 40 });
    const period = { start: NOVEMBER.getTime(), end: DECEMBER };
    const history = await source.readHistory({ period, assumedTimeoutMinutes: 60 });
    expect(history.workspaces.length).toBeGreaterThanOrEqual(40);
    expect(history.regions).toEqual(['us-east-1', 'eu-west-1']);
    for (const { usage } of history.workspaces) {
      expect(usage.ok).toBe(true);
      if (!usage.ok) continue;
      expect(usage.value.periodMinutes).toBe(60);
      for (const t of usage.value.connectedStarts) {
        expect(t % HOUR_MS).toBe(0);
        expect(t).toBeGreaterThanOrEqual(period.start - 6 * HOUR_MS);
        expect(t).toBeLessThan(period.end);
      }
    }
    expect(history.workspaces.filter((w) => !w.tags.ok)).toHaveLength(1);
    expect(history.workspaces.filter((w) => w.faults?.usage !== undefined)).toHaveLength(1);
    expect(history.workspaces.filter((w) => w.faults?.modify !== undefined)).toHaveLength(1);
    expect(
      history.workspaces
        .map((w) => w.state)
        .filter((state) => state !== undefined)
        .sort(),
    ).toEqual(['ERROR', 'PENDING', 'REBOOTING', 'UPDATING']);
  });
});
