import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src/app/run-summary.js';
import { runMetrics } from '../../../src/handlers/run-metrics.js';

const outcomes = (applied: number, dryRun: number, deferred: number, failed: number) => ({
  NONE: 0,
  APPLIED: applied,
  DRY_RUN: dryRun,
  DEFERRED: deferred,
  FAILED: failed,
});

const summary: RunSummary = {
  asOf: new Date('2026-11-30T23:00:00Z'),
  dryRun: false,
  monthEnd: true,
  regions: ['eu-west-1'],
  workspaces: 17,
  actions: { NONE: 5, SKIP: 4, ERROR: 1, TO_ALWAYS_ON: 4, TO_AUTO_STOP: 3 },
  outcomes: outcomes(3, 0, 2, 2),
  conversions: { TO_ALWAYS_ON: outcomes(2, 0, 1, 1), TO_AUTO_STOP: outcomes(1, 0, 1, 1) },
  skipped: { EXEMPT_TAG: 3, UNSUPPORTED_MODE: 1 },
  errors: [
    { workspaceId: 'ws-1', region: 'eu-west-1', message: 'METRICS_UNAVAILABLE' },
    { workspaceId: 'ws-2', region: 'eu-west-1', message: 'ThrottlingException' },
    { workspaceId: 'ws-3', region: 'eu-west-1', message: 'ThrottlingException' },
  ],
  attention: [],
  problems: [{ region: 'eu-west-1', scope: 'directory d-1', message: 'AccessDenied' }],
  fallbackComputeTypes: {},
  reportKeys: [],
  writeFailures: [{ target: 's3://b/k', message: 'SlowDown' }],
  reportLocation: 's3://b/',
  keptRows: 0,
  events: { published: 3, pending: 0 },
  prices: { priced: {}, unpriced: 17, savings: {} },
};

describe('Function: runMetrics', () => {
  const metrics = runMetrics(summary);
  const value = (name: string, direction?: string) =>
    metrics.find((m) => m.name === name && m.dimensions?.Direction === direction)?.value;

  it.each([
    ['WorkSpacesEvaluated', undefined, 17],
    ['Skipped', undefined, 4],
    ['Errors', undefined, 3],
    // Usage unreadable or modify failed (3), plus tags unreadable (none here): what the share alarm divides.
    ['WorkSpacesWithProblems', undefined, 3],
    ['FleetProblems', undefined, 1],
    ['WriteFailures', undefined, 1],
    ['ConversionsApplied', 'TO_ALWAYS_ON', 2],
    ['ConversionsDeferred', 'TO_ALWAYS_ON', 1],
    ['ConversionsFailed', 'TO_ALWAYS_ON', 1],
    ['ConversionsDryRun', 'TO_ALWAYS_ON', 0],
    ['ConversionsApplied', 'TO_AUTO_STOP', 1],
    ['ConversionsDeferred', 'TO_AUTO_STOP', 1],
    ['ConversionsFailed', 'TO_AUTO_STOP', 1],
    ['ConversionsDryRun', 'TO_AUTO_STOP', 0],
  ])('%s (direction %s) is %i', (name, direction, expected) => {
    // Assert
    expect(value(name, direction)).toBe(expected);
  });

  it('emits each metric once per dimension set, zeroes included', () => {
    // Assert
    expect(metrics).toHaveLength(6 + 2 * 4);
  });
});
