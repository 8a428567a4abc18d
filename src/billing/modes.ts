/**
 * The closed value sets of the billing contract. Only `src/report/` turns
 * them into text; everything else passes these typed values around.
 */

export const RunningMode = {
  AUTO_STOP: 'AUTO_STOP',
  ALWAYS_ON: 'ALWAYS_ON',
  MANUAL: 'MANUAL',
} as const;
/** A running mode as the service reports it; unknown future modes stay representable. */
export type RunningMode = string;
/** The two modes wco converts between. */
export type ConvertibleMode = typeof RunningMode.AUTO_STOP | typeof RunningMode.ALWAYS_ON;

export const Action = {
  NONE: 'NONE',
  SKIP: 'SKIP',
  ERROR: 'ERROR',
  TO_ALWAYS_ON: 'TO_ALWAYS_ON',
  TO_AUTO_STOP: 'TO_AUTO_STOP',
} as const;
export type Action = (typeof Action)[keyof typeof Action];

export const Reason = {
  TAGS_UNAVAILABLE: 'TAGS_UNAVAILABLE',
  EXEMPT_TAG: 'EXEMPT_TAG',
  UNSUPPORTED_MODE: 'UNSUPPORTED_MODE',
  METRICS_UNAVAILABLE: 'METRICS_UNAVAILABLE',
  OVER_THRESHOLD: 'OVER_THRESHOLD',
  UNDER_THRESHOLD_AT_MONTH_END: 'UNDER_THRESHOLD_AT_MONTH_END',
  UNDER_THRESHOLD: 'UNDER_THRESHOLD',
  NOT_MONTH_END: 'NOT_MONTH_END',
  /** wco already switched this WorkSpace this month: it is not switched again until next month. */
  CONVERTED_THIS_MONTH: 'CONVERTED_THIS_MONTH',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export const Outcome = {
  NONE: 'NONE',
  DRY_RUN: 'DRY_RUN',
  DEFERRED: 'DEFERRED',
  APPLIED: 'APPLIED',
  FAILED: 'FAILED',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** WorkSpace states in which `ModifyWorkspaceProperties` may change the running mode. */
export const MODIFIABLE_STATES: ReadonlySet<string> = new Set(['AVAILABLE', 'STOPPED']);

export function isConvertibleMode(mode: string): mode is ConvertibleMode {
  return mode === RunningMode.AUTO_STOP || mode === RunningMode.ALWAYS_ON;
}
