import { describe, expect, it } from 'vitest';
import type { DecisionInput, Tags } from '../../../src/billing/index.js';
import {
  Action,
  Reason,
  RunningMode,
  decide,
  hasExemptTag,
  isConvertibleMode,
} from '../../../src/billing/index.js';

const THRESHOLD = 85;

/** A WorkSpace that matches no rule before the usage rules (4-8). */
function input(overrides: Partial<DecisionInput>): DecisionInput {
  return {
    runningMode: RunningMode.AUTO_STOP,
    tags: {},
    billableHours: 10,
    thresholdHours: THRESHOLD,
    monthEnd: false,
    ...overrides,
  };
}

describe('Function: decide', () => {
  describe('one case per row of the decision table', () => {
    it.each([
      {
        rule: 0,
        name: 'tags could not be read',
        given: input({ tags: undefined }),
        expected: { action: Action.SKIP, reason: Reason.TAGS_UNAVAILABLE },
      },
      {
        rule: 1,
        name: 'Skip_Convert tag',
        given: input({ tags: { Skip_Convert: 'yes' } }),
        expected: { action: Action.SKIP, reason: Reason.EXEMPT_TAG },
      },
      {
        rule: 2,
        name: 'MANUAL running mode',
        given: input({ runningMode: RunningMode.MANUAL }),
        expected: { action: Action.SKIP, reason: Reason.UNSUPPORTED_MODE },
      },
      {
        rule: 3,
        name: 'usage could not be read',
        given: input({ billableHours: undefined }),
        expected: { action: Action.ERROR, reason: Reason.METRICS_UNAVAILABLE },
      },
      {
        rule: 4,
        name: 'AUTO_STOP over the threshold',
        given: input({ runningMode: RunningMode.AUTO_STOP, billableHours: THRESHOLD + 1 }),
        expected: { action: Action.TO_ALWAYS_ON, reason: Reason.OVER_THRESHOLD },
      },
      {
        rule: 5,
        name: 'ALWAYS_ON under the threshold at month end',
        given: input({ runningMode: RunningMode.ALWAYS_ON, billableHours: 3, monthEnd: true }),
        expected: { action: Action.TO_AUTO_STOP, reason: Reason.UNDER_THRESHOLD_AT_MONTH_END },
      },
      {
        rule: 6,
        name: 'AUTO_STOP under the threshold',
        given: input({ runningMode: RunningMode.AUTO_STOP, billableHours: 3 }),
        expected: { action: Action.NONE, reason: Reason.UNDER_THRESHOLD },
      },
      {
        rule: 7,
        name: 'ALWAYS_ON over the threshold',
        given: input({ runningMode: RunningMode.ALWAYS_ON, billableHours: THRESHOLD + 1, monthEnd: true }),
        expected: { action: Action.NONE, reason: Reason.OVER_THRESHOLD },
      },
      {
        rule: 8,
        name: 'ALWAYS_ON under the threshold before month end',
        given: input({ runningMode: RunningMode.ALWAYS_ON, billableHours: 3, monthEnd: false }),
        expected: { action: Action.NONE, reason: Reason.NOT_MONTH_END },
      },
    ])('rule $rule: $name -> $expected.action / $expected.reason', ({ given, expected }) => {
      // Act
      const decision = decide(given);

      // Assert
      expect(decision).toEqual(expected);
    });
  });

  describe('no conversion twice in a month (Across runs)', () => {
    it.each([
      {
        name: 'AUTO_STOP over the threshold',
        given: input({ billableHours: THRESHOLD + 1, convertedThisMonth: true }),
        expected: { action: Action.NONE, reason: Reason.CONVERTED_THIS_MONTH },
      },
      {
        name: 'ALWAYS_ON under the threshold at month end',
        given: input({
          runningMode: RunningMode.ALWAYS_ON,
          billableHours: 3,
          monthEnd: true,
          convertedThisMonth: true,
        }),
        expected: { action: Action.NONE, reason: Reason.CONVERTED_THIS_MONTH },
      },
      {
        name: 'an exemption still reads as an exemption',
        given: input({ tags: { Skip_Convert: '' }, billableHours: 700, convertedThisMonth: true }),
        expected: { action: Action.SKIP, reason: Reason.EXEMPT_TAG },
      },
      {
        name: 'unreadable usage is still an error',
        given: input({ billableHours: undefined, convertedThisMonth: true }),
        expected: { action: Action.ERROR, reason: Reason.METRICS_UNAVAILABLE },
      },
      {
        name: 'a WorkSpace the rules leave alone keeps its reason',
        given: input({ billableHours: 3, convertedThisMonth: true }),
        expected: { action: Action.NONE, reason: Reason.UNDER_THRESHOLD },
      },
      {
        name: 'convertedThisMonth false changes nothing',
        given: input({ billableHours: THRESHOLD + 1, convertedThisMonth: false }),
        expected: { action: Action.TO_ALWAYS_ON, reason: Reason.OVER_THRESHOLD },
      },
    ])('$name -> $expected.action / $expected.reason', ({ given, expected }) => {
      // Act
      const decision = decide(given);

      // Assert
      expect(decision).toEqual(expected);
    });
  });

  describe('the threshold comparison: H > θ is over, H = θ is not', () => {
    it.each([
      { mode: RunningMode.AUTO_STOP, hours: THRESHOLD, monthEnd: false, expected: Action.NONE },
      { mode: RunningMode.AUTO_STOP, hours: THRESHOLD + 1, monthEnd: false, expected: Action.TO_ALWAYS_ON },
      { mode: RunningMode.ALWAYS_ON, hours: THRESHOLD, monthEnd: true, expected: Action.TO_AUTO_STOP },
      { mode: RunningMode.ALWAYS_ON, hours: THRESHOLD + 1, monthEnd: true, expected: Action.NONE },
      { mode: RunningMode.ALWAYS_ON, hours: 0, monthEnd: true, expected: Action.TO_AUTO_STOP },
      { mode: RunningMode.AUTO_STOP, hours: 0, monthEnd: true, expected: Action.NONE },
    ])(
      '$mode with H=$hours, θ=85, monthEnd=$monthEnd -> $expected',
      ({ mode, hours, monthEnd, expected }) => {
        // Act
        const decision = decide(input({ runningMode: mode, billableHours: hours, monthEnd }));

        // Assert
        expect(decision.action).toBe(expected);
      },
    );

    it('does not convert AUTO_STOP to AUTO_STOP at month end (rule 5 is ALWAYS_ON only)', () => {
      // Act
      const decision = decide(
        input({ runningMode: RunningMode.AUTO_STOP, billableHours: 1, monthEnd: true }),
      );

      // Assert
      expect(decision).toEqual({ action: Action.NONE, reason: Reason.UNDER_THRESHOLD });
    });
  });

  describe('rule precedence: the first rule that matches wins', () => {
    it.each([
      {
        name: 'tags unavailable beats everything (MANUAL, no usage)',
        given: input({ tags: undefined, runningMode: RunningMode.MANUAL, billableHours: undefined }),
        expected: Reason.TAGS_UNAVAILABLE,
      },
      {
        name: 'exempt beats MANUAL',
        given: input({ tags: { skip_convert: '' }, runningMode: RunningMode.MANUAL }),
        expected: Reason.EXEMPT_TAG,
      },
      {
        name: 'exempt beats metrics unavailable',
        given: input({ tags: { SKIP_CONVERT: 'x' }, billableHours: undefined }),
        expected: Reason.EXEMPT_TAG,
      },
      {
        name: 'exempt beats an over-threshold AUTO_STOP',
        given: input({ tags: { Skip_Convert: '' }, billableHours: 700 }),
        expected: Reason.EXEMPT_TAG,
      },
      {
        name: 'exempt beats an under-threshold ALWAYS_ON at month end',
        given: input({
          tags: { Skip_Convert: 'true' },
          runningMode: RunningMode.ALWAYS_ON,
          billableHours: 0,
          monthEnd: true,
        }),
        expected: Reason.EXEMPT_TAG,
      },
      {
        name: 'MANUAL beats metrics unavailable',
        given: input({ runningMode: RunningMode.MANUAL, billableHours: undefined }),
        expected: Reason.UNSUPPORTED_MODE,
      },
      {
        name: 'an unknown mode beats metrics unavailable',
        given: input({ runningMode: 'auto_stop', billableHours: undefined }),
        expected: Reason.UNSUPPORTED_MODE,
      },
      {
        name: 'metrics unavailable beats month end',
        given: input({ runningMode: RunningMode.ALWAYS_ON, billableHours: undefined, monthEnd: true }),
        expected: Reason.METRICS_UNAVAILABLE,
      },
    ])('$name', ({ given, expected }) => {
      // Act
      const decision = decide(given);

      // Assert
      expect(decision.reason).toBe(expected);
    });
  });

  describe('running modes are matched exactly', () => {
    it.each(['', 'auto_stop', 'Always_On', 'ALWAYS-ON', 'AUTO_STOP ', 'MANUAL', 'SOMETHING_NEW'])(
      '%j is unsupported',
      (runningMode) => {
        // Act
        const decision = decide(input({ runningMode }));

        // Assert
        expect(decision).toEqual({ action: Action.SKIP, reason: Reason.UNSUPPORTED_MODE });
      },
    );
  });
});

describe('Function: hasExemptTag', () => {
  it.each<{ tags: Tags; expected: boolean }>([
    { tags: { Skip_Convert: '' }, expected: true },
    { tags: { skip_convert: 'no' }, expected: true },
    { tags: { SKIP_CONVERT: 'false' }, expected: true },
    { tags: { sKiP_cOnVeRt: '0' }, expected: true },
    { tags: { CostCenter: '42', Skip_Convert: '' }, expected: true },
    { tags: {}, expected: false },
    { tags: { SkipConvert: '' }, expected: false },
    { tags: { Skip_Convert_: '' }, expected: false },
    { tags: { ' Skip_Convert': '' }, expected: false },
    { tags: { CostCenter: 'Skip_Convert' }, expected: false },
  ])('$tags -> $expected', ({ tags, expected }) => {
    // Act
    const exempt = hasExemptTag(tags);

    // Assert
    expect(exempt).toBe(expected);
  });
});

describe('Function: isConvertibleMode', () => {
  it.each([
    ['AUTO_STOP', true],
    ['ALWAYS_ON', true],
    ['MANUAL', false],
    ['auto_stop', false],
    ['', false],
  ])('%s -> %s', (mode, convertible) => {
    expect(isConvertibleMode(mode)).toBe(convertible);
  });
});
