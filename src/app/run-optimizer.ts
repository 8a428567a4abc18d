import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { EvaluationSettings, ThresholdPolicy, UnusedSettings } from '../billing/index.js';
import { isMonthEnd, monthOf } from '../billing/index.js';
import type { LimitFunction } from 'p-limit';
import type { AccountFleet } from '../ports/account-fleet.js';
import type { EventSink } from '../ports/event-sink.js';
import type { FleetProblem, FleetSource, Shard } from '../ports/fleet-source.js';
import type { ModeSwitcher } from '../ports/mode-switcher.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import { silentLog } from '../shared/log.js';
import type { ConversionLedger } from './ledger/conversion-ledger.js';
import type { MergeSettings, RunParts } from './merge-run.js';
import { mergeRun } from './merge-run.js';
import type { RunReports, UnreadScope } from './report-ports.js';
import type { RegionOutcome, ShardOutcome, ShardRunContext } from './run-shard.js';
import { runRegion } from './run-shard.js';
import type { RunSummary } from './run-summary.js';
import { RunTally } from './run-summary.js';
import type { UnusedLedger } from './unused/unused-ledger.js';
import { UnusedReview } from './unused/unused-run.js';
import { reviewShardCandidates } from './unused/review-shard-candidates.js';
import type { UnusedWorkspaces } from '../ports/unused-workspaces.js';
import type { WorkspaceResult } from './workspace-result.js';

/** Shards (directories) of one region read at once, unless the settings say otherwise. */
export const DEFAULT_SHARD_CONCURRENCY = 4;

export interface OptimizerSettings {
  /** `T`: the scheduled event's time or `--as-of`. */
  readonly asOf: Date;
  readonly dryRun: boolean;
  readonly forceMonthEnd: boolean;
  readonly thresholds: ThresholdPolicy;
  readonly assumedTimeoutMinutes: number;
  /** The account the run acts for (the ledger's scope, the run-completed event). */
  readonly account: string;
  /** Regions read at once. */
  readonly regionConcurrency: number;
  /** Tag confirmations and mode changes in flight at once. */
  readonly modifyConcurrency: number;
  /** Shards (directories) of one region read at once; default `DEFAULT_SHARD_CONCURRENCY`. */
  readonly shardConcurrency?: number | undefined;
  /** Identifies the run in the ledger's claims; default a random UUID. */
  readonly runId?: string;
  /** Tag keys that get a column each in the daily report (`--tag-columns`, `TAG_COLUMNS`). */
  readonly tagColumns?: readonly string[] | undefined;
  /**
   * Keep every WorkSpace's result and return it (default true: tests, replays,
   * small fleets). The Lambda and the CLI pass false, so that a run's memory
   * does not grow with the fleet: they need only the summary.
   */
  readonly keepResults?: boolean | undefined;
  /**
   * The unused review (`UNUSED_MONTHS`, `TERMINATE_UNUSED`, docs/unused.md);
   * absent: none. It needs `unusedLedger` and each account's `unused` reader.
   */
  readonly unused?: UnusedSettings | undefined;
}

export interface RunProgress {
  readonly regionsDone: number;
  readonly regionsTotal: number;
  readonly workspacesSeen: number;
}

export interface OptimizerDependencies {
  readonly fleet: FleetSource;
  readonly switcher: ModeSwitcher;
  /** Where the daily reports (and at month end the month's summary) are written. */
  readonly reports: RunReports;
  /** What wco converted, before and after each conversion: the memory between runs. */
  readonly ledger: ConversionLedger;
  readonly events?: EventSink | undefined;
  readonly log?: Log | undefined;
  readonly onProgress?: ((progress: RunProgress) => void) | undefined;
  /** Each WorkSpace's result as it is decided (e.g. `--verbose`), whether or not results are kept. */
  readonly onResult?: ((result: WorkspaceResult) => void) | undefined;
  /** Prices per WorkSpace; without it (or without a price) thresholds are the hour table's. */
  readonly prices?: PriceCatalog | undefined;
  /** The wall clock, for ledger claims (default `new Date()`); `T` is `settings.asOf`. */
  readonly now?: (() => Date) | undefined;
  /**
   * The accounts to optimize, each with its own fleet and switcher (a hub over
   * member accounts, the demo's three). Without it: one account,
   * `settings.account`, read with `fleet` and switched with `switcher`.
   */
  readonly accounts?: readonly AccountFleet[] | undefined;
  /** Last connections and removal for `settings.account` when `accounts` is not given. */
  readonly unused?: UnusedWorkspaces | undefined;
  /** The unused review's memory (first sightings, listings, removals); without it there is no review. */
  readonly unusedLedger?: UnusedLedger | undefined;
}

export interface RunResult {
  readonly summary: RunSummary;
  /** Every WorkSpace's result, in region and directory order; empty when `keepResults` is false. */
  readonly results: readonly WorkspaceResult[];
}

/**
 * The optimizer job in one process: every region (`regionConcurrency` at a
 * time), every directory of it as a shard (`shardConcurrency` at a time), each
 * read a batch at a time, decided with the billing core and applied (unless dry
 * run) through the conversion ledger, its rows written to the directory's
 * report as it finishes; then `mergeRun`: the ledger's unpublished conversion
 * events, the day's aggregate, the month's summary at month end, the run event.
 * A rerun of the day leaves the fleet, the reports and the audit trail as if
 * the day ran once. One WorkSpace, directory or region failing never stops the
 * rest; failed writes are in `summary.writeFailures`. The sharded deployment
 * runs the same steps as `planRun`, `runShardTask` and `mergeShards`.
 */
export async function runOptimizer(
  deps: OptimizerDependencies,
  settings: OptimizerSettings,
): Promise<RunResult> {
  const keep = settings.keepResults !== false;
  const byScope = new Map<string, WorkspaceResult[]>();
  let workspacesSeen = 0;
  let regionsDone = 0;
  const unused = unusedReview(deps, settings);
  const context = shardRunContext(deps, settings, (result) => {
    workspacesSeen += 1;
    unused?.add(result);
    deps.onResult?.(result);
    if (keep) {
      const key = scopeKey(result.workspace.account, result.workspace.region);
      const list = byScope.get(key) ?? [];
      list.push(result);
      byScope.set(key, list);
    }
  });
  // Accounts x regions, `regionConcurrency` at a time; reaching the accounts (AssumeRole) too.
  const regionLimit = pLimit(settings.regionConcurrency);
  const reached = await reachAccounts(accountsOf(deps, settings), regionLimit, context.log);
  const pairs = reached.accounts.flatMap((one) => one.fleet.regions.map((region) => ({ one, region })));
  const regions = await Promise.all(
    pairs.map(({ one, region }) =>
      regionLimit(async () => {
        try {
          const outcome = await runRegion(region, inAccount(context, one));
          // A region that could not be opened has no candidates: its stored unused rows are kept.
          if (unused !== undefined && one.unused !== undefined && outcome.unread.length === 0)
            await unused.reviewRegion(
              one.account,
              region,
              one.unused,
              outcome.shards.flatMap((shard) =>
                shard.problems.flatMap((problem) => problem.directoryId ?? []),
              ),
            );
          return outcome;
        } finally {
          regionsDone += 1;
          deps.onProgress?.({ regionsDone, regionsTotal: pairs.length, workspacesSeen });
        }
      }),
    ),
  );
  const parts = partsOf(regions);
  const review = await unused?.finish(deps.reports, context.log);
  const summary = await mergeRun(
    mergeDependencies(deps, context),
    mergeSettings(deps, settings, deps.fleet.regions),
    {
      ...parts,
      problems: [...reached.problems, ...parts.problems, ...(review?.problems ?? [])],
      unread: [...reached.unread, ...parts.unread],
      unused: review,
    },
  );
  // Results in account and region order, and in each region in directory order (shards run concurrently).
  const results = keep
    ? regions.flatMap((region) =>
        orderedResults(region, byScope.get(scopeKey(region.account, region.region))),
      )
    : [];
  return { summary, results };
}

const scopeKey = (account: string, region: string) => `${account}\u0000${region}`;

function accountsOf(deps: OptimizerDependencies, settings: OptimizerSettings): readonly AccountFleet[] {
  return (
    deps.accounts ?? [
      { account: settings.account, fleet: deps.fleet, switcher: deps.switcher, unused: deps.unused },
    ]
  );
}

/** The run's unused review, when the settings ask for one and there is a ledger to remember it in. */
function unusedReview(
  deps: Pick<OptimizerDependencies, 'unusedLedger' | 'now' | 'log'>,
  settings: OptimizerSettings,
): UnusedReview | undefined {
  if (settings.unused === undefined || deps.unusedLedger === undefined) return undefined;
  return new UnusedReview({
    asOf: settings.asOf,
    month: monthOf(settings.asOf),
    runId: settings.runId ?? randomUUID(),
    dryRun: settings.dryRun,
    settings: settings.unused,
    ledger: deps.unusedLedger,
    now: deps.now ?? (() => new Date()),
    log: deps.log ?? silentLog,
  });
}

/** The accounts that could be reached; each one that could not is one problem, its regions unread (their rows kept). */
async function reachAccounts<Reached extends Pick<AccountFleet, 'account' | 'fleet' | 'reach'>>(
  accounts: readonly Reached[],
  limit: LimitFunction,
  log: Log,
): Promise<{ accounts: Reached[]; problems: FleetProblem[]; unread: UnreadScope[] }> {
  const problems: FleetProblem[] = [];
  const unread: UnreadScope[] = [];
  const reached = await Promise.all(
    accounts.map((one) =>
      limit(async () => {
        try {
          await one.reach?.();
          return true;
        } catch (error) {
          const problem = {
            account: one.account,
            region: '',
            scope: `account ${one.account}`,
            message: errorMessage(error),
          };
          problems.push(problem);
          unread.push(...one.fleet.regions.map((region) => ({ account: one.account, region })));
          log.error('account could not be reached; none of its WorkSpaces is evaluated', { ...problem });
          return false;
        }
      }),
    ),
  );
  return { accounts: accounts.filter((_, index) => reached[index]), problems, unread };
}

/** The run's context for one account: its fleet, its switcher, its scope of the ledger and the reports. */
function inAccount(context: ShardRunContext, one: AccountFleet): ShardRunContext {
  return {
    ...context,
    account: one.account,
    fleet: one.fleet,
    conversion: { ...context.conversion, switcher: one.switcher },
  };
}

/** The shards of a sharded run, and what could not be listed. JSON-safe: stored for the map and the merge. */
export interface RunPlan {
  readonly schema: 1;
  /** Names the run's stored plan and shard outcomes (not the ledger's claims). */
  readonly runId: string;
  readonly asOf: string;
  readonly account: string;
  readonly regions: readonly string[];
  readonly shards: readonly Shard[];
  readonly problems: readonly FleetProblem[];
  readonly unread: readonly UnreadScope[];
  /**
   * The account regions whose directories were listed: the merge reviews
   * their unused WorkSpaces (one without directories too, as the single
   * function does). Absent in a plan of an earlier version: the shards' regions.
   */
  readonly opened?: readonly { readonly account: string; readonly region: string }[] | undefined;
}

/**
 * The first step of the sharded deployment: every region's directories, one
 * shard each (account x region x directory). A region that cannot be listed
 * is in `problems`, and its earlier rows of the day are kept by the merge.
 */
export async function planRun(
  deps: Pick<OptimizerDependencies, 'fleet' | 'accounts' | 'log'>,
  settings: Pick<OptimizerSettings, 'asOf' | 'account' | 'assumedTimeoutMinutes' | 'regionConcurrency'> & {
    readonly runId?: string | undefined;
  },
): Promise<RunPlan> {
  const log = deps.log ?? silentLog;
  const limit = pLimit(settings.regionConcurrency);
  const reached = await reachAccounts<Pick<AccountFleet, 'account' | 'fleet' | 'reach'>>(
    deps.accounts ?? [{ account: settings.account, fleet: deps.fleet }],
    limit,
    log,
  );
  const problems: FleetProblem[] = [...reached.problems];
  const unread: UnreadScope[] = [...reached.unread];
  const opened = new Set<string>();
  const pairs = reached.accounts.flatMap((one) => one.fleet.regions.map((region) => ({ one, region })));
  const listed = await Promise.all(
    pairs.map(({ one, region }) =>
      limit(async () => {
        try {
          const reading = await one.fleet.openRegion(region, {
            asOf: settings.asOf,
            assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
          });
          opened.add(scopeKey(one.account, region));
          return reading.shards;
        } catch (error) {
          const problem = { account: one.account, region, scope: 'region', message: errorMessage(error) };
          log.error('region could not be read', { ...problem });
          problems.push(problem);
          unread.push({ account: one.account, region });
          return [];
        }
      }),
    ),
  );
  return {
    schema: 1,
    runId: settings.runId ?? randomUUID(),
    asOf: settings.asOf.toISOString(),
    account: settings.account,
    regions: deps.fleet.regions,
    shards: listed.flat(),
    problems,
    unread,
    // In plan order, whatever order the regions were listed in.
    opened: pairs
      .filter(({ one, region }) => opened.has(scopeKey(one.account, region)))
      .map(({ one, region }) => ({ account: one.account, region })),
  };
}

/**
 * A shard task of the sharded deployment: the given shards (of any regions),
 * each exactly as `runOptimizer` runs it, region by region. Its outcomes go
 * to the merge step.
 */
export async function runShardTask(
  deps: OptimizerDependencies,
  settings: OptimizerSettings,
  shards: readonly Shard[],
): Promise<ShardOutcome[]> {
  // The merge step reviews the unused WorkSpaces: each outcome carries its candidates.
  const context = { ...shardRunContext(deps, settings), keepUnusedCandidates: settings.unused !== undefined };
  const accounts = new Map(accountsOf(deps, settings).map((one) => [one.account, one]));
  const scopes = [...new Set(shards.map((shard) => scopeKey(shard.account, shard.region)))];
  const outcomes: ShardOutcome[] = [];
  for (const scope of scopes) {
    const only = shards.filter((shard) => scopeKey(shard.account, shard.region) === scope);
    const { account, region } = only[0]!;
    const one = accounts.get(account);
    const outcome =
      one === undefined
        ? {
            shards: [],
            problems: [
              {
                account,
                region,
                scope: `account ${account}`,
                message: "the account is no longer among the run's accounts",
              },
            ],
          }
        : await runRegion(region, inAccount(context, one), only);
    outcomes.push(...outcome.shards);
    // The region could not be opened for these shards: each is a problem of its own, its rows kept.
    if (outcome.shards.length === 0)
      for (const shard of only)
        outcomes.push({
          shard,
          counts: emptyCounts(),
          parts: [],
          problems: outcome.problems.map((problem) => ({ ...problem, directoryId: shard.directoryId })),
          unread: [{ account: shard.account, region: shard.region, directoryId: shard.directoryId }],
          writeFailures: [],
        } satisfies ShardOutcome);
  }
  return outcomes;
}

/**
 * The last step of the sharded deployment: the plan's shards with their
 * outcomes merged as `runOptimizer` merges its own, their unused candidates
 * reviewed per account region as `runOptimizer` reviews each region. A shard
 * without an outcome (its task failed after its retries) is a problem; its
 * directory keeps the day's earlier rows, and the other shards' work stands.
 */
export async function mergeShards(
  deps: Omit<OptimizerDependencies, 'fleet' | 'switcher'>,
  settings: OptimizerSettings,
  plan: RunPlan,
  outcomes: readonly ShardOutcome[],
): Promise<RunSummary> {
  const done = new Set(outcomes.map((outcome) => shardKey(outcome.shard)));
  const missing = plan.shards.filter((shard) => !done.has(shardKey(shard)));
  const context = { log: deps.log ?? silentLog };
  for (const shard of missing)
    context.log.error('a shard did not finish', { region: shard.region, directoryId: shard.directoryId });
  const ordered = orderShards(plan, outcomes);
  const unused = unusedReview(deps, settings);
  const reviewProblems =
    unused === undefined
      ? []
      : await reviewShardCandidates(
          unused,
          { opened: plan.opened ?? scopesOf(plan.shards), outcomes: ordered, missing },
          deps.accounts ?? [{ account: settings.account, unused: deps.unused }],
          pLimit(settings.regionConcurrency),
          context.log,
        );
  const review = await unused?.finish(deps.reports, context.log);
  return mergeRun(mergeDependencies(deps, context), mergeSettings(deps, settings, plan.regions), {
    shards: ordered,
    problems: [
      ...plan.problems,
      ...missing.map((shard) => ({
        region: shard.region,
        scope: `directory ${shard.directoryId}`,
        directoryId: shard.directoryId,
        message: 'its shard task failed after its retries: the directory was not evaluated',
      })),
      ...reviewProblems,
      ...(review?.problems ?? []),
    ],
    unread: [
      ...plan.unread,
      ...missing.map((shard) => ({
        account: shard.account,
        region: shard.region,
        directoryId: shard.directoryId,
      })),
    ],
    unused: review,
  });
}

/** The account regions of `shards`, each once, in their order. */
function scopesOf(shards: readonly Shard[]): { account: string; region: string }[] {
  const scopes = new Map(shards.map((shard) => [scopeKey(shard.account, shard.region), shard]));
  return [...scopes.values()].map(({ account, region }) => ({ account, region }));
}

/** `account/region/directory`: a shard's name in stored outcomes and logs. */
export function shardKey(shard: Shard): string {
  return `${shard.account}/${shard.region}/${shard.directoryId}`;
}

function shardRunContext(
  deps: OptimizerDependencies,
  settings: OptimizerSettings,
  onResult?: (result: WorkspaceResult) => void,
): ShardRunContext {
  const log = deps.log ?? silentLog;
  const evaluation: EvaluationSettings = {
    thresholds: settings.thresholds,
    assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
    forceMonthEnd: settings.forceMonthEnd,
  };
  const modifyLimit = pLimit(settings.modifyConcurrency);
  const month = monthOf(settings.asOf);
  return {
    conversion: {
      asOf: settings.asOf,
      month,
      runId: settings.runId ?? randomUUID(),
      dryRun: settings.dryRun,
      evaluation,
      now: deps.now ?? (() => new Date()),
      ledger: deps.ledger,
      switcher: deps.switcher,
      prices: deps.prices,
      log,
      limit: (task) => modifyLimit(task),
    },
    account: settings.account,
    month,
    assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
    fleet: deps.fleet,
    ledger: deps.ledger,
    reports: deps.reports,
    tagColumns: settings.tagColumns,
    shardConcurrency: settings.shardConcurrency ?? DEFAULT_SHARD_CONCURRENCY,
    log,
    onResult,
  };
}

/** What the end of a run needs, the same for one process and the sharded merge. */
function mergeDependencies(
  deps: Pick<OptimizerDependencies, 'reports' | 'ledger' | 'events' | 'unusedLedger'>,
  context: { readonly log: Log },
) {
  return {
    reports: deps.reports,
    ledger: deps.ledger,
    events: deps.events,
    unusedLedger: deps.unusedLedger,
    log: context.log,
  };
}

/** `regions`: the run's regions, those it could not read too (the plan's in a sharded run). */
function mergeSettings(
  deps: Pick<OptimizerDependencies, 'now'>,
  settings: OptimizerSettings,
  regions: readonly string[],
): MergeSettings {
  return {
    asOf: settings.asOf,
    month: monthOf(settings.asOf),
    monthEnd: isMonthEnd(settings.asOf, settings.forceMonthEnd),
    dryRun: settings.dryRun,
    account: settings.account,
    regions,
    tagColumns: settings.tagColumns,
    now: deps.now ?? (() => new Date()),
  };
}

function partsOf(regions: readonly RegionOutcome[]): RunParts {
  return {
    shards: regions.flatMap((region) => region.shards),
    problems: regions.flatMap((region) => region.problems),
    unread: regions.flatMap((region) => region.unread),
  };
}

/**
 * A region's results in the order of its shards, whatever order they finished
 * in; within a shard, in the order they were decided (the sort is stable).
 */
function orderedResults(region: RegionOutcome, results: readonly WorkspaceResult[] = []): WorkspaceResult[] {
  const position = new Map(region.shards.map((outcome, index) => [outcome.shard.directoryId, index]));
  const of = (result: WorkspaceResult) => position.get(result.workspace.directoryId) ?? 0;
  return [...results].sort((a, b) => of(a) - of(b));
}

/** Outcomes in plan order, so that counts and lists add up the same whatever order the tasks finished in. */
function orderShards(plan: RunPlan, outcomes: readonly ShardOutcome[]): ShardOutcome[] {
  const position = new Map(plan.shards.map((shard, index) => [shardKey(shard), index]));
  return [...outcomes].sort(
    (a, b) =>
      (position.get(shardKey(a.shard)) ?? Number.MAX_SAFE_INTEGER) -
      (position.get(shardKey(b.shard)) ?? Number.MAX_SAFE_INTEGER),
  );
}

function emptyCounts(): ShardOutcome['counts'] {
  return new RunTally().counts();
}
