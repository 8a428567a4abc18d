import { describe, expect, it } from 'vitest';
import { hasExemptTag, monthStartUtc } from '../../../src/billing/index.js';
import {
  ARCHETYPE_WEIGHTS,
  DEMO_ACCOUNTS,
  EdgeCase,
  generateSimulatedFleet,
  UsageArchetype,
} from '../../../src/simulated/index.js';

const MONTH_END = new Date('2026-11-30T23:00:00Z');

describe('Function: generateSimulatedFleet', () => {
  const fleet = generateSimulatedFleet({ seed: 42, asOf: MONTH_END });

  it('gives a deep-equal fleet for the same seed and as-of time', () => {
    // Act
    const again = generateSimulatedFleet({ seed: 42, asOf: new Date(MONTH_END) });

    // Assert
    expect(again).toEqual(fleet);
  });

  it("deals the directories out to several accounts, leaving every WorkSpace's identity and usage as it was", () => {
    // Act
    const spread = generateSimulatedFleet({ seed: 42, asOf: MONTH_END, accounts: DEMO_ACCOUNTS });

    // Assert: the same fleet but for the account (and the account in fault messages); each directory in one account, every account used.
    const withoutAccount = (list: typeof fleet) =>
      list.map((s) => [{ ...s.workspace, account: '' }, s.sessions, s.tags, s.edgeCase]);
    expect(withoutAccount(spread)).toEqual(withoutAccount(fleet));
    const accountOf = new Map<string, Set<string>>();
    for (const { workspace } of spread)
      accountOf.set(
        workspace.directoryId,
        (accountOf.get(workspace.directoryId) ?? new Set()).add(workspace.account),
      );
    expect([...accountOf.values()].every((accounts) => accounts.size === 1)).toBe(true);
    expect(new Set(spread.map((s) => s.workspace.account))).toEqual(new Set(DEMO_ACCOUNTS));
    expect(() => generateSimulatedFleet({ seed: 42, asOf: MONTH_END, accounts: ['12'] })).toThrow(RangeError);
  });

  it('gives a different fleet for a different seed', () => {
    // Act
    const other = generateSimulatedFleet({ seed: 43, asOf: MONTH_END });

    // Assert
    const ids = new Set(fleet.map((s) => s.workspace.workspaceId));
    expect(other.some((s) => !ids.has(s.workspace.workspaceId))).toBe(true);
    expect(other).not.toEqual(fleet);
  });

  it('has 200 WorkSpaces in us-east-1 and eu-west-1, in 3 to 5 directories, one account', () => {
    // Assert
    expect(fleet).toHaveLength(200);
    const regions = new Set(fleet.map((s) => s.workspace.region));
    expect([...regions].sort()).toEqual(['eu-west-1', 'us-east-1']);
    const directories = new Set(fleet.map((s) => s.workspace.directoryId));
    expect(directories.size).toBeGreaterThanOrEqual(3);
    expect(directories.size).toBeLessThanOrEqual(5);
    for (const region of regions)
      expect(fleet.filter((s) => s.workspace.region === region).length).toBeGreaterThan(40);
    expect(new Set(fleet.map((s) => s.workspace.account))).toEqual(new Set(['123456789012']));
  });

  it('puts every directory in one region only', () => {
    const regionOf = new Map<string, Set<string>>();
    for (const { workspace } of fleet)
      regionOf.set(
        workspace.directoryId,
        (regionOf.get(workspace.directoryId) ?? new Set()).add(workspace.region),
      );
    for (const regions of regionOf.values()) expect(regions.size).toBe(1);
  });

  it.each(Object.keys(ARCHETYPE_WEIGHTS))('has WorkSpaces of the %s archetype', (archetype) => {
    expect(fleet.filter((s) => s.archetype === archetype).length).toBeGreaterThanOrEqual(3);
  });

  it.each(Object.values(EdgeCase))('has exactly one WorkSpace for the edge case %s', (edgeCase) => {
    expect(fleet.filter((s) => s.edgeCase === edgeCase)).toHaveLength(1);
  });

  it('uses real-looking identifiers, unique WorkSpace ids and known volume sizes', () => {
    for (const { workspace } of fleet) {
      expect(workspace.workspaceId).toMatch(/^ws-[a-z0-9]{9}$/);
      expect(workspace.directoryId).toMatch(/^d-[0-9a-f]{10}$/);
      expect(workspace.computerName).toMatch(/^WSAMZN-[A-Z0-9]{8}$/);
      expect(workspace.bundleId).toMatch(/^wsb-[a-z0-9]{9}$/);
      expect(['WINDOWS_SERVER_2022', 'WINDOWS_11', 'AMAZON_LINUX_2', 'UBUNTU_22_04']).toContain(
        workspace.operatingSystem,
      );
      expect([80, 100, 175]).toContain(workspace.rootVolumeSizeGib);
      expect([10, 50, 100]).toContain(workspace.userVolumeSizeGib);
    }
    expect(new Set(fleet.map((s) => s.workspace.workspaceId)).size).toBe(fleet.length);
  });

  it('mixes running modes, timeouts, compute types and states like a real fleet', () => {
    const ordinary = fleet.filter((s) => s.edgeCase === undefined).map((s) => s.workspace);
    const autoStop = ordinary.filter((w) => w.runningMode === 'AUTO_STOP');
    const alwaysOn = ordinary.filter((w) => w.runningMode === 'ALWAYS_ON');
    expect(autoStop.length + alwaysOn.length).toBe(ordinary.length);
    expect(autoStop.length).toBeGreaterThan(50);
    expect(alwaysOn.length).toBeGreaterThan(30);
    expect(new Set(autoStop.map((w) => w.autoStopTimeoutMinutes))).toEqual(new Set([60, 120, 180, 240]));
    expect(new Set(ordinary.map((w) => w.computeType))).toEqual(
      new Set(['VALUE', 'STANDARD', 'PERFORMANCE', 'POWER', 'POWERPRO', 'GRAPHICS_G4DN', 'GRAPHICSPRO_G4DN']),
    );
    expect(new Set(ordinary.map((w) => w.state))).toEqual(new Set(['AVAILABLE', 'STOPPED']));
  });

  it('gives exempt tags only to the exempt edge cases, in three spellings', () => {
    const exempt = fleet.filter((s) => hasExemptTag(s.tags));
    expect(exempt.map((s) => s.edgeCase).sort()).toEqual([
      EdgeCase.EXEMPT_TAG_EMPTY_VALUE,
      EdgeCase.EXEMPT_TAG_LOWER_CASE,
      EdgeCase.EXEMPT_TAG_UPPER_CASE,
    ]);
    const keys = exempt.flatMap((s) => Object.keys(s.tags).filter((k) => k.toLowerCase() === 'skip_convert'));
    expect(keys.sort()).toEqual(['SKIP_CONVERT', 'Skip_Convert', 'skip_convert']);
  });

  it.each([
    [EdgeCase.USER_NAME_COMMA, 'Müller, Jürgen'],
    [EdgeCase.USER_NAME_QUOTE, 'O"Brien'],
    [EdgeCase.USER_NAME_NEWLINE, 'line\nbreak'],
    [EdgeCase.USER_NAME_NON_ASCII, '山田太郎'],
  ])('gives the %s edge case the user name %j', (edgeCase, userName) => {
    expect(fleet.find((s) => s.edgeCase === edgeCase)?.workspace.userName).toBe(userName);
  });

  it.each([
    [EdgeCase.TAGS_UNREADABLE, 'tags', /^AccessDeniedException: .*workspaces:DescribeTags/],
    [EdgeCase.USAGE_UNREADABLE, 'usage', /^ThrottlingException: Rate exceeded/],
    [EdgeCase.MODIFY_FAILS, 'modify', /^AccessDeniedException: .*workspaces:ModifyWorkspaceProperties/],
  ] as const)('gives the %s edge case a %s fault naming the WorkSpace', (edgeCase, fault, message) => {
    const simulated = fleet.find((s) => s.edgeCase === edgeCase);
    expect(simulated?.faults?.[fault]).toMatch(message);
    expect(simulated?.faults?.[fault]).toContain(simulated?.workspace.workspaceId);
    expect(fleet.filter((s) => s.faults !== undefined)).toHaveLength(3);
  });

  it('keeps sessions sorted, disjoint and before asOf, some starting on the last evening of the previous month', () => {
    const monthStart = monthStartUtc(MONTH_END).getTime();
    const misplaced = fleet.flatMap(({ workspace, sessions }) =>
      sessions.flatMap((session, i) => {
        const previousEnd = sessions[i - 1]?.end ?? Number.NEGATIVE_INFINITY;
        const fine =
          session.start > previousEnd && session.end > session.start && session.end < MONTH_END.getTime();
        return fine ? [] : [{ workspaceId: workspace.workspaceId, session }];
      }),
    );
    expect(misplaced).toEqual([]);
    const fromLastMonth = fleet.filter((s) => s.sessions.some((session) => session.start < monthStart));
    expect(fromLastMonth.length).toBeGreaterThanOrEqual(5);
    for (const s of fromLastMonth)
      expect(s.sessions[0]?.start).toBeGreaterThanOrEqual(monthStart - 6 * 3_600_000);
  });

  it('ends every session before asOf when asOf falls in the middle of a working day', () => {
    // Arrange: a Wednesday, 10:00 UTC
    const asOf = new Date('2026-11-18T10:00:00Z');

    // Act
    const midMonth = generateSimulatedFleet({ seed: 42, asOf });

    // Assert
    const lastEnd = Math.max(...midMonth.flatMap((s) => s.sessions.map((session) => session.end)));
    expect(lastEnd).toBeLessThan(asOf.getTime());
    expect(lastEnd).toBeGreaterThan(asOf.getTime() - 3_600_000);
  });

  it('shows the same month to earlier and later days: earlier usage is a prefix of later usage', () => {
    // Arrange
    const early = generateSimulatedFleet({ seed: 7, asOf: new Date('2026-11-10T12:00:00Z') });
    const late = generateSimulatedFleet({ seed: 7, asOf: new Date('2026-11-20T12:00:00Z') });

    // Assert
    expect(early.map((s) => s.workspace.workspaceId)).toEqual(late.map((s) => s.workspace.workspaceId));
    early.forEach((simulated, i) => {
      const later = late[i];
      if (simulated.archetype === UsageArchetype.TARGETED || later === undefined) return;
      const cut = Date.parse('2026-11-10T11:59:00Z');
      const laterUntilCut = later.sessions
        .filter((s) => s.start < cut)
        .map((s) => ({ start: s.start, end: Math.min(s.end, cut) }));
      expect(simulated.sessions).toEqual(laterUntilCut);
    });
  });

  it('keeps the first WorkSpaces when the fleet grows', () => {
    // Act
    const bigger = generateSimulatedFleet({ seed: 42, asOf: MONTH_END, count: 260 });

    // Assert
    const ids = new Set(bigger.map((s) => s.workspace.workspaceId));
    expect(fleet.every((s) => ids.has(s.workspace.workspaceId))).toBe(true);
  });

  it('generates a 10,000-WorkSpace fleet across four regions', () => {
    // Act
    const large = generateSimulatedFleet({
      seed: 1,
      asOf: MONTH_END,
      count: 10_000,
      regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'],
    });

    // Assert
    expect(large).toHaveLength(10_000);
    expect(new Set(large.map((s) => s.workspace.workspaceId)).size).toBe(10_000);
    expect(new Set(large.map((s) => s.workspace.region)).size).toBe(4);
    const userNames = large.map((s) => `${s.workspace.directoryId}/${s.workspace.userName}`);
    expect(new Set(userNames).size).toBe(10_000);
  });

  it('can leave the edge cases out', () => {
    // Act
    const plain = generateSimulatedFleet({ seed: 42, asOf: MONTH_END, count: 10, edgeCases: false });

    // Assert
    expect(plain).toHaveLength(10);
    expect(plain.every((s) => s.edgeCase === undefined)).toBe(true);
  });

  it.each([
    [{ seed: 1.5 }, /seed must be a safe integer/],
    [{ asOf: new Date('nope') }, /asOf must be a valid Date/],
    [{ account: '12345' }, /account must be 12 digits/],
    [{ count: -1 }, /count must be a non-negative integer/],
    [{ count: 5 }, /count must be at least 24/],
    [{ regions: [] }, /at least one region/],
    [{ regions: ['us-east-1', 'us-east-1'] }, /must not repeat/],
    [{ regions: ['mars-1'] }, /not a region name/],
  ])('rejects %j', (override, message) => {
    expect(() => generateSimulatedFleet({ seed: 42, asOf: MONTH_END, ...override })).toThrow(message);
  });
});
