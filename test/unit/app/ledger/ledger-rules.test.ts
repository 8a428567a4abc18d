import { describe, expect, it } from 'vitest';
import {
  CLAIM_LEASE_MS,
  latestTimeouts,
  leaseExpired,
  stepForEntry,
} from '../../../../src/app/ledger/ledger-rules.js';
import { ledgerEntry } from './ledger-fixtures.js';

const claimedAt = new Date('2026-11-10T23:00:05Z');
const sameDay = new Date('2026-11-10T23:30:00Z');
const nextDay = new Date('2026-11-11T23:00:00Z');

describe('Function: leaseExpired', () => {
  it.each([
    { after: 0, expired: false },
    { after: CLAIM_LEASE_MS - 1, expired: false },
    { after: CLAIM_LEASE_MS, expired: true },
  ])('$after ms after the claim -> $expired', ({ after, expired }) => {
    // Act
    const result = leaseExpired(ledgerEntry(), new Date(claimedAt.getTime() + after));

    // Assert
    expect(result).toBe(expired);
  });
});

describe('Function: stepForEntry', () => {
  const late = new Date(claimedAt.getTime() + CLAIM_LEASE_MS);

  it('no entry: ordinary history with the remembered timeout', () => {
    // Act
    const step = stepForEntry(undefined, 'ALWAYS_ON', sameDay, sameDay, 480);

    // Assert
    expect(step).toEqual({
      kind: 'history',
      facts: { convertedThisMonth: false, recordedTimeoutMinutes: 480 },
    });
  });

  it('APPLIED on the same UTC date: the day ran already, the row comes from the ledger', () => {
    // Act
    const step = stepForEntry(ledgerEntry({ status: 'APPLIED' }), 'ALWAYS_ON', sameDay, sameDay);

    // Assert
    expect(step).toEqual({ kind: 'applied-today' });
  });

  it('APPLIED on an earlier day of the month: converted this month, never again', () => {
    // Act
    const step = stepForEntry(ledgerEntry({ status: 'APPLIED' }), 'ALWAYS_ON', nextDay, nextDay);

    // Assert
    expect(step).toEqual({
      kind: 'history',
      facts: { convertedThisMonth: true, recordedTimeoutMinutes: undefined },
    });
  });

  it('FAILED: not a conversion, tried again if the rules still say so', () => {
    // Act
    const step = stepForEntry(ledgerEntry({ status: 'FAILED' }), 'AUTO_STOP', sameDay, sameDay);

    // Assert
    expect(step).toEqual({
      kind: 'history',
      facts: { convertedThisMonth: false, recordedTimeoutMinutes: undefined },
    });
  });

  it('INTENDED within the lease: another run is on it', () => {
    // Act
    const step = stepForEntry(ledgerEntry(), 'AUTO_STOP', sameDay, new Date(late.getTime() - 1));

    // Assert
    expect(step).toEqual({ kind: 'in-progress' });
  });

  it('INTENDED after the lease with the target mode observed: the modify landed, settle APPLIED', () => {
    // Act
    const step = stepForEntry(ledgerEntry(), 'ALWAYS_ON', sameDay, late);

    // Assert
    expect(step).toEqual({ kind: 'settle', status: 'APPLIED' });
  });

  it('INTENDED after the lease with the old mode observed: settle FAILED, to be tried again', () => {
    // Act
    const step = stepForEntry(ledgerEntry(), 'AUTO_STOP', sameDay, late);

    // Assert
    expect(step).toMatchObject({ kind: 'settle', status: 'FAILED' });
    expect(step.kind === 'settle' && step.error).toContain('still AUTO_STOP');
  });
});

describe('Function: latestTimeouts', () => {
  it('keeps the most recent month per WorkSpace', () => {
    // Act
    const timeouts = latestTimeouts([
      { workspaceId: 'ws-1', month: '2026-09', minutes: 480 },
      { workspaceId: 'ws-1', month: '2026-11', minutes: 120 },
      { workspaceId: 'ws-1', month: '2026-10', minutes: 240 },
      { workspaceId: 'ws-2', month: '2025-12', minutes: 180 },
    ]);

    // Assert
    expect([...timeouts]).toEqual([
      ['ws-1', 120],
      ['ws-2', 180],
    ]);
  });
});
