import type { UnusedReviewContext } from '../../src/app/unused/review-unused.js';
import { UnusedLedger } from '../../src/app/unused/unused-ledger.js';
import { RemovalAction } from '../../src/billing/index.js';
import type { UnusedWorkspaces } from '../../src/ports/unused-workspaces.js';
import type { Workspace } from '../../src/ports/workspace.js';
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

/** Last connected in May (unused for six months at November's end), never connected this month. */
export const CONNECTED_IN_MAY = {
  ok: true as const,
  value: { lastConnection: Date.parse('2026-05-01T00:00:00Z') },
};

/**
 * An account's last connections and removals: every WorkSpace it is asked
 * about last connected in May. Records what it is asked (with the region) and
 * what it removes; removing one of `refuse` fails as a refused call does.
 */
export class UnusedSinceMay implements UnusedWorkspaces {
  readonly asked: string[] = [];
  readonly askedIn: string[] = [];
  readonly removed: string[] = [];
  constructor(private readonly refuse: readonly string[] = []) {}
  async lastConnections(region: string, ids: readonly string[]) {
    this.asked.push(...ids);
    this.askedIn.push(region);
    return new Map(ids.map((id) => [id, CONNECTED_IN_MAY]));
  }
  async connectedIn(_region: string, ids: readonly string[]) {
    return new Map(ids.map((id) => [id, { ok: true as const, value: false }]));
  }
  async remove(target: Workspace, _action?: RemovalAction): Promise<void> {
    if (this.refuse.includes(target.workspaceId)) throw new Error('InvalidResourceState: refused');
    this.removed.push(target.workspaceId);
  }
}
