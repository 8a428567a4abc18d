import pLimit from 'p-limit';
import type { FleetProblem, FleetSource, RegionReading, Shard } from '../ports/fleet-source.js';
import { errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import type { WriteFailure } from '../shared/write-failure.js';
import type { ConversionContext } from './convert-workspace.js';
import { convertWorkspace } from './convert-workspace.js';
import { readPreviousMonthUsage } from './previous-month-usage.js';
import type { ConversionLedger, LedgerScopeReader } from './ledger/conversion-ledger.js';
import type { DirectoryPart, DirectoryRows, RunReports, UnreadScope } from './report-ports.js';
import type { RunCounts } from './run-summary.js';
import { unusedCandidate } from './unused/review-unused.js';
import type { StoredUnusedCandidate, StoredUnusedCandidates } from './unused/stored-candidates.js';
import { storedCandidate } from './unused/stored-candidates.js';
import { RunTally } from './run-summary.js';
import { warnCostlyConversions } from './workspace-cost.js';
import type { WorkspaceResult } from './workspace-result.js';

/**
 * What one shard did: its counts, its directory files, what it could not read
 * and what it could not write. Small and JSON-safe, whatever the shard's size:
 * the sharded deployment stores it for the merge step.
 */
export interface ShardOutcome {
  readonly shard: Shard;
  readonly counts: RunCounts;
  readonly parts: readonly DirectoryPart[];
  readonly problems: readonly FleetProblem[];
  /** Parts of the fleet of which the shard evaluated nothing: the day's earlier rows are kept for them. */
  readonly unread: readonly UnreadScope[];
  /** Ledger and report writes that failed: the run fails. */
  readonly writeFailures: readonly WriteFailure[];
  /** Its WorkSpaces with no connection this month, when the shard keeps them for the merge's unused review. */
  readonly unused?: StoredUnusedCandidates | undefined;
}

/** What one region's part of a run did (in one account). */
export interface RegionOutcome {
  readonly account: string;
  readonly region: string;
  readonly shards: readonly ShardOutcome[];
  /** The region (or its ledger) could not be read at all. */
  readonly problems: readonly FleetProblem[];
  readonly unread: readonly UnreadScope[];
}

/** What the shards of a run share: the conversion context and where the rows go. */
export interface ShardRunContext {
  readonly conversion: Omit<ConversionContext, 'ledgerFailed' | 'previousMonthUsage'>;
  readonly account: string;
  readonly month: string;
  readonly assumedTimeoutMinutes: number;
  readonly fleet: FleetSource;
  readonly ledger: ConversionLedger;
  readonly reports: RunReports;
  /** Tag keys that get a column each in the daily report (`--tag-columns`, `TAG_COLUMNS`). */
  readonly tagColumns?: readonly string[] | undefined;
  /** Shards of one region read at once. */
  readonly shardConcurrency: number;
  readonly log: Log;
  /** Each result as it is decided (a run that keeps its results; progress). */
  readonly onResult?: ((result: WorkspaceResult) => void) | undefined;
  /**
   * Each shard's outcome carries its unused candidates (the sharded
   * deployment, whose merge step reviews them); a run in one process reviews
   * them itself through `onResult`.
   */
  readonly keepUnusedCandidates?: boolean | undefined;
}

/**
 * One region of a run: its month of the ledger opened once (listings only),
 * the region opened (its directories listed, unless `only` names the shards
 * to run), then its shards, `shardConcurrency` at a time. A region or ledger
 * that cannot be read is a problem, never an exception.
 */
export async function runRegion(
  region: string,
  context: ShardRunContext,
  only?: readonly Shard[],
): Promise<RegionOutcome> {
  const { account, month, log } = context;
  const problems: FleetProblem[] = [];
  let ledger: LedgerScopeReader | undefined;
  try {
    ledger = await context.ledger.open({ month, account, region }, { readOnly: context.conversion.dryRun });
  } catch (error) {
    const problem = {
      account,
      region,
      scope: 'ledger',
      message: `the conversion ledger could not be read: ${errorMessage(error)}`,
    };
    problems.push(problem);
    log.error('ledger could not be read; nothing in the region is converted', { ...problem });
  }
  let reading: RegionReading;
  try {
    reading = await context.fleet.openRegion(
      region,
      {
        asOf: context.conversion.asOf,
        assumedTimeoutMinutes: context.assumedTimeoutMinutes,
        recordedTimeouts: ledger?.recordedTimeouts,
      },
      only,
    );
  } catch (error) {
    const problem = { account, region, scope: 'region', message: errorMessage(error) };
    log.error('region could not be read', { ...problem });
    return { account, region, shards: [], problems: [...problems, problem], unread: [{ account, region }] };
  }
  const limit = pLimit(context.shardConcurrency);
  const shards = await Promise.all(
    reading.shards.map((shard) => limit(() => runShard(shard, reading, ledger, context))),
  );
  return { account, region, shards, problems, unread: [] };
}

/**
 * One shard, a batch at a time: read (tags, usage) -> the batch's ledger
 * entries -> decide and apply each WorkSpace -> its row to the directory's
 * file and its counts to the tally -> the batch is dropped. Memory is a batch
 * and the directory's rows, not the fleet. A directory that cannot be read to
 * the end is a problem: what was evaluated is reported, the rest is kept from
 * an earlier run of the day.
 */
export async function runShard(
  shard: Shard,
  reading: RegionReading,
  ledger: LedgerScopeReader | undefined,
  context: ShardRunContext,
): Promise<ShardOutcome> {
  const writeFailures: WriteFailure[] = [];
  const scope = { account: shard.account, region: shard.region, directoryId: shard.directoryId };
  const conversion: ConversionContext = {
    ...context.conversion,
    previousMonthUsage: await readPreviousMonthUsage(
      context.reports,
      context.conversion.asOf,
      scope,
      context.log,
    ),
    ledgerFailed: (failure) => {
      writeFailures.push(failure);
      context.log.error('ledger write failed', { ...failure });
    },
  };
  const tally = new RunTally(context.conversion.evaluation.thresholds);
  // Opened with the first row: a directory with no WorkSpace writes no file.
  let rows: DirectoryRows | undefined;
  const rowsOfShard = () =>
    (rows ??= context.reports.directory(scope, { asOf: conversion.asOf, tagColumns: context.tagColumns }));

  const readFrom = conversion.now().toISOString();
  // Kept only for the sharded merge's unused review; a run in one process reviews through `onResult`.
  const candidates: StoredUnusedCandidate[] | undefined =
    context.keepUnusedCandidates === true ? [] : undefined;
  const problems: FleetProblem[] = [];
  let complete = true;
  try {
    for await (const batch of reading.readBatches(shard)) {
      const view = await ledger?.viewOf(batch.map((observed) => observed.workspace.workspaceId));
      const results = await Promise.all(
        batch.map((observed) => convertWorkspace(observed, view, conversion)),
      );
      warnCostlyConversions(results, context.log);
      for (const result of results) {
        tally.add(result);
        rowsOfShard().add(result);
        if (candidates !== undefined) {
          const candidate = unusedCandidate(result);
          if (candidate !== undefined) candidates.push(storedCandidate(candidate));
        }
        context.onResult?.(result);
      }
    }
  } catch (error) {
    complete = false;
    const problem = { ...scope, scope: `directory ${shard.directoryId}`, message: errorMessage(error) };
    problems.push(problem);
    context.log.error('part of the fleet could not be read', { ...problem });
  }

  const parts: DirectoryPart[] = [];
  if (rows !== undefined) {
    const part = await rows.finish(complete);
    parts.push(part);
    for (const failure of part.failures) {
      writeFailures.push(failure);
      context.log.error('report write failed', { ...failure });
    }
  }
  return {
    shard,
    counts: tally.counts(),
    parts,
    problems,
    // Nothing of the directory evaluated: its earlier rows are kept at the end of the run.
    unread: !complete && rows === undefined ? [scope] : [],
    writeFailures,
    ...(candidates === undefined ? {} : { unused: { readFrom, candidates } }),
  };
}
