import { describe, expect, it } from 'vitest';
import type { ConnectedSamples, EvaluationSettings, WorkspaceFacts } from '../../../src/billing/index.js';
import {
  Action,
  DEFAULT_AUTOSTOP_TIMEOUT_MINUTES,
  Reason,
  RunningMode,
  ThresholdSource,
  evaluateWorkspace,
  idleTimeoutMinutes,
  thresholdPolicy,
} from '../../../src/billing/index.js';
import { sessions } from '../../helpers/billing.js';

const AS_OF = new Date('2026-11-20T00:00:00Z');
const MONTH_END = new Date('2026-11-30T23:00:00Z');

/** The contract's session: 09:15-12:14 -> 5 hours at I=60, 6 at I=120, 7 at I=180. */
const CONTRACT_SESSION = sessions(['2026-11-10T09:15:00Z', '2026-11-10T12:10:00Z']);

/** Connected 08:00-17:59 on Nov 1..10: with I=60 each day runs 08:00-19:00, 11 hours, 110 in all. */
const HEAVY_USE: ConnectedSamples = sessions(
  ...Array.from({ length: 10 }, (_, i) => {
    const day = String(i + 1).padStart(2, '0');
    return [`2026-11-${day}T08:00:00Z`, `2026-11-${day}T17:55:00Z`] as const;
  }),
);

function facts(overrides: Partial<WorkspaceFacts>): WorkspaceFacts {
  return {
    runningMode: RunningMode.AUTO_STOP,
    computeType: 'STANDARD',
    autoStopTimeoutMinutes: 60,
    tags: {},
    usage: CONTRACT_SESSION,
    ...overrides,
  };
}

function settings(overrides: Partial<EvaluationSettings> = {}): EvaluationSettings {
  return { thresholds: thresholdPolicy(), assumedTimeoutMinutes: 60, forceMonthEnd: false, ...overrides };
}

describe('Function: evaluateWorkspace', () => {
  describe('the idle timeout', () => {
    it.each([
      { mode: RunningMode.AUTO_STOP, own: 120, assumed: 60, timeout: 120, hours: 6 },
      { mode: RunningMode.AUTO_STOP, own: 60, assumed: 180, timeout: 60, hours: 5 },
      { mode: RunningMode.AUTO_STOP, own: undefined, assumed: 180, timeout: 60, hours: 5 },
      { mode: RunningMode.ALWAYS_ON, own: undefined, assumed: 120, timeout: 120, hours: 6 },
      // Across runs: an AlwaysOn WorkSpace's own stored timeout beats the assumed one.
      { mode: RunningMode.ALWAYS_ON, own: 60, assumed: 180, timeout: 60, hours: 5 },
      { mode: RunningMode.MANUAL, own: undefined, assumed: 120, timeout: 120, hours: 6 },
    ])(
      '$mode with own timeout $own and assumed $assumed uses $timeout -> H = $hours',
      ({ mode, own, assumed, timeout, hours }) => {
        // Act
        const evaluation = evaluateWorkspace(
          facts({ runningMode: mode, autoStopTimeoutMinutes: own }),
          settings({ assumedTimeoutMinutes: assumed }),
          AS_OF,
        );

        // Assert
        expect(evaluation.idleTimeoutMinutes).toBe(timeout);
        expect(evaluation.billableHours).toBe(hours);
      },
    );

    it.each([
      { own: undefined, recorded: 180, assumed: 60, timeout: 180, hours: 7 },
      { own: 120, recorded: 180, assumed: 60, timeout: 120, hours: 6 },
      { own: undefined, recorded: undefined, assumed: 120, timeout: 120, hours: 6 },
    ])(
      'ALWAYS_ON with own $own, recorded $recorded, assumed $assumed uses $timeout',
      ({ own, recorded, assumed, timeout, hours }) => {
        // Act
        const evaluation = evaluateWorkspace(
          facts({
            runningMode: RunningMode.ALWAYS_ON,
            autoStopTimeoutMinutes: own,
            history: { convertedThisMonth: false, recordedTimeoutMinutes: recorded },
          }),
          settings({ assumedTimeoutMinutes: assumed }),
          AS_OF,
        );

        // Assert
        expect(evaluation.idleTimeoutMinutes).toBe(timeout);
        expect(evaluation.billableHours).toBe(hours);
      },
    );

    it('an AUTO_STOP WorkSpace ignores a recorded timeout: its own (or 60) is what it bills with', () => {
      // Act
      const evaluation = evaluateWorkspace(
        facts({
          autoStopTimeoutMinutes: undefined,
          history: { convertedThisMonth: false, recordedTimeoutMinutes: 180 },
        }),
        settings(),
        AS_OF,
      );

      // Assert
      expect(evaluation.idleTimeoutMinutes).toBe(60);
    });
  });

  describe('a WorkSpace wco already switched this month', () => {
    it('is not switched back at month end although it is under the threshold', () => {
      // Act
      const evaluation = evaluateWorkspace(
        facts({ runningMode: RunningMode.ALWAYS_ON, history: { convertedThisMonth: true } }),
        settings(),
        MONTH_END,
      );

      // Assert
      expect(evaluation.decision).toEqual({ action: Action.NONE, reason: Reason.CONVERTED_THIS_MONTH });
    });

    it('is not switched again to AlwaysOn after an operator switched it back by hand', () => {
      // Act
      const evaluation = evaluateWorkspace(
        facts({ usage: HEAVY_USE, history: { convertedThisMonth: true } }),
        settings(),
        AS_OF,
      );

      // Assert
      expect(evaluation.billableHours).toBe(110);
      expect(evaluation.decision).toEqual({ action: Action.NONE, reason: Reason.CONVERTED_THIS_MONTH });
    });

    it('keeps its ordinary reason when the rules would not convert it anyway', () => {
      // Act
      const evaluation = evaluateWorkspace(
        facts({
          runningMode: RunningMode.ALWAYS_ON,
          usage: HEAVY_USE,
          history: { convertedThisMonth: true },
        }),
        settings(),
        MONTH_END,
      );

      // Assert
      expect(evaluation.decision).toEqual({ action: Action.NONE, reason: Reason.OVER_THRESHOLD });
    });
  });

  it('AUTO_STOP with light usage stays (rule 6) with the STANDARD threshold', () => {
    // Act
    const evaluation = evaluateWorkspace(facts({}), settings(), AS_OF);

    // Assert
    expect(evaluation).toEqual({
      idleTimeoutMinutes: 60,
      billableHours: 5,
      threshold: { hours: 85, source: ThresholdSource.DEFAULT },
      monthEnd: false,
      decision: { action: Action.NONE, reason: Reason.UNDER_THRESHOLD },
    });
  });

  it('AUTO_STOP with heavy usage (110 h > 85) converts to ALWAYS_ON before month end (rule 4)', () => {
    // Act
    const evaluation = evaluateWorkspace(facts({ usage: HEAVY_USE }), settings(), AS_OF);

    // Assert
    expect(evaluation.billableHours).toBe(110);
    expect(evaluation.decision).toEqual({ action: Action.TO_ALWAYS_ON, reason: Reason.OVER_THRESHOLD });
  });

  it('AUTO_STOP with heavy usage stays when its price break-even (120 h) is higher', () => {
    // Act
    const evaluation = evaluateWorkspace(
      facts({ usage: HEAVY_USE, priceBreakEvenHours: 120 }),
      settings(),
      AS_OF,
    );

    // Assert
    expect(evaluation.threshold).toEqual({ hours: 120, source: ThresholdSource.PRICE });
    expect(evaluation.decision).toEqual({ action: Action.NONE, reason: Reason.UNDER_THRESHOLD });
  });

  it('an override beats the price break-even', () => {
    // Act
    const evaluation = evaluateWorkspace(
      facts({ usage: HEAVY_USE, priceBreakEvenHours: 120 }),
      settings({ thresholds: thresholdPolicy({ STANDARD: 100 }) }),
      AS_OF,
    );

    // Assert
    expect(evaluation.threshold).toEqual({ hours: 100, source: ThresholdSource.OVERRIDE });
    expect(evaluation.decision.action).toBe(Action.TO_ALWAYS_ON);
  });

  it.each([
    {
      asOf: MONTH_END,
      force: false,
      monthEnd: true,
      decision: { action: Action.TO_AUTO_STOP, reason: Reason.UNDER_THRESHOLD_AT_MONTH_END },
    },
    {
      asOf: AS_OF,
      force: true,
      monthEnd: true,
      decision: { action: Action.TO_AUTO_STOP, reason: Reason.UNDER_THRESHOLD_AT_MONTH_END },
    },
    {
      asOf: AS_OF,
      force: false,
      monthEnd: false,
      decision: { action: Action.NONE, reason: Reason.NOT_MONTH_END },
    },
  ])(
    'ALWAYS_ON with light usage at $asOf, forced=$force -> monthEnd=$monthEnd, $decision.action',
    ({ asOf, force, monthEnd, decision }) => {
      // Act
      const evaluation = evaluateWorkspace(
        facts({ runningMode: RunningMode.ALWAYS_ON, autoStopTimeoutMinutes: undefined }),
        settings({ forceMonthEnd: force }),
        asOf,
      );

      // Assert
      expect(evaluation.monthEnd).toBe(monthEnd);
      expect(evaluation.decision).toEqual(decision);
    },
  );

  it('ALWAYS_ON with heavy usage stays ALWAYS_ON at month end (rule 7)', () => {
    // Act
    const evaluation = evaluateWorkspace(
      facts({ runningMode: RunningMode.ALWAYS_ON, usage: HEAVY_USE }),
      settings(),
      MONTH_END,
    );

    // Assert
    expect(evaluation.decision).toEqual({ action: Action.NONE, reason: Reason.OVER_THRESHOLD });
  });

  it('MANUAL is skipped but its hours are still computed (the report shows them)', () => {
    // Act
    const evaluation = evaluateWorkspace(facts({ runningMode: RunningMode.MANUAL }), settings(), MONTH_END);

    // Assert
    expect(evaluation.billableHours).toBe(5);
    expect(evaluation.decision).toEqual({ action: Action.SKIP, reason: Reason.UNSUPPORTED_MODE });
  });

  it('usage that could not be read gives ERROR with billable hours undefined, never 0', () => {
    // Act
    const evaluation = evaluateWorkspace(facts({ usage: undefined }), settings(), AS_OF);

    // Assert
    expect(evaluation.billableHours).toBeUndefined();
    expect(evaluation.decision).toEqual({ action: Action.ERROR, reason: Reason.METRICS_UNAVAILABLE });
  });

  it('tags that could not be read give SKIP even with heavy usage', () => {
    // Act
    const evaluation = evaluateWorkspace(facts({ tags: undefined, usage: HEAVY_USE }), settings(), AS_OF);

    // Assert
    expect(evaluation.billableHours).toBe(110);
    expect(evaluation.decision).toEqual({ action: Action.SKIP, reason: Reason.TAGS_UNAVAILABLE });
  });

  it('an exempt WorkSpace is skipped even with heavy usage', () => {
    // Act
    const evaluation = evaluateWorkspace(
      facts({ tags: { skip_CONVERT: '' }, usage: HEAVY_USE }),
      settings(),
      AS_OF,
    );

    // Assert
    expect(evaluation.decision).toEqual({ action: Action.SKIP, reason: Reason.EXEMPT_TAG });
  });

  it('counts only usage before the as-of time', () => {
    // Act: on Nov 5 00:00 only Nov 1..4 have happened: 4 x 11 = 44 hours
    const evaluation = evaluateWorkspace(
      facts({ usage: HEAVY_USE }),
      settings(),
      new Date('2026-11-05T00:00:00Z'),
    );

    // Assert
    expect(evaluation.billableHours).toBe(44);
    expect(evaluation.decision.action).toBe(Action.NONE);
  });
});

describe('Function: idleTimeoutMinutes', () => {
  it.each([
    { mode: RunningMode.AUTO_STOP, own: 120, assumed: 60, expected: 120 },
    { mode: RunningMode.AUTO_STOP, own: 0, assumed: 60, expected: 0 },
    { mode: RunningMode.AUTO_STOP, own: undefined, assumed: 180, expected: DEFAULT_AUTOSTOP_TIMEOUT_MINUTES },
    // The contract (Across runs): AlwaysOn uses its own stored timeout first.
    { mode: RunningMode.ALWAYS_ON, own: 120, assumed: 60, expected: 120 },
    { mode: RunningMode.ALWAYS_ON, own: undefined, assumed: 180, expected: 180 },
    { mode: RunningMode.MANUAL, own: 120, assumed: 60, expected: 60 },
  ])('$mode, own $own, assumed $assumed -> $expected', ({ mode, own, assumed, expected }) => {
    // Act
    const timeout = idleTimeoutMinutes(mode, own, assumed);

    // Assert
    expect(timeout).toBe(expected);
  });

  it('defaults to 60 minutes', () => {
    // Assert
    expect(DEFAULT_AUTOSTOP_TIMEOUT_MINUTES).toBe(60);
  });
});
