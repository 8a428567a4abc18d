import { Compute } from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import { KNOWN_COMPUTE_TYPES } from '../../../src/billing/index.js';
import { loadOptimizerConfig } from '../../../src/config/env-config.js';
import type { RawRunFlags } from '../../../src/config/run-flags.js';
import { demoAsOf, loadRunFlags } from '../../../src/config/run-flags.js';
import { ConfigError, parseInstant } from '../../../src/config/settings.js';

const NOW = new Date('2026-12-01T06:00:00Z');
const demo = (flags: Partial<RawRunFlags> = {}): RawRunFlags => ({ demo: true, threshold: [], ...flags });
const aws = (flags: Partial<RawRunFlags> = {}): RawRunFlags => ({
  regions: 'us-east-1',
  out: './out',
  threshold: [],
  ...flags,
});
const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    return error instanceof ConfigError ? [...error.problems] : [(error as Error).message];
  }
  return [];
};

describe('Function: loadRunFlags, thresholds', () => {
  it('takes --threshold as a comma list, like THRESHOLDS, and repeated; the last value of a type wins', () => {
    const flags = loadRunFlags(
      demo({ threshold: ['STANDARD=85,POWER=90', 'value=70', 'POWER=91'] }),
      {},
      NOW,
    );
    expect(flags.thresholdOverrides).toEqual({ STANDARD: 85, POWER: 91, VALUE: 70 });
    expect(flags.warnings).toEqual([]);
  });

  it.each([
    [{ threshold: ['STANDARD=745'] }, '--threshold'],
    [{ threshold: ['STANDARD=85,POWER=1000'] }, '--threshold'],
    [{ defaultThreshold: '745' }, '--default-threshold'],
  ])('refuses a threshold above 744 hours (%j): no month has more', (flags, named) => {
    expect(problemsOf(() => loadRunFlags(demo(flags), {}, NOW))).toEqual([
      expect.stringMatching(new RegExp(`^${named}: .*from 0 to 744 \\(the hours of a 31-day month\\)`)),
    ]);
  });

  it('accepts 744, the hours of a 31-day month', () => {
    expect(
      loadRunFlags(demo({ threshold: ['STANDARD=744'], defaultThreshold: '744' }), {}, NOW),
    ).toMatchObject({
      thresholdOverrides: { STANDARD: 744 },
      defaultThreshold: 744,
    });
  });

  it('refuses the same in the Lambda environment', () => {
    expect(
      problemsOf(() =>
        loadOptimizerConfig({
          REPORT_BUCKET: 'wco-r',
          AWS_REGION: 'us-east-1',
          THRESHOLDS: 'STANDARD=800',
          DEFAULT_THRESHOLD: '900',
        }),
      ).map((problem) => problem.split(':')[0]),
    ).toEqual(['THRESHOLDS', 'DEFAULT_THRESHOLD']);
  });

  it('warns about a compute type WorkSpaces does not have, and keeps the override', () => {
    const flags = loadRunFlags(demo({ threshold: ['GRAFICS=90,STANDARD=85'] }), {}, NOW);
    expect(flags.thresholdOverrides).toEqual({ GRAFICS: 90, STANDARD: 85 });
    expect(flags.warnings).toEqual([
      expect.stringMatching(/^--threshold: GRAFICS is not a WorkSpaces compute type/),
    ]);
  });

  it('knows every compute type of the WorkSpaces API (the SDK in package-lock.json)', () => {
    expect([...KNOWN_COMPUTE_TYPES].sort()).toEqual(Object.values(Compute).sort());
  });
});

describe('Function: loadRunFlags, numbers', () => {
  it.each([
    [{ seed: '-1' }, '--seed: must be a whole number, 0 or more, like 42'],
    [{ seed: '1.5' }, '--seed: must be a whole number, 0 or more, like 42'],
    [{ assumedTimeout: '-60' }, '--assumed-timeout: must be a multiple of 60 minutes, at least 60'],
    [{ assumedTimeout: '90' }, '--assumed-timeout: must be a multiple of 60 minutes, at least 60'],
    [{ assumedTimeout: '0' }, '--assumed-timeout: must be a multiple of 60 minutes, at least 60'],
  ])('names the rule a bad value breaks (%j)', (flags, message) => {
    expect(problemsOf(() => loadRunFlags(demo(flags), {}, NOW))).toEqual([expect.stringContaining(message)]);
  });
});

describe('Function: parseInstant', () => {
  it.each([
    ['2026-11-30T23:00Z', '2026-11-30T23:00:00.000Z'],
    ['2026-11-30T23:00:00Z', '2026-11-30T23:00:00.000Z'],
    ['2026-11-30T23:00:00.250Z', '2026-11-30T23:00:00.250Z'],
    ['2026-11-30T23:00:00,5Z', '2026-11-30T23:00:00.500Z'],
    ['2026-11-30t23:00z', '2026-11-30T23:00:00.000Z'],
    ['2026-11-30 23:00:00Z', '2026-11-30T23:00:00.000Z'],
    ['2026-12-01T00:00+01:00', '2026-11-30T23:00:00.000Z'],
    ['2026-12-01T00:00+0100', '2026-11-30T23:00:00.000Z'],
    ['2026-12-01T00:00+01', '2026-11-30T23:00:00.000Z'],
    ['2026-11-30T18:30-04:30', '2026-11-30T23:00:00.000Z'],
    ['20261130T2300Z', '2026-11-30T23:00:00.000Z'],
    ['20261130T230000.5Z', '2026-11-30T23:00:00.500Z'],
    ['2026-11-30T23:30.5Z', '2026-11-30T23:30:30.000Z'],
    ['2026-11-30', '2026-11-30T00:00:00.000Z'],
    ['20261130', '2026-11-30T00:00:00.000Z'],
    ['2028-02-29T12:00Z', '2028-02-29T12:00:00.000Z'],
    ['2026-11-30T23Z', '2026-11-30T23:00:00.000Z'],
    ['2026-11-30T22.5Z', '2026-11-30T22:30:00.000Z'],
    ['20261130T23Z', '2026-11-30T23:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-11-30T23:00',
    '2026-11-30T23:00:00',
    '2026-02-29T12:00Z',
    '2026-11-31',
    '2026-13-01T00:00Z',
    '2026-11-30T24:00Z',
    '2026-11-30T23:60Z',
    '2026-11-30T23:00+25:00',
    '2026-11-30T23',
    '2026-11-30T2300Z',
    'yesterday',
    '',
  ])('refuses %j (no zone, or no such time)', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});

describe('Function: loadRunFlags, --as-of', () => {
  it('refuses an --as-of after now for an AWS run: usage after now is not known', () => {
    expect(problemsOf(() => loadRunFlags(aws({ asOf: '2026-12-01T07:00Z' }), {}, NOW))).toEqual([
      expect.stringMatching(/^--as-of: 2026-12-01T07:00:00.000Z is in the future/),
    ]);
    expect(loadRunFlags(aws({ asOf: '2026-12-01T06:00Z' }), {}, NOW).asOf).toEqual(NOW);
  });

  it('lets the demo simulate any time', () => {
    expect(loadRunFlags(demo({ asOf: '2027-06-30T23:00Z' }), {}, NOW)).toMatchObject({
      asOf: new Date('2027-06-30T23:00:00Z'),
      asOfSource: 'given',
    });
  });

  it("defaults the demo to the last complete month's month-end run, and an AWS run to now", () => {
    expect(loadRunFlags(demo(), {}, NOW)).toMatchObject({
      asOf: new Date('2026-11-30T23:00:00Z'),
      asOfSource: 'demo-default',
    });
    expect(loadRunFlags(aws(), {}, NOW)).toMatchObject({ asOf: NOW, asOfSource: 'now' });
  });

  it.each([
    ['2026-12-01T00:00:00Z', '2026-11-30T23:00:00.000Z'],
    ['2026-11-30T23:59:59Z', '2026-10-31T23:00:00.000Z'],
    ['2027-01-01T00:00:00Z', '2026-12-31T23:00:00.000Z'],
    ['2028-03-15T12:00:00Z', '2028-02-29T23:00:00.000Z'],
    ['2027-03-01T08:00:00Z', '2027-02-28T23:00:00.000Z'],
  ])('demoAsOf(%s) is %s', (now, expected) => {
    expect(demoAsOf(new Date(now)).toISOString()).toBe(expected);
  });
});

describe('Function: loadRunFlags, demo and AWS options', () => {
  it.each([
    [{ bucket: 'wco-reports' }, '--bucket is'],
    [{ regions: 'us-east-1' }, '--regions is'],
    [{ eventBus: 'ops' }, '--event-bus is'],
    [{ priceList: true }, '--price-list is'],
    [{ bucket: 'wco-reports', eventBus: 'ops', priceList: true }, '--bucket, --event-bus, --price-list are'],
  ])('the demo refuses every AWS-only option the same way (%j)', (flags, named) => {
    expect(problemsOf(() => loadRunFlags(demo(flags), {}, NOW))).toEqual([
      `--demo runs on the simulated fleet: ${named} for AWS runs only, drop ${named.endsWith('are') ? 'them' : 'it'}`,
    ]);
  });

  it.each([
    [{ accounts: '111111111111' }, '--accounts is'],
    [{ organization: true }, '--organization is'],
    [{ externalId: 'shared-secret-0123456789', memberRole: 'wco-spoke' }, '--member-role, --external-id are'],
  ])('the demo refuses the account options (%j)', (flags, named) => {
    expect(problemsOf(() => loadRunFlags(demo(flags), {}, NOW))).toEqual([
      `--demo runs on the simulated fleet: ${named} for AWS runs only, drop ${named.endsWith('are') ? 'them' : 'it'}`,
    ]);
  });

  it('takes --accounts with the member role, and the external id from EXTERNAL_ID when not given', () => {
    // Act
    const flags = loadRunFlags(
      aws({ accounts: '111111111111,222222222222', memberRole: 'wco-spoke' }),
      { EXTERNAL_ID: 'shared-secret-0123456789' },
      NOW,
    );

    // Assert
    expect(flags.target).toMatchObject({
      kind: 'aws',
      accounts: {
        kind: 'list',
        accounts: ['111111111111', '222222222222'],
        memberRole: { roleName: 'wco-spoke', externalId: 'shared-secret-0123456789' },
      },
    });
    expect(loadRunFlags(aws(), {}, NOW).target).toMatchObject({ accounts: { kind: 'own' } });
  });

  it('discovers the organization with --organization-unit, less --exclude-accounts', () => {
    // Act
    const flags = loadRunFlags(
      aws({ organizationUnit: 'ou-ab12-cdef3456', excludeAccounts: '444444444444' }),
      {},
      NOW,
    );

    // Assert
    expect(flags.target).toMatchObject({
      accounts: {
        kind: 'organization',
        parentId: 'ou-ab12-cdef3456',
        exclude: ['444444444444'],
        memberRole: { roleName: 'wco-member', externalId: undefined },
      },
    });
  });

  it.each([
    [{ accounts: '1111' }, {}, '--accounts: '],
    [{ accounts: '111111111111', organization: true }, {}, '--accounts: give either'],
    [{ organizationUnit: 'sales' }, {}, '--organization-unit: '],
    [{ excludeAccounts: '111111111111' }, {}, '--exclude-accounts: applies to'],
    [{ accounts: '111111111111', memberRole: 'a b' }, {}, '--member-role: '],
    [{ accounts: '111111111111', externalId: 'x' }, {}, '--external-id: '],
    [{ accounts: '111111111111' }, { EXTERNAL_ID: 'not valid!' }, 'EXTERNAL_ID: '],
  ])('names the account setting that is bad (%j %j)', (flags, env, start) => {
    const problems = problemsOf(() => loadRunFlags(aws(flags), env, NOW));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.startsWith(start)).toBe(true);
  });

  it("an AWS run refuses --seed, which is the simulated fleet's", () => {
    expect(problemsOf(() => loadRunFlags(aws({ seed: '7' }), {}, NOW))).toEqual([
      "--seed is the simulated fleet's: it only applies to --demo",
    ]);
  });
});

describe('Function: loadRunFlags, the unused review', () => {
  it('lists after 2 months and removes nothing by default', () => {
    expect(loadRunFlags(demo({}), {}, NOW).unused).toEqual({
      months: 2,
      removal: false,
      action: 'TERMINATE',
      maxPerRun: 10,
    });
  });

  it('reads --unused-months, --terminate-unused, --unused-action and --max-removals', () => {
    const flags = loadRunFlags(
      demo({
        unusedMonths: '15',
        terminateUnused: true,
        unusedAction: 'Stop',
        maxRemovals: '0',
        apply: true,
      }),
      {},
      NOW,
    );
    expect(flags.unused).toEqual({ months: 15, removal: true, action: 'STOP', maxPerRun: 0 });
    expect(flags.warnings).toEqual([]);
  });

  it.each([
    [{ unusedMonths: '0' }, '--unused-months'],
    [{ unusedMonths: '16' }, '--unused-months'],
    [{ unusedAction: 'delete' }, '--unused-action'],
    [{ maxRemovals: '-1' }, '--max-removals'],
  ])('refuses %j, naming %s', (flags, name) => {
    expect(problemsOf(() => loadRunFlags(demo(flags), {}, NOW))).toEqual([
      expect.stringMatching(`^${name}: `),
    ]);
  });

  it('warns that --terminate-unused without --apply removes nothing', () => {
    expect(loadRunFlags(demo({ terminateUnused: true }), {}, NOW).warnings).toEqual([
      '--terminate-unused without --apply removes nothing (a dry run)',
    ]);
  });
});
