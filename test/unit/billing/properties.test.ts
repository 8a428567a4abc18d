import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnectedSamples, DecisionInput, Interval } from '../../../src/billing/index.js';
import {
  Action,
  Reason,
  RunningMode,
  billableHours,
  decide,
  elapsedHoursInMonth,
  hoursInMonthUtc,
  toHourlySamples,
  usageWindow,
} from '../../../src/billing/index.js';
import { HOUR_MS, MINUTE_MS } from '../../helpers/billing.js';

const FIVE_MINUTES_MS = 5 * MINUTE_MS;

interface Scenario {
  readonly asOf: Date;
  readonly window: Interval;
  readonly samples: ConnectedSamples;
}

/**
 * An integer in `[min, max]`, mostly uniform: fast-check's default bias towards the bounds
 * would otherwise put `T` on the month start (an empty window) in most runs.
 */
function mostlyUniform(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.noBias(fc.integer({ min, max })), weight: 9 },
    { arbitrary: fc.integer({ min, max }), weight: 1 },
  );
}

/**
 * `T`: on an hour boundary, on a minute, or at any millisecond; early in the month
 * (where the previous month's tail matters) or anywhere in it.
 */
const asOfArb = fc
  .record({
    year: fc.integer({ min: 2020, max: 2030 }),
    month: fc.integer({ min: 0, max: 11 }),
    early: fc.boolean(),
    unit: fc.constantFrom(HOUR_MS, MINUTE_MS, 1),
  })
  .chain(({ year, month, early, unit }) => {
    const monthStart = Date.UTC(year, month, 1);
    const span = early ? 30 * HOUR_MS : hoursInMonthUtc(new Date(monthStart)) * HOUR_MS;
    return mostlyUniform(0, Math.floor(span / unit)).map((steps) => new Date(monthStart + steps * unit));
  });

/**
 * 5-minute `UserConnected` samples as sessions (runs of consecutive samples) from two days
 * before `T` (or the previous month's last evening) to three hours after `T`.
 */
function samplesAround(asOf: Date): fc.Arbitrary<ConnectedSamples> {
  const window = usageWindow(asOf);
  const low = Math.floor(Math.max(window.start - 8 * HOUR_MS, window.end - 48 * HOUR_MS) / FIVE_MINUTES_MS);
  const high = Math.floor((window.end + 3 * HOUR_MS) / FIVE_MINUTES_MS);
  const session = fc.record({
    first: fc.integer({ min: low, max: high }),
    count: fc.integer({ min: 1, max: 48 }),
  });
  return fc.array(session, { maxLength: 8 }).map((runs) => ({
    connectedStarts: runs.flatMap(({ first, count }) =>
      Array.from({ length: count }, (_, i) => (first + i) * FIVE_MINUTES_MS),
    ),
    periodMinutes: 5,
  }));
}

const scenarioArb: fc.Arbitrary<Scenario> = asOfArb.chain((asOf) =>
  samplesAround(asOf).map((samples) => ({ asOf, window: usageWindow(asOf), samples })),
);

/** Any idle timeout in minutes, not only the contract's whole hours. */
const anyTimeoutArb = fc.integer({ min: 0, max: 600 });
/** The contract's idle timeouts: multiples of 60 minutes. */
const wholeHourTimeoutArb = fc.integer({ min: 0, max: 8 }).map((hours) => hours * 60);

/**
 * The contract read literally, minute by minute: a minute runs if it lies in
 * `[t, t + period + I)` of a connected sample and overlaps the usage window; `H` is the
 * number of distinct clock hours holding a running minute.
 */
function bruteForceHours(samples: ConnectedSamples, timeoutMinutes: number, window: Interval): number {
  if (samples.connectedStarts.length === 0) return 0;
  const minutes = samples.connectedStarts.map((t) => t / MINUTE_MS);
  const first = Math.min(...minutes);
  const length = Math.max(...minutes) - first + samples.periodMinutes + timeoutMinutes;
  const running = new Uint8Array(length);
  for (const m of minutes) running.fill(1, m - first, m - first + samples.periodMinutes + timeoutMinutes);
  const hours = new Set<number>();
  running.forEach((isRunning, i) => {
    const minuteStart = (first + i) * MINUTE_MS;
    // Window bounds: the month start is a whole minute; T may fall inside the minute.
    if (isRunning && minuteStart >= window.start && minuteStart < window.end) {
      hours.add(Math.floor(minuteStart / HOUR_MS));
    }
  });
  return hours.size;
}

describe('Function: billableHours — properties', () => {
  it('0 <= H <= elapsedHoursInMonth(T)', () => {
    fc.assert(
      fc.property(scenarioArb, anyTimeoutArb, ({ asOf, window, samples }, timeout) => {
        const hours = billableHours(samples, timeout, window);
        expect(Number.isInteger(hours)).toBe(true);
        expect(hours).toBeGreaterThanOrEqual(0);
        expect(hours).toBeLessThanOrEqual(elapsedHoursInMonth(asOf));
      }),
      { numRuns: 2000 },
    );
  });

  it('H reaches elapsedHoursInMonth(T) when connected all the time', () => {
    fc.assert(
      fc.property(asOfArb, wholeHourTimeoutArb, (asOf, timeout) => {
        const window = usageWindow(asOf);
        const first = Math.floor((window.start - HOUR_MS) / FIVE_MINUTES_MS);
        const last = Math.floor(window.end / FIVE_MINUTES_MS);
        const samples = {
          connectedStarts: Array.from({ length: last - first + 1 }, (_, i) => (first + i) * FIVE_MINUTES_MS),
          periodMinutes: 5,
        };
        expect(billableHours(samples, timeout, window)).toBe(elapsedHoursInMonth(asOf));
      }),
      { numRuns: 200 },
    );
  });

  it('H never decreases when samples are added', () => {
    const arb = asOfArb.chain((asOf) =>
      fc.tuple(fc.constant(asOf), samplesAround(asOf), samplesAround(asOf), anyTimeoutArb),
    );
    fc.assert(
      fc.property(arb, ([asOf, base, extra, timeout]) => {
        const window = usageWindow(asOf);
        const more = {
          connectedStarts: [...base.connectedStarts, ...extra.connectedStarts],
          periodMinutes: 5,
        };
        expect(billableHours(more, timeout, window)).toBeGreaterThanOrEqual(
          billableHours(base, timeout, window),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('H never decreases when the idle timeout grows', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        anyTimeoutArb,
        fc.nat({ max: 600 }),
        ({ window, samples }, timeout, growth) => {
          expect(billableHours(samples, timeout + growth, window)).toBeGreaterThanOrEqual(
            billableHours(samples, timeout, window),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('equals a brute-force minute-by-minute simulation of the contract, for 5-minute and hourly samples', () => {
    fc.assert(
      fc.property(scenarioArb, anyTimeoutArb, ({ window, samples }, timeout) => {
        expect(billableHours(samples, timeout, window)).toBe(bruteForceHours(samples, timeout, window));
        const hourly = toHourlySamples(samples);
        expect(billableHours(hourly, timeout, window)).toBe(bruteForceHours(hourly, timeout, window));
      }),
      { numRuns: 1500 },
    );
  });

  describe('the hourly shortcut (CloudWatch hourly Maximum) for whole-hour timeouts', () => {
    const hourStart = (t: number): number => Math.floor(t / HOUR_MS) * HOUR_MS;
    const hourly = (s: Scenario, timeout: number) =>
      billableHours(toHourlySamples(s.samples), timeout, s.window);
    const fiveMinute = (s: Scenario, timeout: number) => billableHours(s.samples, timeout, s.window);
    const beforeAsOf = (s: Scenario): Scenario => ({
      ...s,
      samples: { ...s.samples, connectedStarts: s.samples.connectedStarts.filter((t) => t < s.window.end) },
    });

    it('gives the same H as 5-minute samples for any T once samples at or after T are dropped', () => {
      fc.assert(
        fc.property(scenarioArb.map(beforeAsOf), wholeHourTimeoutArb, (scenario, timeout) => {
          expect(hourly(scenario, timeout)).toBe(fiveMinute(scenario, timeout));
        }),
        { numRuns: 3000 },
      );
    });

    it('gives the same H as 5-minute samples, samples after T included, when T is on an hour boundary', () => {
      const onTheHour = scenarioArb.filter((s) => s.window.end % HOUR_MS === 0);
      fc.assert(
        fc.property(onTheHour, wholeHourTimeoutArb, (scenario, timeout) => {
          expect(hourly(scenario, timeout)).toBe(fiveMinute(scenario, timeout));
        }),
        { numRuns: 2000 },
      );
    });

    it('otherwise over-counts by at most T’s own hour, and only when connected in [T, end of that hour)', () => {
      fc.assert(
        fc.property(scenarioArb, wholeHourTimeoutArb, (scenario, timeout) => {
          const excess = hourly(scenario, timeout) - fiveMinute(scenario, timeout);
          const end = scenario.window.end;
          const connectedAfterAsOfInItsHour = scenario.samples.connectedStarts.some(
            (t) => t >= end && t < hourStart(end) + HOUR_MS,
          );
          expect([0, 1]).toContain(excess);
          if (excess === 1) {
            expect(end % HOUR_MS).not.toBe(0);
            expect(connectedAfterAsOfInItsHour).toBe(true);
          }
        }),
        { numRuns: 3000 },
      );
    });

    it('counterexample: T = 10:30, connected 10:40-10:59 only -> 5-minute H = 0, hourly H = 1', () => {
      // Arrange
      const asOf = new Date('2026-11-20T10:30:00Z');
      const samples: ConnectedSamples = {
        connectedStarts: [0, 5, 10, 15].map((m) => Date.parse('2026-11-20T10:40:00Z') + m * MINUTE_MS),
        periodMinutes: 5,
      };

      // Act
      const fromFiveMinute = billableHours(samples, 60, usageWindow(asOf));
      const fromHourly = billableHours(toHourlySamples(samples), 60, usageWindow(asOf));

      // Assert: the hourly datapoint for 10:00 cannot tell that the connection began after T
      expect(fromFiveMinute).toBe(0);
      expect(fromHourly).toBe(1);
    });
  });
});

/** The contract's decision table, written out independently of `decide`: first match wins. */
const TABLE: ReadonlyArray<{
  readonly rule: number;
  readonly when: (input: DecisionInput) => boolean;
  readonly action: Action;
  readonly reason: Reason;
}> = [
  { rule: 0, when: (i) => i.tags === undefined, action: Action.SKIP, reason: Reason.TAGS_UNAVAILABLE },
  {
    rule: 1,
    when: (i) => Object.keys(i.tags ?? {}).some((k) => k.toUpperCase() === 'SKIP_CONVERT'),
    action: Action.SKIP,
    reason: Reason.EXEMPT_TAG,
  },
  {
    rule: 2,
    when: (i) => !['AUTO_STOP', 'ALWAYS_ON'].includes(i.runningMode),
    action: Action.SKIP,
    reason: Reason.UNSUPPORTED_MODE,
  },
  {
    rule: 3,
    when: (i) => i.billableHours === undefined,
    action: Action.ERROR,
    reason: Reason.METRICS_UNAVAILABLE,
  },
  {
    rule: 4,
    when: (i) => i.runningMode === 'AUTO_STOP' && i.billableHours! > i.thresholdHours,
    action: Action.TO_ALWAYS_ON,
    reason: Reason.OVER_THRESHOLD,
  },
  {
    rule: 5,
    when: (i) => i.runningMode === 'ALWAYS_ON' && i.monthEnd && i.billableHours! <= i.thresholdHours,
    action: Action.TO_AUTO_STOP,
    reason: Reason.UNDER_THRESHOLD_AT_MONTH_END,
  },
  {
    rule: 6,
    when: (i) => i.runningMode === 'AUTO_STOP' && i.billableHours! <= i.thresholdHours,
    action: Action.NONE,
    reason: Reason.UNDER_THRESHOLD,
  },
  {
    rule: 7,
    when: (i) => i.runningMode === 'ALWAYS_ON' && i.billableHours! > i.thresholdHours,
    action: Action.NONE,
    reason: Reason.OVER_THRESHOLD,
  },
  {
    rule: 8,
    when: (i) => i.runningMode === 'ALWAYS_ON' && !i.monthEnd && i.billableHours! <= i.thresholdHours,
    action: Action.NONE,
    reason: Reason.NOT_MONTH_END,
  },
];

/** The reasons each action may carry, per the contract table. */
const REASONS_BY_ACTION: Readonly<Record<Action, readonly Reason[]>> = {
  [Action.SKIP]: [Reason.TAGS_UNAVAILABLE, Reason.EXEMPT_TAG, Reason.UNSUPPORTED_MODE],
  [Action.ERROR]: [Reason.METRICS_UNAVAILABLE],
  [Action.TO_ALWAYS_ON]: [Reason.OVER_THRESHOLD],
  [Action.TO_AUTO_STOP]: [Reason.UNDER_THRESHOLD_AT_MONTH_END],
  [Action.NONE]: [Reason.UNDER_THRESHOLD, Reason.OVER_THRESHOLD, Reason.NOT_MONTH_END],
};

/** `Skip_Convert` in a random letter case. */
const exemptKeyArb = fc
  .array(fc.boolean(), { minLength: 12, maxLength: 12 })
  .map((upper) => [...'Skip_Convert'].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

const modeArb = fc.oneof(
  fc.constantFrom(RunningMode.AUTO_STOP, RunningMode.ALWAYS_ON, RunningMode.MANUAL, 'auto_stop', ''),
  fc.string(),
);
const tagsArb = fc.dictionary(
  fc.oneof(fc.string(), exemptKeyArb, fc.constantFrom('constructor', '__proto__')),
  fc.string(),
  {
    maxKeys: 5,
  },
);
const hoursArb = fc.oneof(fc.integer({ min: 0, max: 744 }), fc.double({ min: 0, max: 1000, noNaN: true }));
const decisionInputArb: fc.Arbitrary<DecisionInput> = fc.record({
  runningMode: modeArb,
  tags: fc.option(tagsArb, { nil: undefined }),
  billableHours: fc.option(hoursArb, { nil: undefined }),
  thresholdHours: fc.oneof(fc.integer({ min: 0, max: 744 }), fc.double({ min: -10, max: 1000, noNaN: true })),
  monthEnd: fc.boolean(),
});

/** Not only sane thresholds: `decide` must still answer for NaN and infinities. */
const anyDecisionInputArb: fc.Arbitrary<DecisionInput> = fc
  .tuple(decisionInputArb, fc.option(fc.double(), { nil: undefined }))
  .map(([input, oddThreshold]) =>
    oddThreshold === undefined ? input : { ...input, thresholdHours: oddThreshold },
  );

describe('Function: decide — properties', () => {
  it('is total: every input gets exactly one action, with a reason valid for that action', () => {
    fc.assert(
      fc.property(anyDecisionInputArb, (input) => {
        const decision = decide(input);
        expect(Object.values(Action)).toContain(decision.action);
        expect(REASONS_BY_ACTION[decision.action]).toContain(decision.reason);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the contract table read literally (some rule always matches; the first wins)', () => {
    fc.assert(
      fc.property(decisionInputArb, (input) => {
        const row = TABLE.find((r) => r.when(input));
        expect(row).toBeDefined();
        expect(decide(input)).toEqual({ action: row!.action, reason: row!.reason });
      }),
      { numRuns: 5000 },
    );
  });

  it('a Skip_Convert tag in any letter case, with any value, beats every rule but rule 0', () => {
    fc.assert(
      fc.property(decisionInputArb, tagsArb, exemptKeyArb, fc.string(), (input, otherTags, key, value) => {
        const tags = { ...otherTags, [key]: value };
        expect(decide({ ...input, tags })).toEqual({ action: Action.SKIP, reason: Reason.EXEMPT_TAG });
        expect(decide({ ...input, tags: undefined })).toEqual({
          action: Action.SKIP,
          reason: Reason.TAGS_UNAVAILABLE,
        });
      }),
      { numRuns: 5000 },
    );
  });
});
