import { z } from 'zod';
import type { RemovalAction } from '../billing/index.js';
import { KNOWN_COMPUTE_TYPES, UNUSED_MONTHS_MAX, UNUSED_MONTHS_MIN } from '../billing/index.js';
import { ErrorDisposition, WcoError } from '../shared/errors.js';

/**
 * Validation of every user-facing setting, shared by the CLI flags and the
 * Lambda environment so both accept and reject exactly the same values.
 * Each schema takes the raw text and yields the typed value.
 */

const COMPUTE_TYPE = /^[A-Za-z0-9_]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The hours of the longest month: a threshold above it can never be crossed, so it converts nothing. */
export const MAX_THRESHOLD_HOURS = 744;

const HOURS_RULE = `a number of hours from 0 to ${MAX_THRESHOLD_HOURS} (the hours of a 31-day month)`;

/** Threshold hours, `0..MAX_THRESHOLD_HOURS`. */
export const hoursSetting = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, `must be ${HOURS_RULE}, like 82`)
  .transform(Number)
  .refine((hours) => hours <= MAX_THRESHOLD_HOURS, `must be ${HOURS_RULE}, like 82`);

const TIMEOUT_RULE =
  'must be a multiple of 60 minutes, at least 60 (WorkSpaces counts the idle timeout in hours), like 60';

/** Idle timeout in minutes: a whole number of hours, as WorkSpaces requires. */
export const timeoutMinutesSetting = z
  .string()
  .trim()
  .regex(/^\d+$/, TIMEOUT_RULE)
  .transform(Number)
  .refine((minutes) => minutes >= 60 && minutes % 60 === 0, TIMEOUT_RULE);

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
        message: `"${entry}" must be COMPUTE_TYPE=HOURS with HOURS ${HOURS_RULE}, like STANDARD=85`,
      });
      return z.NEVER;
    }
    return [match[1]!.toUpperCase(), hours.data];
  });

/**
 * Overrides, each entry one `TYPE=HOURS` or a comma list of them (`--threshold
 * STANDARD=85,POWER=90`, repeatable); a repeated compute type: the last one wins.
 */
export const thresholdOverridesSetting = z
  .array(z.string())
  .transform((entries) => entries.flatMap((entry) => entry.split(',')).filter((entry) => entry.trim() !== ''))
  .pipe(z.array(thresholdOverrideSetting))
  .transform((entries) => Object.freeze(Object.fromEntries(entries)) as Readonly<Record<string, number>>);

/** Comma-separated overrides, the environment's form: `STANDARD=85,POWER=90`. */
export const thresholdOverridesListSetting = z
  .string()
  .transform((text) => [text])
  .pipe(thresholdOverridesSetting);

/**
 * The compute types among `overrides` that WorkSpaces does not have (a typo,
 * or a type newer than wco): such an override is kept but matches no WorkSpace.
 */
export function unknownComputeTypes(overrides: Readonly<Record<string, number>>): string[] {
  return Object.keys(overrides).filter((type) => !KNOWN_COMPUTE_TYPES.includes(type));
}

/** A comma-separated list: entries trimmed, empty ones dropped (`a, b,,c` -> `[a, b, c]`). */
export const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== ''),
);

/** Comma-separated AWS region names. */
export const regionsSetting = commaList.pipe(
  z
    .array(z.string().regex(REGION, 'must be AWS region names like us-east-1'))
    .min(1, 'must name at least one region')
    .transform((regions) => [...new Set(regions)]),
);

const INSTANT_RULE =
  'must be an ISO 8601 time with a zone, like 2026-11-30T23:00Z or 2026-11-30T23:00:00+01:00, or a date like 2026-11-30 (= 00:00 UTC)';

// Calendar date and time of day, extended (2026-11-30T23:00:00.5+01:00) or basic (20261130T230000Z)
// format, hour, minute or second precision with a decimal fraction of the last unit (. or ,), and
// RFC 3339's space for the T. Week and ordinal dates are not taken.
const EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2})(?::(\d{2})(?::(\d{2}))?)?(?:[.,](\d+))?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;
const BASIC =
  /^(\d{4})(\d{2})(\d{2})[Tt](\d{2})(?:(\d{2})(\d{2})?)?(?:[.,](\d+))?([Zz]|[+-]\d{2}(?:\d{2})?)$/;
const BARE_DATE = /^(\d{4})-?(\d{2})-?(\d{2})$/;

/**
 * An ISO 8601 instant with its zone, or a bare calendar date taken as 00:00
 * UTC; `undefined` when `text` is neither or names no real time (2026-02-30,
 * 25:00). A local time without zone is ambiguous and refused.
 * @example parseInstant('2026-11-30T23:00Z') // 2026-11-30T23:00:00.000Z
 */
export function parseInstant(text: string): Date | undefined {
  const date = BARE_DATE.exec(text);
  const time = date ? undefined : (EXTENDED.exec(text) ?? BASIC.exec(text));
  const parts = date ?? time;
  if (!parts) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts
    .slice(1, 7)
    .map((part) => Number(part ?? 0));
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
    return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // A fraction belongs to the last unit given: the second, else the minute, else the hour.
  const unitMs = time?.[6] !== undefined ? 1_000 : time?.[5] !== undefined ? 60_000 : 3_600_000;
  const fractionMs = time?.[7] === undefined ? 0 : Math.floor(Number(`0.${time[7]}`) * unitMs);
  const zone = time?.[8] ?? 'Z';
  let offsetMinutes = 0;
  if (!/^[Zz]$/.test(zone)) {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) + fractionMs - offsetMinutes * 60_000);
}

/** `parseInstant` as a setting. */
export const instantSetting = z
  .string()
  .trim()
  .transform((text, context) => {
    const instant = parseInstant(text);
    if (instant === undefined) {
      context.addIssue({ code: 'custom', message: INSTANT_RULE });
      return z.NEVER;
    }
    return instant;
  });

// AWS tag keys: 1 to 128 Unicode letters, digits, spaces and _ . : / = + - @ (no comma).
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/**
 * Comma-separated tag keys that get a column each in the daily report
 * (`CostCenter,Department`): exact, case-sensitive keys as AWS stores them,
 * spaces around each trimmed, repeats dropped.
 */
export const tagColumnsSetting = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== ''),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .regex(
            TAG_KEY,
            'must be tag keys (letters, digits, spaces and _ . : / = + - @), like CostCenter,Department',
          ),
      )
      .transform((keys) => Object.freeze([...new Set(keys)]) as readonly string[]),
  );

/** `true`/`false` (also `1`/`0`, `yes`/`no`), case-insensitive. */
export const booleanSetting = z
  .string()
  .trim()
  .toLowerCase()
  .refine((text) => ['true', 'false', '1', '0', 'yes', 'no'].includes(text), 'must be true or false')
  .transform((text) => ['true', '1', 'yes'].includes(text));

/** A whole number `>= min`; the message names the rule, e.g. "must be a whole number, 0 or more, like 42". */
const wholeNumberSetting = (min: number, example: number) => {
  const rule = `must be a whole number, ${min} or more, like ${example}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, rule)
    .transform(Number)
    .refine(Number.isSafeInteger, 'is too large')
    .refine((n) => n >= min, rule);
};

export const nonNegativeIntegerSetting = wholeNumberSetting(0, 42);

export const positiveIntegerSetting = wholeNumberSetting(1, 4);

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

/** Comma-separated AWS account ids (12 digits each), without repeats. */
export const accountsSetting = commaList.pipe(
  z
    .array(z.string().regex(/^\d{12}$/, 'must be AWS account ids (12 digits) like 111111111111'))
    .min(1, 'must name at least one account')
    .transform((accounts) => [...new Set(accounts)]),
);

/** An IAM role name (no path): what `CreateRole` accepts. */
export const roleNameSetting = z
  .string()
  .trim()
  .regex(
    /^[\w+=,.@-]{1,64}$/,
    'must be an IAM role name (letters, digits, +=,.@_-, at most 64) like wco-member',
  );

/** STS `ExternalId`: 2 to 1224 characters of `[\w+=,.@:/-]`. */
export const externalIdSetting = z
  .string()
  .trim()
  .regex(
    /^[\w+=,.@:/-]{2,1224}$/,
    'must be 2 to 1224 letters, digits or +=,.@:/_- (the external id of the member role)',
  );

/** An organization root (`r-…`) or organizational unit (`ou-…`) id. */
export const organizationParentSetting = z
  .string()
  .trim()
  .regex(
    /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$/,
    'must be an organizational unit id like ou-ab12-cdef3456 or a root id like r-ab12',
  );

const UNUSED_MONTHS_RULE = `must be a whole number of months from ${UNUSED_MONTHS_MIN} to ${UNUSED_MONTHS_MAX} (CloudWatch keeps 455 days of usage), like 2`;

/** Months without a user connection before a WorkSpace counts as unused. */
export const unusedMonthsSetting = z
  .string()
  .trim()
  .regex(/^\d+$/, UNUSED_MONTHS_RULE)
  .transform(Number)
  .refine((months) => months >= UNUSED_MONTHS_MIN && months <= UNUSED_MONTHS_MAX, UNUSED_MONTHS_RULE);

const REMOVAL_ACTIONS: Readonly<Record<string, RemovalAction>> = {
  terminate: 'TERMINATE',
  stop: 'STOP',
  autostop: 'TO_AUTO_STOP',
};

/** What removal of an unused WorkSpace does: `terminate`, `stop` or `autostop` (any case). */
export const removalActionSetting = z
  .string()
  .trim()
  .toLowerCase()
  .refine((text) => text in REMOVAL_ACTIONS, 'must be terminate, stop or autostop')
  .transform((text) => REMOVAL_ACTIONS[text]!);
