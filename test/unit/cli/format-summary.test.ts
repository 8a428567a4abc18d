import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src/app/run-summary.js';
import { formatSummary } from '../../../src/cli/format-summary.js';

const zeroes = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
const outcomes = zeroes(['NONE', 'DRY_RUN', 'DEFERRED', 'APPLIED', 'FAILED'] as const);

function summary(overrides: Partial<RunSummary>): RunSummary {
  return {
    asOf: new Date('2026-11-30T23:00:00Z'),
    dryRun: true,
    monthEnd: true,
    regions: ['us-east-1'],
    workspaces: 3,
    actions: zeroes(['NONE', 'SKIP', 'ERROR', 'TO_ALWAYS_ON', 'TO_AUTO_STOP'] as const),
    outcomes,
    conversions: { TO_ALWAYS_ON: outcomes, TO_AUTO_STOP: outcomes },
    skipped: {},
    errors: [],
    attention: [],
    problems: [],
    fallbackComputeTypes: {},
    reportKeys: [],
    writeFailures: [],
    reportLocation: '/out',
    keptRows: 0,
    events: { published: 0, pending: 0 },
    ...overrides,
  } as RunSummary;
}

describe('Function: formatSummary, compute types decided by the default threshold', () => {
  it('names the threshold list prices suggest for a compute type the contract does not list', () => {
    // Act
    const text = formatSummary(
      summary({
        fallbackComputeTypes: {
          GENERALPURPOSE_4XLARGE: { workspaces: 2, hours: 82 },
          GRAPHICS_G7_2XLARGE: { workspaces: 1, hours: 82 },
        },
      }),
    );

    // Assert
    expect(text).toContain(
      '  GENERALPURPOSE_4XLARGE: 2 WorkSpace(s) at 82 h (list prices suggest 121 h: --threshold GENERALPURPOSE_4XLARGE=121)\n' +
        '  GRAPHICS_G7_2XLARGE: 1 WorkSpace(s) at 82 h\n',
    );
  });
});
