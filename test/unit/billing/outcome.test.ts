import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/billing/index.js';
import {
  Action,
  Outcome,
  Reason,
  RunningMode,
  planApplication,
  runningModeAfter,
  targetModeOf,
} from '../../../src/billing/index.js';

const TO_ALWAYS_ON: Decision = { action: Action.TO_ALWAYS_ON, reason: Reason.OVER_THRESHOLD };
const TO_AUTO_STOP: Decision = { action: Action.TO_AUTO_STOP, reason: Reason.UNDER_THRESHOLD_AT_MONTH_END };

const NON_CONVERSIONS: readonly Decision[] = [
  { action: Action.NONE, reason: Reason.UNDER_THRESHOLD },
  { action: Action.NONE, reason: Reason.OVER_THRESHOLD },
  { action: Action.NONE, reason: Reason.NOT_MONTH_END },
  { action: Action.SKIP, reason: Reason.TAGS_UNAVAILABLE },
  { action: Action.SKIP, reason: Reason.EXEMPT_TAG },
  { action: Action.SKIP, reason: Reason.UNSUPPORTED_MODE },
  { action: Action.ERROR, reason: Reason.METRICS_UNAVAILABLE },
];

/** WorkSpace states other than AVAILABLE and STOPPED, as `DescribeWorkspaces` reports them. */
const UNMODIFIABLE_STATES = [
  'PENDING',
  'STARTING',
  'STOPPING',
  'REBOOTING',
  'REBUILDING',
  'RESTORING',
  'MAINTENANCE',
  'ADMIN_MAINTENANCE',
  'UPDATING',
  'SUSPENDED',
  'UNHEALTHY',
  'ERROR',
  'IMPAIRED',
  'TERMINATING',
  'TERMINATED',
  'available',
  '',
];

describe('Function: planApplication', () => {
  describe('outcome NONE: the action is NONE, SKIP or ERROR', () => {
    it.each(
      NON_CONVERSIONS.flatMap((decision) =>
        ['AVAILABLE', 'STOPPED', 'PENDING'].flatMap((state) =>
          [true, false].map((dryRun) => ({ decision, state, dryRun })),
        ),
      ),
    )(
      '$decision.action/$decision.reason in $state, dryRun=$dryRun -> NONE',
      ({ decision, state, dryRun }) => {
        // Act
        const plan = planApplication(decision, state, dryRun);

        // Assert
        expect(plan).toEqual({ kind: 'settled', outcome: Outcome.NONE });
      },
    );
  });

  describe('outcome DRY_RUN: a conversion was decided and dry run is on', () => {
    it.each([
      { decision: TO_ALWAYS_ON, state: 'AVAILABLE' },
      { decision: TO_ALWAYS_ON, state: 'STOPPED' },
      { decision: TO_AUTO_STOP, state: 'AVAILABLE' },
      { decision: TO_AUTO_STOP, state: 'STOPPED' },
    ])('$decision.action in $state -> DRY_RUN', ({ decision, state }) => {
      // Act
      const plan = planApplication(decision, state, true);

      // Assert
      expect(plan).toEqual({ kind: 'settled', outcome: Outcome.DRY_RUN });
    });
  });

  describe('outcome DEFERRED: the state check comes before dry run', () => {
    it.each(
      UNMODIFIABLE_STATES.flatMap((state) =>
        [TO_ALWAYS_ON, TO_AUTO_STOP].flatMap((decision) =>
          [true, false].map((dryRun) => ({ decision, state, dryRun })),
        ),
      ),
    )('$decision.action in $state, dryRun=$dryRun -> DEFERRED', ({ decision, state, dryRun }) => {
      // Act
      const plan = planApplication(decision, state, dryRun);

      // Assert
      expect(plan).toEqual({ kind: 'settled', outcome: Outcome.DEFERRED });
    });
  });

  describe('outcomes APPLIED / FAILED: the shell calls ModifyWorkspaceProperties', () => {
    it.each([
      { decision: TO_ALWAYS_ON, state: 'AVAILABLE', target: RunningMode.ALWAYS_ON },
      { decision: TO_ALWAYS_ON, state: 'STOPPED', target: RunningMode.ALWAYS_ON },
      { decision: TO_AUTO_STOP, state: 'AVAILABLE', target: RunningMode.AUTO_STOP },
      { decision: TO_AUTO_STOP, state: 'STOPPED', target: RunningMode.AUTO_STOP },
    ])('$decision.action in $state, not dry run -> modify to $target', ({ decision, state, target }) => {
      // Act
      const plan = planApplication(decision, state, false);

      // Assert
      expect(plan).toEqual({ kind: 'modify', targetMode: target });
    });
  });
});

describe('Function: runningModeAfter', () => {
  it.each([
    { current: RunningMode.AUTO_STOP, decision: TO_ALWAYS_ON, expected: RunningMode.ALWAYS_ON },
    { current: RunningMode.ALWAYS_ON, decision: TO_AUTO_STOP, expected: RunningMode.AUTO_STOP },
  ])('APPLIED: $current + $decision.action -> the target $expected', ({ current, decision, expected }) => {
    // Act
    const mode = runningModeAfter(current, decision, Outcome.APPLIED);

    // Assert
    expect(mode).toBe(expected);
  });

  it.each(
    [Outcome.FAILED, Outcome.DRY_RUN, Outcome.DEFERRED, Outcome.NONE].flatMap((outcome) => [
      { outcome, current: RunningMode.AUTO_STOP, decision: TO_ALWAYS_ON },
      { outcome, current: RunningMode.ALWAYS_ON, decision: TO_AUTO_STOP },
    ]),
  )('$outcome: $current + $decision.action -> stays $current', ({ outcome, current, decision }) => {
    // Act
    const mode = runningModeAfter(current, decision, outcome);

    // Assert
    expect(mode).toBe(current);
  });

  it.each(NON_CONVERSIONS)('NONE for $action/$reason keeps the current mode', (decision) => {
    // Act
    const mode = runningModeAfter(RunningMode.MANUAL, decision, Outcome.NONE);

    // Assert
    expect(mode).toBe(RunningMode.MANUAL);
  });
});

describe('Function: targetModeOf', () => {
  it.each([
    { decision: TO_ALWAYS_ON, expected: RunningMode.ALWAYS_ON },
    { decision: TO_AUTO_STOP, expected: RunningMode.AUTO_STOP },
    ...NON_CONVERSIONS.map((decision) => ({ decision, expected: undefined })),
  ])('$decision.action/$decision.reason -> $expected', ({ decision, expected }) => {
    // Act
    const target = targetModeOf(decision);

    // Assert
    expect(target).toBe(expected);
  });
});
