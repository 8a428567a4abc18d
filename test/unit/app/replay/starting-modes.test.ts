import { describe, expect, it } from 'vitest';
import { ConversionLedger } from '../../../../src/app/ledger/conversion-ledger.js';
import { entryKeyOf, serializeLedgerEntry } from '../../../../src/app/ledger/ledger-entry.js';
import { startingModesFromLedger } from '../../../../src/app/replay/starting-modes.js';
import type { FleetHistory } from '../../../../src/ports/fleet-history.js';
import { MemoryDocumentStore } from '../../../../src/store/memory-document-store.js';
import { workspace } from '../../../helpers/in-memory-fleet.js';
import { ledgerEntry } from '../ledger/ledger-fixtures.js';

const period = { start: Date.parse('2026-10-01T00:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z') };

function fleetNow(): FleetHistory {
  const item = (workspaceId: string, runningMode: string, autoStopTimeoutMinutes?: number) => ({
    workspace: workspace({ workspaceId, runningMode, autoStopTimeoutMinutes }),
    tags: { ok: true as const, value: {} },
    usage: { ok: true as const, value: { connectedStarts: [], periodMinutes: 60 } },
  });
  return {
    account: '111122223333',
    regions: ['us-east-1'],
    workspaces: [item('ws-1', 'ALWAYS_ON'), item('ws-2', 'AUTO_STOP', 60), item('ws-3', 'ALWAYS_ON')],
    problems: [],
    notes: [],
  };
}

async function ledgerWith(...entries: ReturnType<typeof ledgerEntry>[]): Promise<ConversionLedger> {
  const store = new MemoryDocumentStore();
  for (const entry of entries) await store.create(entryKeyOf(entry), serializeLedgerEntry(entry));
  return new ConversionLedger(store);
}

const applied = (
  workspaceId: string,
  asOf: string,
  toMode: 'ALWAYS_ON' | 'AUTO_STOP',
  idleTimeoutMinutes = 60,
) =>
  ledgerEntry({
    workspaceId,
    month: asOf.slice(0, 7),
    asOf,
    toMode,
    fromMode: toMode === 'ALWAYS_ON' ? 'AUTO_STOP' : 'ALWAYS_ON',
    action: toMode === 'ALWAYS_ON' ? 'TO_ALWAYS_ON' : 'TO_AUTO_STOP',
    status: 'APPLIED',
    idleTimeoutMinutes,
  });

describe('startingModesFromLedger', () => {
  it('starts a WorkSpace wco converted during the period in the mode it was converted from, with the recorded timeout', async () => {
    const ledger = await ledgerWith(
      applied('ws-1', '2026-10-12T23:00:00.000Z', 'ALWAYS_ON', 180),
      // Before the period: today's mode already says it.
      applied('ws-3', '2026-09-30T23:00:00.000Z', 'ALWAYS_ON'),
    );
    const history = await startingModesFromLedger(
      fleetNow(),
      ledger,
      period,
      new Date('2026-12-15T00:00:00Z'),
    );
    const modes = history.workspaces.map(({ workspace: w }) => [
      w.workspaceId,
      w.runningMode,
      w.autoStopTimeoutMinutes,
    ]);
    expect(modes).toEqual([
      ['ws-1', 'AUTO_STOP', 180],
      ['ws-2', 'AUTO_STOP', 60],
      ['ws-3', 'ALWAYS_ON', undefined],
    ]);
    expect(history.notes.join(' ')).toContain('1 WorkSpace(s) from the conversion ledger');
    expect(history.notes.join(' ')).toContain('2 their current mode');
  });

  it('takes the first conversion of the period, also from a month after it', async () => {
    const ledger = await ledgerWith(
      applied('ws-2', '2026-12-03T23:00:00.000Z', 'ALWAYS_ON'),
      applied('ws-2', '2026-11-30T23:00:00.000Z', 'AUTO_STOP'),
    );
    const history = await startingModesFromLedger(
      fleetNow(),
      ledger,
      period,
      new Date('2026-12-15T00:00:00Z'),
    );
    expect(history.workspaces[1]!.workspace.runningMode).toBe('ALWAYS_ON');
  });

  it('ignores a conversion that did not apply', async () => {
    const failed = { ...applied('ws-1', '2026-10-12T23:00:00.000Z', 'ALWAYS_ON'), status: 'FAILED' as const };
    const history = await startingModesFromLedger(
      fleetNow(),
      await ledgerWith(failed),
      period,
      new Date('2026-12-15T00:00:00Z'),
    );
    expect(history.workspaces[0]!.workspace.runningMode).toBe('ALWAYS_ON');
  });
});
