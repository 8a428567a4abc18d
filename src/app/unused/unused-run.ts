import pLimit from 'p-limit';
import type { RemovalAction, UnusedSettings } from '../../billing/index.js';
import { money, UnusedVerdict, UseStatus } from '../../billing/index.js';
import type { FleetProblem } from '../../ports/fleet-source.js';
import type { UnusedWorkspaces } from '../../ports/unused-workspaces.js';
import { compareText } from '../../shared/compare-text.js';
import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { WriteFailure } from '../../shared/write-failure.js';
import type { RunReports } from '../report-ports.js';
import type { WorkspaceResult } from '../workspace-result.js';
import type {
  ReviewedRegion,
  UnusedCandidate,
  UnusedRegionOutcome,
  UnusedReviewContext,
  UnusedRow,
} from './review-unused.js';
import {
  capRemovals,
  RemovalOutcome,
  removeInRegion,
  reviewRegionUse,
  unusedCandidate,
} from './review-unused.js';

/** What the unused review of a run came to, for the run summary, its event and the CLI. */
export interface UnusedSummary {
  readonly months: number;
  readonly removal: boolean;
  readonly action: RemovalAction;
  /** Unused WorkSpaces listed (for `months` months or more), and those whose use is unknown. */
  readonly listed: number;
  readonly unknown: number;
  /** Listed for the first time this month by this run: announced now. */
  readonly newlyListed: number;
  /** What the listed WorkSpaces cost per month for nothing, by currency, as decimal text. */
  readonly monthlyWaste: Readonly<Record<string, string>>;
  /** Removals this run made, and those that failed. */
  readonly removed: readonly RemovalItem[];
  readonly failed: readonly RemovalItem[];
  /** WorkSpaces that would have been removed but for the per-run cap. */
  readonly capReached: number;
  /** The WorkSpaces listed, longest unused first (at most `UNUSED_SUMMARY_ITEMS`): for people. */
  readonly items: readonly UnusedItem[];
}

export interface RemovalItem {
  readonly workspaceId: string;
  readonly account: string;
  readonly region: string;
  readonly action: RemovalAction;
  readonly error?: string | undefined;
}

export interface UnusedItem {
  readonly workspaceId: string;
  readonly userName: string;
  readonly account: string;
  readonly region: string;
  readonly monthsUnused: number;
  readonly verdict: UnusedVerdict;
  /** Removed by this run or an earlier one. */
  readonly removed: boolean;
  readonly monthlyWaste?: { readonly currency: string; readonly amount: string } | undefined;
}

/** Regions whose ledgers are written and removals made at once, once the run's cap is known. */
const REMOVAL_CONCURRENCY = 4;

/** The run summary lists this many unused WorkSpaces at most; `unused.csv` has them all. */
export const UNUSED_SUMMARY_ITEMS = 10;

/**
 * The unused review of one run: candidates gathered as results are decided
 * (only WorkSpaces with no connection this month, so a run holds those, never
 * the fleet), each account's regions reviewed as they finish, then the
 * run's cap over them all and each region's ledger and removals, then
 * `unused.csv` written and the summary built.
 */
export class UnusedReview {
  private readonly candidates = new Map<string, UnusedCandidate[]>();
  /** Regions reviewed, waiting for the run's cap before anything is written or removed. */
  private readonly reviewed: { region: ReviewedRegion; unreadDirectories: readonly string[] }[] = [];
  private readonly outcomes: UnusedRegionOutcome[] = [];

  constructor(private readonly context: UnusedReviewContext) {}

  get settings(): UnusedSettings {
    return this.context.settings;
  }

  /** Keeps the result's candidate, if it has no connection this month. */
  add(result: WorkspaceResult): void {
    const candidate = unusedCandidate(result);
    if (candidate !== undefined) this.addCandidate(candidate);
  }

  /** Keeps a candidate a shard task stored (the sharded deployment's merge). */
  addCandidate(candidate: UnusedCandidate): void {
    const key = scopeKey(candidate.workspace.account, candidate.workspace.region);
    const list = this.candidates.get(key) ?? [];
    list.push(candidate);
    this.candidates.set(key, list);
  }

  /**
   * Reviews one account's region (after its shards ran); a failure is a
   * problem, never an exception. `statesReadFrom`: when the candidates'
   * states were read, if not during this process's run (the sharded merge).
   */
  async reviewRegion(
    account: string,
    region: string,
    reader: UnusedWorkspaces,
    unreadDirectories: readonly string[] = [],
    statesReadFrom?: Date,
  ): Promise<void> {
    const key = scopeKey(account, region);
    const candidates = this.candidates.get(key) ?? [];
    this.candidates.delete(key);
    try {
      const context = statesReadFrom === undefined ? this.context : { ...this.context, statesReadFrom };
      const reviewed = await reviewRegionUse(context, { account, region }, reader, candidates);
      this.reviewed.push({ region: reviewed, unreadDirectories });
    } catch (error) {
      this.failed(account, region, error);
    }
  }

  private failed(account: string, region: string, error: unknown): void {
    const problem = { account, region, scope: 'unused review', message: errorMessage(error) };
    this.context.log.error('the unused review of a region failed', { ...problem });
    this.outcomes.push({ account, region, rows: [], problems: [problem], writeFailures: [] });
  }

  /**
   * The run's cap over every region reviewed (the longest unused first, fleet
   * wide), then each region's ledger written and its removals made,
   * `REMOVAL_CONCURRENCY` regions at a time.
   */
  private async remove(): Promise<void> {
    const reviewed = this.reviewed.splice(0);
    const capped = capRemovals(
      reviewed.map(({ region }) => region),
      this.context.settings.maxPerRun,
    );
    const limit = pLimit(REMOVAL_CONCURRENCY);
    await Promise.all(
      reviewed.map(({ region, unreadDirectories }, index) =>
        limit(async () => {
          try {
            const outcome = await removeInRegion(this.context, region, capped[index]!);
            this.outcomes.push({ ...outcome, unreadDirectories });
          } catch (error) {
            this.failed(region.account, region.region, error);
          }
        }),
      ),
    );
  }

  /**
   * Writes the month's `unused.csv` (the regions reviewed replace their
   * stored rows; the others keep theirs) and adds up the review.
   */
  async finish(
    reports: Pick<RunReports, 'writeUnused'>,
    log: Log,
  ): Promise<{
    summary: UnusedSummary;
    rows: readonly UnusedRow[];
    reportKeys: string[];
    problems: FleetProblem[];
    writeFailures: WriteFailure[];
  }> {
    await this.remove();
    const rows = this.outcomes.flatMap((outcome) => outcome.rows);
    const problems = this.outcomes.flatMap((outcome) => outcome.problems);
    const writeFailures = this.outcomes.flatMap((outcome) => outcome.writeFailures);
    const reviewed = this.outcomes
      .filter((outcome) => !outcome.problems.some((problem) => problem.scope === 'unused review'))
      .map(({ account, region, unreadDirectories }) => ({ account, region, unreadDirectories }));
    const written = await reports.writeUnused(this.context.month, rows, reviewed);
    for (const failure of written.failures) log.error('unused report write failed', { ...failure });
    return {
      summary: summarizeUnused(this.context.settings, rows),
      rows,
      reportKeys: written.written,
      problems,
      writeFailures: [...writeFailures, ...written.failures],
    };
  }
}

const scopeKey = (account: string, region: string) => `${account}\u0000${region}`;

/** The review's rows added up. */
export function summarizeUnused(settings: UnusedSettings, rows: readonly UnusedRow[]): UnusedSummary {
  const listed = rows
    .filter((row) => row.review.status === UseStatus.UNUSED)
    .sort(
      (a, b) =>
        b.review.monthsUnused - a.review.monthsUnused ||
        compareText(a.workspace.account, b.workspace.account) ||
        compareText(a.workspace.workspaceId, b.workspace.workspaceId),
    );
  const waste = new Map<string, ReturnType<typeof money>>();
  for (const row of listed)
    if (row.wasted !== undefined)
      waste.set(row.wasted.currency, (waste.get(row.wasted.currency) ?? money(0)).plus(row.wasted.monthly));
  const removal = (outcome: RemovalOutcome) =>
    rows
      .filter((row) => row.outcome === outcome)
      .map((row) => ({
        workspaceId: row.workspace.workspaceId,
        account: row.workspace.account,
        region: row.workspace.region,
        action: row.action,
        error: row.error,
      }));
  return {
    months: settings.months,
    removal: settings.removal,
    action: settings.action,
    listed: listed.length,
    unknown: rows.filter((row) => row.review.status === UseStatus.UNKNOWN).length,
    newlyListed: rows.filter((row) => row.newlyListed).length,
    monthlyWaste: Object.fromEntries(
      [...waste]
        .sort(([a], [b]) => compareText(a, b))
        .map(([currency, amount]) => [currency, amount.toFixed(2)]),
    ),
    removed: removal(RemovalOutcome.DONE),
    failed: removal(RemovalOutcome.FAILED),
    capReached: rows.filter((row) => row.verdict === UnusedVerdict.CAP_REACHED).length,
    items: listed.slice(0, UNUSED_SUMMARY_ITEMS).map((row) => ({
      workspaceId: row.workspace.workspaceId,
      userName: row.workspace.userName,
      account: row.workspace.account,
      region: row.workspace.region,
      monthsUnused: row.review.monthsUnused,
      verdict: row.verdict,
      removed: row.outcome === RemovalOutcome.DONE || row.outcome === RemovalOutcome.EARLIER,
      monthlyWaste:
        row.wasted === undefined
          ? undefined
          : { currency: row.wasted.currency, amount: row.wasted.monthly.toFixed(2) },
    })),
  };
}
