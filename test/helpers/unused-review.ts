import type { UnusedReviewContext } from '../../src/app/unused/review-unused.js';
import { UnusedLedger } from '../../src/app/unused/unused-ledger.js';
import { RemovalAction } from '../../src/billing/index.js';
import { silentLog } from '../../src/shared/log.js';
import type { MemoryStore } from './memory-store.js';

/** A removing, applying review of November 2026 at `asOf`, its ledger in `store`; the wall clock on Dec 1. */
export const unusedReviewContext = (
  store: MemoryStore,
  asOf: Date,
  overrides: Partial<UnusedReviewContext> = {},
): UnusedReviewContext => ({
  asOf,
  month: '2026-11',
  runId: `run-${asOf.toISOString()}`,
  dryRun: false,
  settings: { months: 2, removal: true, action: RemovalAction.TERMINATE, maxPerRun: 10 },
  ledger: new UnusedLedger(store),
  now: () => new Date('2026-12-01T00:00:00Z'),
  log: silentLog,
  ...overrides,
});
