import { describe, expect, it } from 'vitest';
import { REFRESH_BEFORE_EXPIRY_MS, shareCredentials } from '../../../src/aws/member-accounts.js';

const HOUR = 3_600_000;

describe('Function: shareCredentials', () => {
  it('assumes the role once for every caller, and again shortly before the session expires', async () => {
    // Arrange: sessions of one hour from the fake clock's time
    let clock = 0;
    let assumed = 0;
    const provider = async () => {
      assumed += 1;
      return { accessKeyId: `ASIA${assumed}`, secretAccessKey: 's', expiration: new Date(clock + HOUR) };
    };
    const shared = shareCredentials(provider, () => clock);

    // Act / Assert: concurrent and later callers share the session
    const [a, b] = await Promise.all([shared(), shared()]);
    expect([a.accessKeyId, b.accessKeyId, assumed]).toEqual(['ASIA1', 'ASIA1', 1]);
    clock = HOUR - REFRESH_BEFORE_EXPIRY_MS - 1;
    expect((await shared()).accessKeyId).toBe('ASIA1');
    // Within the refresh margin: a new session, before the old one has expired
    clock = HOUR - REFRESH_BEFORE_EXPIRY_MS;
    expect((await shared()).accessKeyId).toBe('ASIA2');
    expect((await shared()).accessKeyId).toBe('ASIA2');
  });

  it('does not keep a failure: the next caller tries again', async () => {
    // Arrange
    let calls = 0;
    const shared = shareCredentials(async () => {
      calls += 1;
      if (calls === 1) throw new Error('AccessDenied');
      return { accessKeyId: 'ASIA', secretAccessKey: 's' };
    });

    // Act / Assert
    await expect(shared()).rejects.toThrow('AccessDenied');
    expect((await shared()).accessKeyId).toBe('ASIA');
    expect(calls).toBe(2);
  });
});
