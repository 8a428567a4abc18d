import { z } from 'zod';
import { ErrorDisposition, WcoError } from '../shared/errors.js';

/**
 * Validation of every user-facing setting, shared by the CLI flags and the
 * Lambda environment so both accept and reject exactly the same values.
 * Each schema takes the raw text and yields the typed value.
 */

const COMPUTE_TYPE = /^[A-Za-z0-9_]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const nonNegativeNumber = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, 'must be a non-negative number of hours, like 82')
  .transform(Number);

/** Hours, `>= 0`. */
export const hoursSetting = nonNegativeNumber;

/** Idle timeout in minutes: a whole number of hours, as WorkSpaces requires. */
export const timeoutMinutesSetting = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a whole number of minutes, like 60')
  .transform(Number)
  .refine((minutes) => minutes >= 60 && minutes % 60 === 0, 'must be a multiple of 60 minutes, at least 60');

/** `TYPE=HOURS`, e.g. `STANDARD=85`. */
export const thresholdOverrideSetting = z
  .string()
  .trim()
  .transform((entry, context): [string, number] => {
    const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(entry);
    const hours = match ? hoursSetting.safeParse(match[2]) : undefined;
    if (!match || !COMPUTE_TYPE.test(match[1]!) || !hours?.success) {
      context.addIssue({
        code: 'custom',
        message: `"${entry}" must be COMPUTE_TYPE=HOURS with HOURS a non-negative number, like STANDARD=85`,
      });
      return z.NEVER;
    }
    return [match[1]!.toUpperCase(), hours.data];
  });

/** A list of overrides; repeated compute types: the last one wins. */
export const thresholdOverridesSetting = z
  .array(thresholdOverrideSetting)
  .transform((entries) => Object.freeze(Object.fromEntries(entries)) as Readonly<Record<string, number>>);

/** Comma-separated overrides, the environment's form: `STANDARD=85,POWER=90`. */
export const thresholdOverridesListSetting = z
  .string()
  .transform((text) => text.split(',').filter((entry) => entry.trim() !== ''))
  .pipe(thresholdOverridesSetting);

/** Comma-separated AWS region names. */
export const regionsSetting = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((region) => region.trim())
      .filter((region) => region !== ''),
  )
  .pipe(
    z
      .array(z.string().regex(REGION, 'must be AWS region names like us-east-1'))
      .min(1, 'must name at least one region')
      .transform((regions) => [...new Set(regions)]),
  );

/**
 * An instant with an explicit zone (`2026-11-30T23:00:00Z`, `...+01:00`), or a
 * bare date taken as 00:00 UTC. A local time without zone is ambiguous and refused.
 */
export const instantSetting = z
  .string()
  .trim()
  .refine(
    (text) =>
      z.iso.datetime({ offset: true }).safeParse(text).success || z.iso.date().safeParse(text).success,
    'must be an ISO 8601 time with a zone, like 2026-11-30T23:00:00Z, or a date like 2026-11-30',
  )
  .transform((text) => new Date(z.iso.date().safeParse(text).success ? `${text}T00:00:00Z` : text))
  .refine((date) => !Number.isNaN(date.getTime()), 'is not a real date');

/** `true`/`false` (also `1`/`0`, `yes`/`no`), case-insensitive. */
export const booleanSetting = z
  .string()
  .trim()
  .toLowerCase()
  .refine((text) => ['true', 'false', '1', '0', 'yes', 'no'].includes(text), 'must be true or false')
  .transform((text) => ['true', '1', 'yes'].includes(text));

export const nonNegativeIntegerSetting = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a whole number, like 42')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is too large');

export const positiveIntegerSetting = nonNegativeIntegerSetting.refine((n) => n > 0, 'must be at least 1');

/** Bad command-line input: one clear message, exit code 2, nothing written. */
export class UsageError extends WcoError {
  override readonly name = 'UsageError';
  override readonly disposition = ErrorDisposition.BAD_INPUT;
}

/** A configuration that failed validation: every bad setting, each named. */
export class ConfigError extends WcoError {
  override readonly name = 'ConfigError';
  override readonly disposition = ErrorDisposition.BAD_INPUT;
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Parses `raw` with a schema whose keys are the settings' user-facing names
 * (`REGIONS`, `--as-of`), so every message names the setting to fix.
 */
export function parseSettings<Schema extends z.ZodType>(schema: Schema, raw: unknown): z.output<Schema> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.length > 0 ? String(issue.path[0]) : 'configuration';
      return `${name}: ${issue.message}`;
    }),
  );
}
