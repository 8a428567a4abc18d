import { readFileSync } from 'node:fs';
import type { AuditMessage } from '../../../src/audit/normalize-audit-message.js';

export const RECEIVED_AT = new Date('2026-11-06T08:00:00Z');

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixtureEvent(name: string): Record<string, unknown> {
  return JSON.parse(fixture(name)) as Record<string, unknown>;
}

export function message(messageId: string, body: string | object, receivedAt = RECEIVED_AT): AuditMessage {
  return { messageId, body: typeof body === 'string' ? body : JSON.stringify(body), receivedAt };
}
