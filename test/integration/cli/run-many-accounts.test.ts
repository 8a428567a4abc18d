import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { dailySessions, useEmulator, workspacesOf } from '../../helpers/aws-test-kit.js';
import { runCli } from '../../helpers/cli.js';
import type { EmulatedWorkspace, EmulatorConfig } from '../emulator/emulator.js';

const BUCKET = 'wco-hub-reports';
const REGION = 'us-east-1';
const HUB = '999999999999';
const ONE = '111111111111';
const TWO = '222222222222';
/** In the organization and in the list, but its member role cannot be assumed. */
const UNREACHABLE = '555555555555';
const EXTERNAL_ID = 'shared-secret-0123456789';
const asOf = new Date('2026-11-30T23:00:00Z');
const DAY = 'reports/daily/2026/11/30';

// Ten hours a day: every AutoStop WorkSpace is far over its threshold and goes AlwaysOn.
const heavy = (directoryId: string, count: number) =>
  workspacesOf(directoryId, count, (): Partial<EmulatedWorkspace> => ({ sessions: dailySessions(asOf, 10) }));
const fleets: Record<string, EmulatedWorkspace[]> = {
  [HUB]: heavy('d-hub', 1),
  [ONE]: heavy('d-one', 2),
  [TWO]: heavy('d-two', 3),
};
const member = (account: string) => ({
  regions: {
    [REGION]: {
      directories: [{ directoryId: fleets[account]![0]!.directoryId }],
      workspaces: structuredClone(fleets[account]!),
    },
  },
  externalId: EXTERNAL_ID,
});
const config = (): EmulatorConfig => ({
  account: HUB,
  buckets: [BUCKET],
  regions: {
    [REGION]: { directories: [{ directoryId: 'd-hub' }], workspaces: structuredClone(fleets[HUB]!) },
  },
  members: { [ONE]: member(ONE), [TWO]: member(TWO), [UNREACHABLE]: member(ONE) },
  organization: [
    { id: HUB, parentId: 'r-root' },
    { id: ONE, parentId: 'ou-ab12-prodprod' },
    { id: TWO, parentId: 'ou-ab12-prodprod' },
    { id: UNREACHABLE, parentId: 'ou-ab12-prodprod' },
    { id: '333333333333', parentId: 'ou-ab12-prodprod', state: 'SUSPENDED' },
  ],
  faults: { assumeRoleDeniedFor: [UNREACHABLE] },
});
const emulator = useEmulator(config);
/** The emulator counts calls from its start: a test looks at what it added. */
const callsSince = () => {
  const before = { ...emulator.current.calls };
  return (operation: 'AssumeRole' | 'ListAccountsForParent') =>
    (emulator.current.calls[operation] ?? 0) - (before[operation] ?? 0);
};

const env = () => ({ ...process.env, EXTERNAL_ID });
const run = (...options: string[]) =>
  runCli(['run', '--regions', REGION, '--bucket', BUCKET, '--as-of', asOf.toISOString(), ...options], {
    env: env(),
  });
const rowsOf = (key: string): string[][] => {
  const stored = emulator.current.state.objects.get(`${BUCKET}/${key}`);
  expect(stored, key).toBeDefined();
  return (parse(stored!.body) as string[][]).slice(1);
};
const modified = () =>
  emulator.current.state.modifies.map((modify) => `${modify.account}/${modify.workspaceId}`).sort();

describe('Command: wco run --accounts, one hub over member accounts (the emulator derives the account from the assumed credentials)', () => {
  beforeEach(() => emulator.current.reset(config()));

  it('converts in each account with its own credentials, reports every account, and reports the one it cannot reach without stopping', async () => {
    const calls = callsSince();

    // Act
    const result = await run('--accounts', `${ONE},${TWO},${UNREACHABLE}`, '--apply');

    // Assert: two accounts done; the third is a problem of the run (exit 1), named with its role.
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('WorkSpaces seen: 5');
    expect(result.stdout).toMatch(
      new RegExp(
        `account ${UNREACHABLE}: .*arn:aws:iam::${UNREACHABLE}:role/wco-member could not be assumed`,
      ),
    );
    expect(result.stdout + result.stderr).not.toContain(EXTERNAL_ID);
    expect(modified()).toEqual(
      [
        ...fleets[ONE]!.map((w) => `${ONE}/${w.workspaceId}`),
        ...fleets[TWO]!.map((w) => `${TWO}/${w.workspaceId}`),
      ].sort(),
    );
    // The hub's own fleet is not among the accounts asked for.
    expect(modified().some((id) => id.startsWith(HUB))).toBe(false);
    const aggregated = rowsOf(`${DAY}/aggregated.csv`);
    expect(aggregated.map((row) => [row[1], row[0], row[14]])).toEqual([
      ...fleets[ONE]!.map((w) => [ONE, w.workspaceId, 'APPLIED']),
      ...fleets[TWO]!.map((w) => [TWO, w.workspaceId, 'APPLIED']),
    ]);
    expect(rowsOf(`${DAY}/${TWO}_${REGION}_d-two.csv`)).toHaveLength(3);
    // The ledger keeps each account's conversions under its own keys.
    const ledger = [...emulator.current.state.objects.keys()].filter((key) =>
      key.startsWith(`${BUCKET}/ledger/2026-11/`),
    );
    expect(ledger.filter((key) => key.includes(`/${ONE}_${REGION}_`))).toHaveLength(2);
    expect(ledger.filter((key) => key.includes(`/${TWO}_${REGION}_`))).toHaveLength(3);
    // One AssumeRole per member account for the whole run (the provider caches the session).
    expect(calls('AssumeRole')).toBe(3);
  });

  it("reads the hub's own account with its own credentials when it is in the list", async () => {
    const calls = callsSince();

    // Act
    const result = await run('--accounts', `${HUB},${ONE}`);

    // Assert
    expect(result.code).toBe(0);
    expect(rowsOf(`${DAY}/aggregated.csv`).map((row) => row[1])).toEqual([ONE, ONE, HUB]);
    expect(calls('AssumeRole')).toBe(1);
  });

  it('discovers the accounts of an OU, pages through them, and leaves out the excluded and the suspended', async () => {
    const calls = callsSince();

    // Act
    const result = await run('--organization-unit', 'ou-ab12-prodprod', '--exclude-accounts', UNREACHABLE);

    // Assert
    expect(result.code).toBe(0);
    expect(rowsOf(`${DAY}/aggregated.csv`).map((row) => row[1])).toEqual([ONE, ONE, TWO, TWO, TWO]);
    expect(calls('ListAccountsForParent')).toBe(2);
  });

  it('totals the month by account first in the monthly summary', async () => {
    // Act
    await run('--accounts', `${ONE},${TWO}`, '--end-of-month');

    // Assert: the account rows come first, marked as such, region, directory and compute type blank.
    const summary = rowsOf('reports/monthly/2026-11/summary.csv');
    expect(summary.slice(0, 2).map((row) => row.slice(0, 7))).toEqual([
      ['account', ONE, '', '', '', '', '2'],
      ['account', TWO, '', '', '', '', '3'],
    ]);
    expect(summary.at(-1)!.slice(0, 2)).toEqual(['total', 'TOTAL']);
    const report = await runCli(['report', '--month', '2026-11', '--from', `s3://${BUCKET}`], { env: env() });
    expect(report.stdout).toContain(`  account ${ONE}: 2 WorkSpaces without a price`);
    expect(report.stdout).toContain(`  account ${TWO}: 3 WorkSpaces without a price`);
  });
});
