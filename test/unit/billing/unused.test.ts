import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  RemovalCandidate,
  RemovalRun,
  UnusedSettings,
  UseEvidence,
} from '../../../src/billing/index.js';
import {
  AgeSource,
  applyRemovalCap,
  checkedSince,
  hasRemovalExemption,
  money,
  REMOVAL_GUARDS,
  RemovalAction,
  removalShows,
  removalVerdict,
  reviewUse,
  UnusedVerdict,
  UseStatus,
  wastedMonthly,
} from '../../../src/billing/index.js';
import { CONFIG_DEFAULTS } from '../../../src/config/defaults.js';

const MONTH_END = new Date('2026-11-30T23:00:00Z');
const MID_MONTH = new Date('2026-11-20T23:00:00Z');
const at = (iso: string) => Date.parse(iso);

describe('Function: reviewUse', () => {
  it.each([
    {
      name: 'last connected in August: unused September, October and November',
      evidence: { lastConnection: at('2026-08-31T23:59:00Z'), connectedInCheckedMonths: false },
      expected: { status: UseStatus.UNUSED, monthsUnused: 3 },
    },
    {
      name: 'last connected on October 1st: October is not unused (1 month < 2)',
      evidence: { lastConnection: at('2026-10-01T00:00:00Z'), connectedInCheckedMonths: false },
      expected: { status: UseStatus.USED, monthsUnused: 1 },
    },
    {
      name: 'last connected on the last second of September: exactly 2 months',
      evidence: { lastConnection: at('2026-09-30T23:59:59Z'), connectedInCheckedMonths: false },
      expected: { status: UseStatus.UNUSED, monthsUnused: 2 },
    },
    {
      name: 'an old status but a connection in the checked months in CloudWatch: used (the sources disagree: never unused)',
      evidence: { lastConnection: at('2026-01-01T00:00:00Z'), connectedInCheckedMonths: true },
      expected: { status: UseStatus.USED, monthsUnused: 0 },
    },
    {
      name: 'never connected, created in July (the source says): 4 months',
      evidence: {
        lastConnection: null,
        connectedInCheckedMonths: false,
        since: { at: at('2026-07-15T00:00:00Z'), source: AgeSource.CREATED },
      },
      expected: { status: UseStatus.UNUSED, monthsUnused: 4 },
    },
    {
      name: 'never connected, first seen this month: too young to be unused',
      evidence: {
        lastConnection: null,
        connectedInCheckedMonths: false,
        since: { at: at('2026-11-02T23:00:00Z'), source: AgeSource.FIRST_SEEN },
      },
      expected: { status: UseStatus.USED, monthsUnused: 0 },
    },
  ])('$name', ({ evidence, expected }) => {
    expect(reviewUse(evidence as UseEvidence, MONTH_END, 2)).toEqual(expected);
  });

  it.each([
    {
      name: 'the connection status could not be read',
      evidence: { lastConnection: undefined, connectedInCheckedMonths: false },
      because: 'LAST_CONNECTION_UNREADABLE',
    },
    {
      name: 'the usage history (CloudWatch) could not be read',
      evidence: { lastConnection: at('2025-01-01T00:00:00Z'), connectedInCheckedMonths: undefined },
      because: 'USAGE_UNREADABLE',
    },
    {
      name: 'never connected and its age is not known',
      evidence: { lastConnection: null, connectedInCheckedMonths: false },
      because: 'AGE_UNKNOWN',
    },
  ])('is UNKNOWN, never unused, when $name', ({ evidence, because }) => {
    expect(reviewUse(evidence as UseEvidence, MONTH_END, 1)).toEqual({
      status: UseStatus.UNKNOWN,
      monthsUnused: 0,
      unknownBecause: because,
    });
  });

  it('calls a WorkSpace unused exactly when its last connection is before the first checked month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.date({
          min: new Date('2025-01-01T00:00:00Z'),
          max: new Date('2026-11-30T22:59:59Z'),
          noInvalidDate: true,
        }),
        (months, last) => {
          const review = reviewUse(
            { lastConnection: last.getTime(), connectedInCheckedMonths: false },
            MONTH_END,
            months,
          );
          expect(review.status === UseStatus.UNUSED).toBe(last < checkedSince(MONTH_END, months));
        },
      ),
    );
  });
});

describe('Function: hasRemovalExemption', () => {
  it.each(['Skip_Terminate', 'skip_terminate', 'SKIP_TERMINATE', 'Skip_Convert', 'skip_CONVERT'])(
    'exempts a WorkSpace tagged %s, whatever the value',
    (key) => {
      expect(hasRemovalExemption({ [key]: '' })).toBe(true);
    },
  );

  it.each(['Skip-Terminate', 'SkipTerminate', 'Skip_Terminate '])('does not take %j for the tag', (key) => {
    expect(hasRemovalExemption({ [key]: 'yes' })).toBe(false);
  });

  it('finds the tag among others', () => {
    expect(hasRemovalExemption({ Department: 'Sales', skip_terminate: '', Owner: 'ops' })).toBe(true);
  });
});

const enabled: UnusedSettings = { months: 2, removal: true, action: RemovalAction.TERMINATE, maxPerRun: 10 };
const run = (overrides: Partial<RemovalRun> = {}, settings: Partial<UnusedSettings> = {}): RemovalRun => ({
  asOf: MONTH_END,
  dryRun: false,
  settings: { ...enabled, ...settings },
  ...overrides,
});

/** A WorkSpace no guard stops: unused 3 months, listed by an earlier run, AVAILABLE, AlwaysOn. */
const candidate = (overrides: Partial<RemovalCandidate> = {}): RemovalCandidate => ({
  workspaceId: 'ws-1',
  review: { status: UseStatus.UNUSED, monthsUnused: 3 },
  tags: { Department: 'Sales' },
  state: 'AVAILABLE',
  runningMode: 'ALWAYS_ON',
  standbyPair: false,
  announcedBefore: true,
  removedBefore: false,
  ledgerReadable: true,
  ...overrides,
});

describe('Function: removalVerdict, one test per guard', () => {
  it('removes a WorkSpace no guard stops', () => {
    expect(removalVerdict(candidate(), run())).toBe(UnusedVerdict.REMOVE);
  });

  it('is off by default: the defaults report only', () => {
    const defaults: UnusedSettings = {
      months: CONFIG_DEFAULTS.unusedMonths,
      removal: CONFIG_DEFAULTS.terminateUnused,
      action: CONFIG_DEFAULTS.unusedAction,
      maxPerRun: CONFIG_DEFAULTS.maxRemovalsPerRun,
    };
    expect(defaults.removal).toBe(false);
    expect(removalVerdict(candidate(), run({}, defaults))).toBe(UnusedVerdict.REPORT_ONLY);
  });

  it('never removes a WorkSpace whose use is unknown', () => {
    const unknown = candidate({ review: { status: UseStatus.UNKNOWN, monthsUnused: 0 } });
    expect(removalVerdict(unknown, run())).toBe(UnusedVerdict.USE_UNKNOWN);
  });

  it('never removes a WorkSpace whose review says used, whatever its months', () => {
    const used = candidate({ review: { status: UseStatus.USED, monthsUnused: 5 } });
    expect(removalVerdict(used, run())).toBe(UnusedVerdict.TOO_RECENT);
  });

  it('removes only WorkSpaces unused in every one of the configured months', () => {
    const twoMonths = candidate({ review: { status: UseStatus.UNUSED, monthsUnused: 2 } });
    expect(removalVerdict(twoMonths, run({}, { months: 3 }))).toBe(UnusedVerdict.TOO_RECENT);
    expect(removalVerdict(twoMonths, run({}, { months: 2 }))).toBe(UnusedVerdict.REMOVE);
  });

  it.each(['Skip_Terminate', 'skip_terminate', 'SKIP_CONVERT', 'skip_convert'])(
    'never removes a WorkSpace tagged %s (any case)',
    (key) => {
      expect(removalVerdict(candidate({ tags: { [key]: 'true' } }), run())).toBe(UnusedVerdict.EXEMPT_TAG);
    },
  );

  it('never removes a WorkSpace whose tags could not be read', () => {
    expect(removalVerdict(candidate({ tags: undefined }), run())).toBe(UnusedVerdict.TAGS_UNAVAILABLE);
  });

  it('never removes a standby WorkSpace or its primary', () => {
    expect(removalVerdict(candidate({ standbyPair: true }), run())).toBe(UnusedVerdict.STANDBY_PAIR);
  });

  it.each([
    'PENDING',
    'REBOOTING',
    'STARTING',
    'REBUILDING',
    'RESTORING',
    'MAINTENANCE',
    'TERMINATING',
    'SUSPENDED',
    'UPDATING',
    'STOPPING',
  ])('never terminates a WorkSpace in state %s (TerminateWorkspaces refuses it)', (state) => {
    expect(removalVerdict(candidate({ state }), run())).toBe(UnusedVerdict.STATE);
  });

  it.each(['AVAILABLE', 'STOPPED', 'ERROR', 'IMPAIRED', 'UNHEALTHY'])(
    'terminates a WorkSpace in state %s (TerminateWorkspaces accepts it)',
    (state) => {
      expect(removalVerdict(candidate({ state }), run())).toBe(UnusedVerdict.REMOVE);
    },
  );

  it.each([
    ['AVAILABLE', UnusedVerdict.REMOVE],
    ['STOPPED', UnusedVerdict.REMOVE],
    ['PENDING', UnusedVerdict.STATE],
    ['ERROR', UnusedVerdict.STATE],
    ['STOPPING', UnusedVerdict.STATE],
  ] as const)('switches an AlwaysOn WorkSpace in state %s to AutoStop: %s', (state, verdict) => {
    const autoStop = run({}, { action: RemovalAction.TO_AUTO_STOP });
    expect(removalVerdict(candidate({ runningMode: 'ALWAYS_ON', state }), autoStop)).toBe(verdict);
  });

  it('stops only a running AutoStop WorkSpace, and switches only AlwaysOn ones to AutoStop', () => {
    const stop = run({}, { action: RemovalAction.STOP });
    const autoStop = run({}, { action: RemovalAction.TO_AUTO_STOP });
    expect(removalVerdict(candidate({ runningMode: 'AUTO_STOP' }), stop)).toBe(UnusedVerdict.REMOVE);
    expect(removalVerdict(candidate({ runningMode: 'ALWAYS_ON' }), stop)).toBe(UnusedVerdict.STATE);
    expect(removalVerdict(candidate({ runningMode: 'AUTO_STOP', state: 'STOPPED' }), stop)).toBe(
      UnusedVerdict.STATE,
    );
    expect(removalVerdict(candidate({ runningMode: 'ALWAYS_ON' }), autoStop)).toBe(UnusedVerdict.REMOVE);
    expect(removalVerdict(candidate({ runningMode: 'AUTO_STOP' }), autoStop)).toBe(UnusedVerdict.STATE);
  });

  it('removes only on the last UTC day of the month', () => {
    expect(removalVerdict(candidate(), run({ asOf: MID_MONTH }))).toBe(UnusedVerdict.NOT_MONTH_END);
    expect(removalVerdict(candidate(), run({ asOf: new Date('2026-12-01T00:30:00+01:00') }))).toBe(
      UnusedVerdict.REMOVE,
    );
  });

  it('removes only what an earlier run listed, so the owner had a run to tag an exemption', () => {
    expect(removalVerdict(candidate({ announcedBefore: false }), run())).toBe(UnusedVerdict.NOT_ANNOUNCED);
  });

  it('never removes twice what an earlier run removed (or is removing)', () => {
    expect(removalVerdict(candidate({ removedBefore: true }), run())).toBe(UnusedVerdict.ALREADY_REMOVED);
  });

  it('removes nothing without the unused ledger', () => {
    expect(removalVerdict(candidate({ ledgerReadable: false }), run())).toBe(
      UnusedVerdict.LEDGER_UNAVAILABLE,
    );
  });

  it('removes nothing in a dry run', () => {
    expect(removalVerdict(candidate(), run({ dryRun: true }))).toBe(UnusedVerdict.DRY_RUN);
  });

  it('has one verdict per guard, each reachable', () => {
    const verdicts = REMOVAL_GUARDS.map((guard) => guard.verdict);
    expect(new Set(verdicts).size).toBe(verdicts.length);
  });
});

describe('Function: applyRemovalCap', () => {
  it('keeps the first removals up to the cap and stops the rest', () => {
    const { REMOVE, EXEMPT_TAG, CAP_REACHED } = UnusedVerdict;
    expect(applyRemovalCap([REMOVE, EXEMPT_TAG, REMOVE, REMOVE], 2)).toEqual({
      verdicts: [REMOVE, EXEMPT_TAG, REMOVE, CAP_REACHED],
      left: 0,
    });
  });

  it('removes nothing with a cap of 0', () => {
    expect(applyRemovalCap([UnusedVerdict.REMOVE], 0).verdicts).toEqual([UnusedVerdict.CAP_REACHED]);
  });

  it('lets exactly min(cap, wanted) removals through', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...Object.values(UnusedVerdict))), fc.nat(20), (verdicts, cap) => {
        const capped = applyRemovalCap(verdicts, cap);
        const removed = capped.verdicts.filter((verdict) => verdict === UnusedVerdict.REMOVE).length;
        const wanted = verdicts.filter((verdict) => verdict === UnusedVerdict.REMOVE).length;
        expect(removed).toBe(Math.min(cap, wanted));
        expect(capped.left).toBe(cap - removed);
      }),
    );
  });
});

describe('Function: removalShows', () => {
  it.each([
    ['TERMINATE', 'TERMINATING', 'ALWAYS_ON', true],
    ['TERMINATE', 'TERMINATED', 'AUTO_STOP', true],
    ['TERMINATE', 'AVAILABLE', 'ALWAYS_ON', false],
    ['STOP', 'STOPPED', 'AUTO_STOP', true],
    ['STOP', 'STOPPING', 'AUTO_STOP', true],
    ['STOP', 'AVAILABLE', 'AUTO_STOP', false],
    ['TO_AUTO_STOP', 'AVAILABLE', 'AUTO_STOP', true],
    ['TO_AUTO_STOP', 'AVAILABLE', 'ALWAYS_ON', false],
  ] as const)('%s shows done on a WorkSpace %s in %s: %s', (action, state, mode, expected) => {
    expect(removalShows(action, state, mode)).toBe(expected);
  });
});

describe('Function: wastedMonthly', () => {
  const prices = {
    currency: 'USD',
    alwaysOnMonthly: money('35'),
    autoStopMonthlyFee: money('9.75'),
    autoStopHourly: money('0.30'),
  };

  it.each([
    ['ALWAYS_ON', '35'],
    ['AUTO_STOP', '9.75'],
    ['MANUAL', undefined],
  ])('an unused %s WorkSpace wastes %s a month', (mode, expected) => {
    expect(wastedMonthly(prices, mode)?.toString()).toBe(expected);
  });
});
