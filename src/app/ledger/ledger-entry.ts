import { z } from 'zod';
import { WcoError } from '../../shared/errors.js';
import type { ConvertibleMode } from '../../billing/index.js';
import { Action, ProjectionBasis, RunningMode } from '../../billing/index.js';

/**
 * One conversion wco decided to apply, as the ledger keeps it: written as
 * `INTENDED` before `ModifyWorkspaceProperties` is called, then settled
 * `APPLIED` or `FAILED`. One document per WorkSpace and month: wco changes a
 * WorkSpace's mode at most once a month, so a retried conversion (after
 * `FAILED`) rewrites the same document and keeps its id.
 */
export const LedgerStatus = {
  INTENDED: 'INTENDED',
  APPLIED: 'APPLIED',
  FAILED: 'FAILED',
} as const;
export type LedgerStatus = (typeof LedgerStatus)[keyof typeof LedgerStatus];

const convertibleMode = z.enum([RunningMode.AUTO_STOP, RunningMode.ALWAYS_ON]);
const amount = z.string().regex(/^-?\d+(\.\d+)?$/);

const ledgerCostSchema = z.object({
  currency: z.string().min(1),
  source: z.string(),
  alwaysOnMonthly: amount,
  autoStopMonthlyFee: amount,
  autoStopHourly: amount,
  costToDate: amount.optional(),
  projectedCurrentMode: amount.optional(),
  projectedOtherMode: amount.optional(),
  estimatedMonthlySavings: amount.optional(),
  /** Kept apart since the two were split (docs/finance.md); an entry from before has only the estimate. */
  savingsThisMonth: amount.optional(),
  savingsPerMonthFromNextMonth: amount.optional(),
  projectedHours: z.number().int().nonnegative().optional(),
  projectedHoursNextMonth: z.number().int().nonnegative().optional(),
  projectionBasis: z
    .enum(Object.values(ProjectionBasis) as [ProjectionBasis, ...ProjectionBasis[]])
    .optional(),
});
export type LedgerCost = z.infer<typeof ledgerCostSchema>;

export const ledgerEntrySchema = z.object({
  schema: z.literal(1),
  /** Stable record id: `YYYY-MM/account/region/workspaceId`; events carry it. */
  id: z.string().min(1),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  account: z.string(),
  region: z.string(),
  directoryId: z.string(),
  workspaceId: z.string().min(1),
  userName: z.string(),
  computerName: z.string(),
  computeType: z.string(),
  fromMode: convertibleMode,
  toMode: convertibleMode,
  action: z.enum([Action.TO_ALWAYS_ON, Action.TO_AUTO_STOP]),
  reason: z.string(),
  billableHours: z.number().int().nonnegative(),
  thresholdHours: z.number().nonnegative(),
  thresholdSource: z.string(),
  /** The idle timeout `H` was computed with; for a switch to AlwaysOn, the one it is remembered by. */
  idleTimeoutMinutes: z.number().int().nonnegative(),
  /** `T` of the run that decided it (ISO 8601). */
  asOf: z.iso.datetime(),
  runId: z.string().min(1),
  status: z.enum([LedgerStatus.INTENDED, LedgerStatus.APPLIED, LedgerStatus.FAILED]),
  /** How many runs claimed it (a `FAILED` conversion is tried again by the next run). */
  attempts: z.number().int().positive(),
  /** Wall-clock time of the claim: the lease another run respects. */
  claimedAt: z.iso.datetime(),
  settledAt: z.iso.datetime().optional(),
  error: z.string().optional(),
  cost: ledgerCostSchema.optional(),
  event: z.object({ published: z.boolean(), publishedAt: z.iso.datetime().optional() }),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** A ledger entry with the version its store gave it (an S3 ETag): the condition of its next write. */
export interface VersionedEntry {
  readonly entry: LedgerEntry;
  readonly version: string;
}

/** The part of the ledger a run reads: one month of one account and region. */
export interface LedgerScope {
  readonly month: string;
  readonly account: string;
  readonly region: string;
}

const PREFIX = 'ledger/';

/**
 * Ledger object keys, the same under an S3 bucket and a local folder:
 * - `ledger/YYYY-MM/<account>_<region>_<workspace>.json`: the entry;
 * - `ledger/outbox/YYYY-MM/<account>_<region>_<workspace>`: exists while the
 *   entry is unsettled or its event unpublished (the outbox a run drains);
 * - `ledger/timeouts/<account>_<region>/<workspace>/YYYY-MM_<minutes>`: the
 *   AutoStop timeout a WorkSpace had when wco switched it to AlwaysOn, in the
 *   key itself, so one listing tells every remembered timeout of a region.
 */
export const ledgerKeys = {
  prefix: PREFIX,
  monthPrefix: (month: string) => `${PREFIX}${month}/`,
  scopePrefix: (scope: LedgerScope) => `${PREFIX}${scope.month}/${scope.account}_${scope.region}_`,
  entry: (month: string, account: string, region: string, workspaceId: string) =>
    `${PREFIX}${month}/${account}_${region}_${workspaceId}.json`,
  /** The scope's index: its entries as the last run read them, each with its version. */
  index: (scope: LedgerScope) => `${PREFIX}index/${scope.month}/${scope.account}_${scope.region}.json`,
  outboxPrefix: `${PREFIX}outbox/`,
  outbox: (month: string, account: string, region: string, workspaceId: string) =>
    `${PREFIX}outbox/${month}/${account}_${region}_${workspaceId}`,
  /** `ledger/outbox/M/x` -> `ledger/M/x.json`. */
  entryOfOutbox: (outboxKey: string) => `${PREFIX}${outboxKey.slice(`${PREFIX}outbox/`.length)}.json`,
  timeoutsPrefix: (account: string, region: string) => `${PREFIX}timeouts/${account}_${region}/`,
  timeout: (account: string, region: string, workspaceId: string, month: string, minutes: number) =>
    `${PREFIX}timeouts/${account}_${region}/${workspaceId}/${month}_${minutes}`,
};

/** The record id events carry: readable, and the same for every attempt at the month's conversion. */
export function recordIdOf(month: string, account: string, region: string, workspaceId: string): string {
  return `${month}/${account}/${region}/${workspaceId}`;
}

export function entryKeyOf(entry: Pick<LedgerEntry, 'month' | 'account' | 'region' | 'workspaceId'>): string {
  return ledgerKeys.entry(entry.month, entry.account, entry.region, entry.workspaceId);
}

export function outboxKeyOf(
  entry: Pick<LedgerEntry, 'month' | 'account' | 'region' | 'workspaceId'>,
): string {
  return ledgerKeys.outbox(entry.month, entry.account, entry.region, entry.workspaceId);
}

/** The mode a conversion action switches from. */
export function fromModeOf(toMode: ConvertibleMode): ConvertibleMode {
  return toMode === RunningMode.ALWAYS_ON ? RunningMode.AUTO_STOP : RunningMode.ALWAYS_ON;
}

/** A stored ledger entry that is not one: its WorkSpace is never converted blindly. */
export class LedgerEntryError extends WcoError {
  override readonly name = 'LedgerEntryError';
}

/** Parses a stored entry; throws `LedgerEntryError` naming what is wrong. */
export function parseLedgerEntry(body: string): LedgerEntry {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new LedgerEntryError(`not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = ledgerEntrySchema.safeParse(json);
  if (!parsed.success)
    throw new LedgerEntryError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`).join('; '),
    );
  return parsed.data;
}

const ledgerIndexSchema = z.object({
  schema: z.literal(1),
  entries: z.record(z.string(), z.object({ version: z.string().min(1), entry: ledgerEntrySchema })),
});

/** A scope's index, by entry key; throws `LedgerEntryError` when it is not one. */
export function parseLedgerIndex(body: string): Record<string, VersionedEntry> {
  const parsed = ledgerIndexSchema.safeParse(JSON.parse(body));
  if (!parsed.success) throw new LedgerEntryError('not a ledger index');
  return parsed.data.entries;
}

export function serializeLedgerIndex(entries: Readonly<Record<string, VersionedEntry>>): string {
  const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ schema: 1, entries: sorted })}\n`;
}

/** Stable bytes: the same entry always serializes the same way. */
export function serializeLedgerEntry(entry: LedgerEntry): string {
  return `${JSON.stringify(ledgerEntrySchema.parse(entry), null, 2)}\n`;
}
