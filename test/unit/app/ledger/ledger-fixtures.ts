import type { LedgerEntry } from '../../../../src/app/ledger/ledger-entry.js';
import { recordIdOf } from '../../../../src/app/ledger/ledger-entry.js';

/** An `INTENDED` switch of ws-1 to AlwaysOn on 2026-11-10, claimed at 23:00:05. */
export function ledgerEntry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  const base = {
    month: '2026-11',
    account: '111122223333',
    region: 'us-east-1',
    workspaceId: 'ws-1',
    ...overrides,
  };
  return {
    schema: 1,
    id: recordIdOf(base.month, base.account, base.region, base.workspaceId),
    directoryId: 'd-1234567890',
    userName: 'alice',
    computerName: 'WSAMZN-0001',
    computeType: 'STANDARD',
    fromMode: 'AUTO_STOP',
    toMode: 'ALWAYS_ON',
    action: 'TO_ALWAYS_ON',
    reason: 'OVER_THRESHOLD',
    billableHours: 101,
    thresholdHours: 85,
    thresholdSource: 'default',
    idleTimeoutMinutes: 60,
    asOf: '2026-11-10T23:00:00.000Z',
    runId: 'run-1',
    status: 'INTENDED',
    attempts: 1,
    claimedAt: '2026-11-10T23:00:05.000Z',
    event: { published: false },
    ...base,
    ...overrides,
  };
}
