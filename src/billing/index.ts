/**
 * The pure billing core: usage -> billable hours -> decisions, exactly as
 * `shared/docs/billing-rules.md` defines them. No I/O, no clock, no environment.
 */
export * from './decide.js';
export * from './evaluate.js';
export * from './modes.js';
export * from './month.js';
export * from './outcome.js';
export * from './thresholds.js';
export * from './usage.js';
export * from './cost.js';
export * from './projection.js';
export * from './money.js';
export * from './month-bill.js';
export * from './forecast.js';
export * from './unused.js';
