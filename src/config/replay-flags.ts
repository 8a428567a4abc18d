import { z } from 'zod';
import { monthStartUtc, nextMonthStartUtc, previousMonthStartUtc } from '../billing/index.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import type { EvaluationFlags, RawFleetFlags } from './fleet-flags.js';
import {
  awsRegions,
  evaluationFlags,
  fleetFlagsShape,
  fleetFlagValues,
  givenAccountFlags,
  refuseAwsOnlyWithDemo,
} from './fleet-flags.js';
import { nonNegativeIntegerSetting, parseSettings, UsageError } from './settings.js';

const DAY_MS = 86_400_000;
/** CloudWatch keeps hourly datapoints 455 days: a real fleet's replay cannot start earlier. */
export const HOURLY_RETENTION_DAYS = 455;
/** The longest replay: as many months as the hourly retention holds. */
export const MAX_REPLAY_MONTHS = 15;
/** The simulated fleet holds one WorkSpace per edge case: it cannot be smaller. */
const MIN_DEMO_COUNT = 24;
const MAX_DEMO_COUNT = 100_000;

/** `YYYY-MM` -> 00:00 UTC on its 1st. */
export const monthSetting = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM, like 2026-11')
  .transform((month) => new Date(`${month}-01T00:00:00Z`));

const replayFlagsSchema = z.object({
  ...fleetFlagsShape,
  '--from': monthSetting.optional(),
  '--to': monthSetting.optional(),
  '--hour': nonNegativeIntegerSetting
    .refine((hour) => hour <= 23, 'must be an hour of the day, 0 to 23')
    .optional(),
  '--policy': z.enum(['forecast'], { error: 'the only optional policy is forecast' }).optional(),
  '--count': nonNegativeIntegerSetting
    .refine(
      (count) => count >= MIN_DEMO_COUNT && count <= MAX_DEMO_COUNT,
      `must be ${MIN_DEMO_COUNT} to ${MAX_DEMO_COUNT} WorkSpaces (the edge cases need ${MIN_DEMO_COUNT})`,
    )
    .optional(),
});

/** `wco replay`'s options as commander hands them over. */
export interface RawReplayFlags extends RawFleetFlags {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly hour?: string | undefined;
  readonly hourly?: boolean | undefined;
  readonly policy?: string | undefined;
  readonly count?: string | undefined;
}

export type ReplayFlagsTarget =
  | { readonly kind: 'demo'; readonly seed: number; readonly count: number; readonly outDir: string }
  | {
      readonly kind: 'aws';
      readonly regions: readonly string[];
      readonly bucket: string | undefined;
      readonly outDir: string;
    };

export interface ReplayFlags extends EvaluationFlags {
  readonly target: ReplayFlagsTarget;
  /** 00:00 UTC on the 1st of the first and of the last month. */
  readonly from: Date;
  readonly to: Date;
  readonly schedule: { readonly kind: 'daily'; readonly hourUtc: number } | { readonly kind: 'hourly' };
  readonly forecast: boolean;
}

/**
 * Validates `wco replay`'s flags. The period defaults to the three complete
 * months before `now`'s; a real fleet's must be complete months within
 * CloudWatch's hourly retention (455 days).
 * @throws ConfigError naming every bad flag, or UsageError for flags that do not go together.
 */
export function loadReplayFlags(
  raw: RawReplayFlags,
  env: Readonly<Record<string, string | undefined>>,
  now: Date,
): ReplayFlags {
  const flags = parseSettings(replayFlagsSchema, {
    ...fleetFlagValues(raw, env),
    '--from': raw.from,
    '--to': raw.to,
    '--hour': raw.hour,
    '--policy': raw.policy,
    '--count': raw.count,
  });
  const target = targetOf(raw, flags, env);
  if (raw.hourly && flags['--hour'] !== undefined)
    throw new UsageError('give either --hour or --hourly, not both');
  const to = flags['--to'] ?? previousMonthStartUtc(now);
  const from = flags['--from'] ?? (flags['--to'] === undefined ? monthsBefore(to, 2) : to);
  if (from > to) throw new UsageError('--from must not be after --to');
  if (monthsBetween(from, to) > MAX_REPLAY_MONTHS)
    throw new UsageError(`--from and --to may span at most ${MAX_REPLAY_MONTHS} months`);
  if (target.kind === 'aws') {
    if (nextMonthStartUtc(to) > monthStartUtc(now))
      throw new UsageError('--to: a real fleet is replayed over complete months, before the current one');
    if (from.getTime() < now.getTime() - HOURLY_RETENTION_DAYS * DAY_MS)
      throw new UsageError(
        `--from: CloudWatch keeps hourly usage ${HOURLY_RETENTION_DAYS} days; start at ${monthOfText(nextMonthStartUtc(new Date(now.getTime() - HOURLY_RETENTION_DAYS * DAY_MS)))} or later`,
      );
  }
  return Object.freeze({
    ...evaluationFlags(raw, flags, target.kind === 'demo'),
    target,
    from,
    to,
    schedule: raw.hourly
      ? { kind: 'hourly' as const }
      : { kind: 'daily' as const, hourUtc: flags['--hour'] ?? CONFIG_DEFAULTS.replayHourUtc },
    forecast: flags['--policy'] === 'forecast',
  });
}

function targetOf(
  raw: RawReplayFlags,
  flags: z.output<typeof replayFlagsSchema>,
  env: Readonly<Record<string, string | undefined>>,
): ReplayFlagsTarget {
  const outDir = raw.out ?? CONFIG_DEFAULTS.outDir;
  if (raw.demo) {
    refuseAwsOnlyWithDemo(raw, 'replays');
    return {
      kind: 'demo',
      seed: flags['--seed'] ?? CONFIG_DEFAULTS.seed,
      count: flags['--count'] ?? CONFIG_DEFAULTS.demoCount,
      outDir,
    };
  }
  if (flags['--seed'] !== undefined || flags['--count'] !== undefined)
    throw new UsageError('--seed and --count only apply to --demo');
  const accountFlags = givenAccountFlags(raw);
  if (accountFlags.length > 0)
    throw new UsageError(
      `wco replay reads one account, the one of its credentials: ${accountFlags.join(', ')} ${accountFlags.length > 1 ? 'are' : 'is'} for wco run only; replay each member account with its own credentials (AWS_PROFILE)`,
    );
  return { kind: 'aws', regions: awsRegions(flags['--regions'], env), bucket: flags['--bucket'], outDir };
}

function monthsBefore(month: Date, count: number): Date {
  let result = month;
  for (let index = 0; index < count; index += 1) result = previousMonthStartUtc(result);
  return result;
}

function monthsBetween(from: Date, to: Date): number {
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth() + 1;
}

function monthOfText(month: Date): string {
  return month.toISOString().slice(0, 7);
}
