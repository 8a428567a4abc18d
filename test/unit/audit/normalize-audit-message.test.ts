import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventAuditRecord } from '../../../src/audit/audit-record.js';
import { optimizerEventBridgeEvent } from '../../../src/audit/event-bridge-event.js';
import {
  MAX_EVENT_BODY_BYTES,
  normalizeAuditMessage,
  REJECTED_BODY_PREVIEW_BYTES,
} from '../../../src/audit/normalize-audit-message.js';
import { fixture, fixtureEvent, message, RECEIVED_AT } from '../../helpers/audit/audit-messages.js';
import { MODE_CHANGED, RUN_COMPLETED } from '../../helpers/audit/optimizer-events.js';

const PUBLISHER = { account: '111122223333', region: 'eu-west-1', time: new Date('2026-11-30T23:00:07Z') };

describe('Function: normalizeAuditMessage', () => {
  it('turns a documented WorkSpaces Access event with a domain/ directory into a login record', () => {
    // Arrange
    const body = fixture('workspaces-access-domain-directory.json');

    // Act
    const record = normalizeAuditMessage(message('m-1', body));

    // Assert
    expect(record).toEqual({
      eventId: '64ca0eda-9751-dc55-c41a-1bd50b4fc9b7',
      time: '2026-11-05T16:13:59.000Z',
      kind: 'login',
      account: '123456789012',
      region: 'us-east-1',
      source: 'aws.workspaces',
      detailType: 'WorkSpaces Access',
      workspaceId: 'ws-xyskdga',
      directoryId: 'd-123456789',
      directoryIdRaw: 'domain/d-123456789',
      loginTime: '2026-11-05T16:13:37.603Z',
      clientIpAddress: '192.0.2.3',
      clientPlatform: 'Windows',
      workspacesClientProductName: 'WorkSpacesWebClient',
      clientVersion: '5.7.0.3472',
      actionType: 'successfulLogin',
    });
  });

  it('accepts the plain d- directory form, an empty client address and no clientVersion', () => {
    // Arrange
    const body = fixture('workspaces-access-plain-directory.json');

    // Act
    const record = normalizeAuditMessage(message('m-2', body));

    // Assert
    expect(record).toMatchObject({
      kind: 'login',
      directoryId: 'd-123456789',
      directoryIdRaw: 'd-123456789',
      clientIpAddress: '',
      clientVersion: null,
      workspaceId: 'ws-abc12345',
    });
  });

  it.each(['wsd-abcdefgh12', 'wsd-0123456789abcdefghijklmnopqrstuvwxyz'])(
    'accepts a directory WorkSpaces manages itself (%s, the API allows wsd-[0-9a-z]{8,63}) as a login',
    (directoryId) => {
      // Arrange
      const event = fixtureEvent('workspaces-access-plain-directory.json');
      const body = { ...event, detail: { ...(event.detail as object), directoryId } };

      // Act
      const record = normalizeAuditMessage(message('m-wsd', body));

      // Assert
      expect(record).toMatchObject({ kind: 'login', directoryId, directoryIdRaw: directoryId });
    },
  );

  it.each(['x-123456789', 'wsd-', 'd-12345/extra', 'wsd-abc def12'])(
    'still rejects a directory id that is neither d-… nor wsd-… (%s)',
    (directoryId) => {
      const event = fixtureEvent('workspaces-access-plain-directory.json');
      const body = { ...event, detail: { ...(event.detail as object), directoryId } };
      expect(normalizeAuditMessage(message('m-bad', body))).toMatchObject({ kind: 'rejected' });
    },
  );

  it("turns the optimizer's mode-changed event into a conversion record", () => {
    // Arrange
    const event = optimizerEventBridgeEvent(MODE_CHANGED, PUBLISHER);

    // Act
    const record = normalizeAuditMessage(message('m-3', event));

    // Assert
    expect(record).toEqual({
      eventId: event.id,
      time: '2026-11-30T23:00:07.000Z',
      kind: 'conversion',
      account: '111122223333',
      region: 'eu-west-1',
      source: 'wco.optimizer',
      detailType: 'WorkSpace Running Mode Changed',
      workspaceId: 'ws-abc12345',
      directoryId: 'd-9067abcdef',
      fromMode: 'ALWAYS_ON',
      toMode: 'AUTO_STOP',
      billableHours: 12,
      thresholdHours: 85,
      reason: 'UNDER_THRESHOLD_AT_MONTH_END',
      asOf: '2026-11-30T23:00:00.000Z',
    });
  });

  it("turns the optimizer's run-completed event into a run record", () => {
    // Arrange
    const event = optimizerEventBridgeEvent(RUN_COMPLETED, PUBLISHER);

    // Act
    const record = normalizeAuditMessage(message('m-4', event));

    // Assert
    expect(record).toEqual({
      eventId: event.id,
      time: '2026-11-30T23:00:07.000Z',
      kind: 'run',
      region: 'eu-west-1',
      source: 'wco.optimizer',
      detailType: 'Optimizer Run Completed',
      workspaceId: null,
      directoryId: null,
      ...RUN_COMPLETED.detail,
    });
  });

  const login = fixtureEvent('workspaces-access-domain-directory.json');
  const loginDetail = login.detail as Record<string, unknown>;
  const oversized = JSON.stringify({ ...login, padding: 'x'.repeat(MAX_EVENT_BODY_BYTES) });

  it.each([
    { name: 'a non-JSON body', body: 'not json {', reason: /^body is not JSON/ },
    {
      name: 'an event without detail',
      body: JSON.stringify({ ...login, detail: undefined }),
      reason: /^detail: is missing/,
    },
    {
      name: 'a detail field of the wrong type',
      body: JSON.stringify({ ...login, detail: { ...loginDetail, loginTime: 1_700_000_000 } }),
      reason: /^detail\.loginTime: /,
    },
    {
      name: 'a missing workspaceId',
      body: JSON.stringify({ ...login, detail: { ...loginDetail, workspaceId: undefined } }),
      reason: /^detail\.workspaceId: /,
    },
    {
      name: 'a directory id that is neither d-, wsd- nor domain/d-',
      body: JSON.stringify({ ...login, detail: { ...loginDetail, directoryId: 'corp' } }),
      reason: /^detail\.directoryId: must be d-…, wsd-… or domain\/d-…/,
    },
    {
      name: 'an unknown detail-type',
      body: JSON.stringify({ ...login, 'detail-type': 'WorkSpaces Logout' }),
      reason: /^unknown event: source "aws.workspaces", detail-type "WorkSpaces Logout"/,
    },
    { name: 'a JSON array', body: '[1,2]', reason: /^event: / },
    { name: 'a bad envelope time', body: JSON.stringify({ ...login, time: 'yesterday' }), reason: /^time: / },
    {
      name: 'an oversized body',
      body: oversized,
      reason: /^body is \d+ bytes, over the 262144-byte event limit/,
    },
  ])('rejects $name with the reason and the raw body', ({ body, reason }) => {
    // Act
    const record = normalizeAuditMessage(message('m-bad', body));

    // Assert
    expect(record.kind).toBe('rejected');
    if (record.kind !== 'rejected') return;
    expect(record.reason).toMatch(reason);
    expect(record.messageId).toBe('m-bad');
    expect(record.time).toBe(RECEIVED_AT.toISOString());
    expect(record.bodyBytes).toBe(Buffer.byteLength(body));
    if (body === oversized) {
      expect(record.bodyTruncated).toBe(true);
      expect(record.body).toBe(body.slice(0, REJECTED_BODY_PREVIEW_BYTES));
    } else {
      expect(record.bodyTruncated).toBe(false);
      expect(record.body).toBe(body);
    }
  });

  it("rejects a mode-changed event whose detail breaks the optimizer's own schema", () => {
    // Arrange
    const event = optimizerEventBridgeEvent(MODE_CHANGED, PUBLISHER);
    const body = JSON.stringify({
      ...event,
      detail: { ...(event.detail as object), toMode: 'MANUAL', billableHours: -1 },
    });

    // Act
    const record = normalizeAuditMessage(message('m-5', body));

    // Assert
    expect(record).toMatchObject({ kind: 'rejected' });
    expect(record.kind === 'rejected' && record.reason).toMatch(
      /detail\.toMode: .*; detail\.billableHours: /,
    );
  });
});

describe('Property: normalizeAuditMessage', () => {
  const login = fixtureEvent('workspaces-access-domain-directory.json');
  const detail = login.detail as Record<string, unknown>;
  const anyValue = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.constant(undefined),
  );
  const bodies = fc.oneof(
    fc.string(),
    fc.json(),
    // A real event with one envelope or detail field replaced by anything.
    fc
      .tuple(fc.constantFrom(...Object.keys(login)), anyValue)
      .map(([key, value]) => JSON.stringify({ ...login, [key]: value })),
    fc
      .tuple(fc.constantFrom(...Object.keys(detail)), anyValue)
      .map(([key, value]) => JSON.stringify({ ...login, detail: { ...detail, [key]: value } })),
  );

  it('never throws, and yields a valid record or a rejected one that keeps the body', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        const record = normalizeAuditMessage(message('m', body));
        if (record.kind === 'rejected') {
          expect(record.body).toBe(body);
          expect(record.reason).not.toBe('');
        } else expect(EventAuditRecord.safeParse(record).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
