/**
 * Break-even thresholds in billable hours by compute type
 * (`WorkspaceProperties.ComputeTypeName`). Above the threshold AlwaysOn is cheaper.
 */

export const DEFAULT_THRESHOLDS: Readonly<Record<string, number>> = Object.freeze({
  VALUE: 81,
  STANDARD: 85,
  PERFORMANCE: 80,
  POWER: 92,
  POWERPRO: 78,
  GRAPHICS_G4DN: 334,
  GRAPHICSPRO_G4DN: 80,
});

/** Used for compute types absent from the table (new or unknown ones). */
export const DEFAULT_FALLBACK_THRESHOLD = 82;

export const ThresholdSource = {
  /** The WorkSpace's own break-even from its prices. */
  PRICE: 'price',
  /** An explicit per-compute-type value from configuration. */
  OVERRIDE: 'override',
  /** The contract's table, or the fallback for unknown compute types. */
  DEFAULT: 'default',
} as const;
export type ThresholdSource = (typeof ThresholdSource)[keyof typeof ThresholdSource];

export interface ThresholdPolicy {
  /** The contract's table (`DEFAULT_THRESHOLDS` unless a caller replaces it). */
  readonly table: Readonly<Record<string, number>>;
  /** Operator overrides by compute type; these beat both the table and prices. */
  readonly overrides: Readonly<Record<string, number>>;
  /** For compute types in neither. */
  readonly fallback: number;
}

export interface Threshold {
  readonly hours: number;
  readonly source: ThresholdSource;
}

/**
 * @example thresholdPolicy({ STANDARD: 90 }) // STANDARD 90 (override), POWER 92, unknown types 82
 */
export function thresholdPolicy(
  overrides: Readonly<Record<string, number>> = {},
  fallback: number = DEFAULT_FALLBACK_THRESHOLD,
): ThresholdPolicy {
  return { table: DEFAULT_THRESHOLDS, overrides, fallback };
}

/**
 * The threshold for one WorkSpace: an override wins, then its price break-even
 * (when its prices are known), then the table, then the fallback.
 * @example resolveThreshold(thresholdPolicy(), 'GRAPHICS_G4DN') // { hours: 334, source: 'default' }
 */
export function resolveThreshold(
  policy: ThresholdPolicy,
  computeType: string,
  priceBreakEvenHours?: number,
): Threshold {
  const override = ownValue(policy.overrides, computeType);
  if (override !== undefined) return { hours: override, source: ThresholdSource.OVERRIDE };
  if (priceBreakEvenHours !== undefined) return { hours: priceBreakEvenHours, source: ThresholdSource.PRICE };
  return { hours: ownValue(policy.table, computeType) ?? policy.fallback, source: ThresholdSource.DEFAULT };
}

// Compute type names come from the service; `constructor` must not find Object's.
function ownValue(table: Readonly<Record<string, number>>, key: string): number | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
