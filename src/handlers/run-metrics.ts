import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RunSummary } from '../app/run-summary.js';
import { Outcome } from '../billing/index.js';

/** CloudWatch namespace and service of the optimizer's metrics. */
export const METRICS_NAMESPACE = 'wco';
export const METRICS_SERVICE = 'optimizer';

/** The dimension that splits conversion metrics by direction. */
export const DIRECTION_DIMENSION = 'Direction';

const CONVERSION_METRICS = {
  [Outcome.APPLIED]: 'ConversionsApplied',
  [Outcome.DRY_RUN]: 'ConversionsDryRun',
  [Outcome.DEFERRED]: 'ConversionsDeferred',
  [Outcome.FAILED]: 'ConversionsFailed',
} as const;

export interface RunMetric {
  readonly name: string;
  readonly value: number;
  readonly dimensions?: Readonly<Record<string, string>>;
}

/**
 * The run's metrics, zeroes included: an alarm on `Errors > 0` must see a 0,
 * not missing data, on a good day.
 */
export function runMetrics(summary: RunSummary): RunMetric[] {
  const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const conversions = Object.entries(summary.conversions).flatMap(([direction, outcomes]) =>
    Object.entries(CONVERSION_METRICS).map(([outcome, name]) => ({
      name,
      value: outcomes[outcome as keyof typeof CONVERSION_METRICS],
      dimensions: { [DIRECTION_DIMENSION]: direction },
    })),
  );
  return [
    { name: 'WorkSpacesEvaluated', value: summary.workspaces },
    ...conversions,
    { name: 'Skipped', value: sum(summary.skipped) },
    { name: 'Errors', value: summary.errors.length },
    // What the share alarm counts: usage unreadable or conversion failed (the errors), and tags unreadable.
    {
      name: 'WorkSpacesWithProblems',
      value: summary.errors.length + (summary.skipped.TAGS_UNAVAILABLE ?? 0),
    },
    { name: 'FleetProblems', value: summary.problems.length },
    { name: 'WriteFailures', value: summary.writeFailures.length },
  ];
}

/** Adds `metrics` to the Powertools buffer; dimensioned ones are emitted at once as single metrics. */
export function recordRunMetrics(powertools: Metrics, metrics: readonly RunMetric[]): void {
  for (const metric of metrics) {
    if (metric.dimensions) {
      // A dimension added to the shared buffer would apply to every metric in it.
      const single = powertools.singleMetric();
      for (const [name, value] of Object.entries(metric.dimensions)) single.addDimension(name, value);
      single.addMetric(metric.name, MetricUnit.Count, metric.value);
    } else {
      powertools.addMetric(metric.name, MetricUnit.Count, metric.value);
    }
  }
}
