/**
 * Break-even thresholds in billable hours by compute type
 * (`WorkspaceProperties.ComputeTypeName`). Above the threshold AlwaysOn is cheaper.
 */

/** The contract's table (docs/billing-rules.md), exactly. */
export const CONTRACT_THRESHOLDS: Readonly<Record<string, number>> = Object.freeze({
  VALUE: 81,
  STANDARD: 85,
  PERFORMANCE: 80,
  POWER: 92,
  POWERPRO: 78,
  GRAPHICS_G4DN: 334,
  GRAPHICSPRO_G4DN: 80,
});

/**
 * Break-evens for compute types newer than the contract's table, each
 * `floor((AlwaysOn - AutoStop fee) / hourly)` of its us-east-1 Windows list
 * prices at the bundle's 175/100 GiB volumes, and equal to the Cost Optimizer
 * for Amazon WorkSpaces' published default (docs/finance.md, "Thresholds for
 * compute types the contract does not list", with sources and dates).
 *
 * Suggested, not applied: the contract says every compute type outside its
 * table uses the default threshold, and wco decides by the contract. The run
 * summary names these values when it decides such a WorkSpace by the default,
 * so an operator can set them (`THRESHOLDS`, `--threshold`) or give prices (a
 * WorkSpace with prices is decided by its own break-even anyway). Compute types
 * without a published list price (the legacy GRAPHICS and GRAPHICSPRO,
 * GRAPHICS_G6_*, G6F_*, GR6_*, GR6F_*, G7_*) have no suggestion.
 */
export const SUGGESTED_THRESHOLDS: Readonly<Record<string, number>> = Object.freeze({
  // (295 - 19) / 2.28 = 121.05
  GENERALPURPOSE_4XLARGE: 121,
  // (590 - 19) / 4.56 = 125.22
  GENERALPURPOSE_8XLARGE: 125,
});

/** wco's table: the contract's, exactly (see `SUGGESTED_THRESHOLDS` for the newer compute types). */
export const DEFAULT_THRESHOLDS: Readonly<Record<string, number>> = CONTRACT_THRESHOLDS;

/**
 * Every compute type WorkSpaces has (the API's `Compute` values); one not here
 * is a typo or newer than wco. A test compares the list with the SDK's.
 */
export const KNOWN_COMPUTE_TYPES: readonly string[] = Object.freeze([
  'VALUE',
  'STANDARD',
  'PERFORMANCE',
  'POWER',
  'POWERPRO',
  'GRAPHICS',
  'GRAPHICSPRO',
  'GRAPHICS_G4DN',
  'GRAPHICSPRO_G4DN',
  'GENERALPURPOSE_4XLARGE',
  'GENERALPURPOSE_8XLARGE',
  'GRAPHICS_G6_XLARGE',
  'GRAPHICS_G6_2XLARGE',
  'GRAPHICS_G6_4XLARGE',
  'GRAPHICS_G6_8XLARGE',
  'GRAPHICS_G6_16XLARGE',
  'GRAPHICS_G6F_LARGE',
  'GRAPHICS_G6F_XLARGE',
  'GRAPHICS_G6F_2XLARGE',
  'GRAPHICS_G6F_4XLARGE',
  'GRAPHICS_GR6_4XLARGE',
  'GRAPHICS_GR6_8XLARGE',
  'GRAPHICS_GR6F_4XLARGE',
]);

/** Used for compute types absent from the table (new or unknown ones). */
export const DEFAULT_FALLBACK_THRESHOLD = 82;

export const ThresholdSource = {
  /** The WorkSpace's own break-even from its prices. */
  PRICE: 'price',
  /** An explicit per-compute-type value from configuration. */
  OVERRIDE: 'override',
  /** The table, or the fallback for compute types not in it. */
  DEFAULT: 'default',
} as const;
export type ThresholdSource = (typeof ThresholdSource)[keyof typeof ThresholdSource];

export interface ThresholdPolicy {
  /** The table (`DEFAULT_THRESHOLDS` unless a caller replaces it). */
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

/**
 * Whether a WorkSpace decided by `threshold` got the fallback because the
 * policy has no value for its compute type: what the run summary warns about.
 * @example fellBack(thresholdPolicy(), 'GRAPHICS_G7_2XLARGE', { hours: 82, source: 'default' }) // true
 */
export function fellBack(policy: ThresholdPolicy, computeType: string, threshold: Threshold): boolean {
  return threshold.source === ThresholdSource.DEFAULT && ownValue(policy.table, computeType) === undefined;
}

// Compute type names come from the service; `constructor` must not find Object's.
function ownValue(table: Readonly<Record<string, number>>, key: string): number | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
