import { z } from 'zod';
import { parseSettings } from './settings.js';

/** The audit Lambda's settings, read from its environment once, at cold start. */
export interface AuditConfig {
  /** The bucket whose `audit/` prefix receives the records. */
  readonly bucket: string;
}

const auditEnvironment = z.object({
  AUDIT_BUCKET: z
    .string({ error: 'is required: the bucket that receives audit/ records' })
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
});

/** @throws ConfigError naming every bad setting. */
export function loadAuditConfig(env: Readonly<Record<string, string | undefined>>): AuditConfig {
  const parsed = parseSettings(auditEnvironment, { AUDIT_BUCKET: env.AUDIT_BUCKET });
  return Object.freeze({ bucket: parsed.AUDIT_BUCKET });
}
