import { describe, expect, it } from 'vitest';
import { createAwsDependencies } from '../../../src/compose/aws.js';
import type { RunResult } from '../../../src/app/run-optimizer.js';
import { runOptimizer } from '../../../src/app/run-optimizer.js';
import { generateSimulatedFleet, SimulatedFleet } from '../../../src/simulated/index.js';
import { emulatedRegions } from '../emulator/simulated-fleet-state.js';
import { fastRetryStrategy, useEmulator } from '../../helpers/aws-test-kit.js';
import { optimizerSettings } from '../../helpers/run-settings.js';
import { storeBacked } from '../../helpers/store-backed.js';

const asOf = new Date('2026-11-30T22:00:00Z'); // month end: conversions in both directions
const regions = ['us-east-1', 'eu-west-1'];
const fleet = () => generateSimulatedFleet({ seed: 11, asOf, count: 300, regions });
const state = emulatedRegions(fleet());
const emulator = useEmulator(() => ({ buckets: ['reports'] }));

const settings = optimizerSettings(asOf, '123456789012');

/** What must not depend on where the fleet is read from. */
const outcomes = (run: RunResult) =>
  Object.fromEntries(
    run.results.map((result) => [
      result.workspace.workspaceId,
      {
        billableHours: result.billableHours,
        decision: result.decision,
        outcome: result.outcome,
        newRunningMode: result.newRunningMode,
        tags: result.tags,
      },
    ]),
  );

describe('Function: runOptimizer, simulated fleet in memory vs the same fleet over the AWS APIs', () => {
  it.each([
    ['tags in bulk', false],
    ['tags by DescribeTags after a Tagging API failure', true],
  ])(
    'gives the same hours, decisions and outcomes (%s)',
    async (_, taggingFails) => {
      // Arrange: 5-minute samples in memory, hourly ones from the emulator; the same faults on both sides.
      emulator.current.reset({
        buckets: ['reports'],
        regions: state.regions,
        faults: {
          metricQueryFailsFor: state.metricQueryFailsFor,
          modifyFailsFor: state.modifyFailsFor,
          describeTagsFailsFor: state.describeTagsFailsFor,
          taggingFailsIn: taggingFails ? regions : [],
        },
      });
      const simulated = new SimulatedFleet(fleet(), regions);
      const aws = await createAwsDependencies({
        regions,
        bucket: 'reports',
        account: '123456789012',
        customEndpoint: true,
        clientOptions: { retryStrategy: fastRetryStrategy() },
      });

      // Act
      const inMemory = await runOptimizer(
        { fleet: simulated, switcher: simulated, ...storeBacked() },
        settings,
      );
      const overAws = await runOptimizer(aws, settings);

      // Assert
      const expected = outcomes(inMemory);
      const actual = outcomes(overAws);
      if (!taggingFails)
        // The bulk read cannot fail for one WorkSpace; only the confirmation before converting can.
        for (const id of state.describeTagsFailsFor) {
          delete expected[id];
          delete actual[id];
        }
      expect(actual).toEqual(expected);
      expect(overAws.summary.outcomes.APPLIED).toBeGreaterThan(0);
      expect(overAws.summary.outcomes.APPLIED).toBe(inMemory.summary.outcomes.APPLIED);
      // 200 WorkSpaces through the emulator twice: a guard against a hang, not a speed check.
    },
    120_000,
  );
});
