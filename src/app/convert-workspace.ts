import type { ConvertibleMode, EvaluationSettings, LedgerFacts, Tags, UsageSpan } from '../billing/index.js';
import { evaluateWorkspace, Outcome, planApplication, runningModeAfter } from '../billing/index.js';
import type { ModeSwitcher } from '../ports/mode-switcher.js';
import type { PriceCatalog, PriceQuote } from '../ports/price-catalog.js';
import type { ObservedWorkspace } from '../ports/workspace.js';
import { errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import type { Read } from '../shared/read.js';
import type { WriteFailure } from '../shared/write-failure.js';
import type { ConversionLedger, LedgerView } from './ledger/conversion-ledger.js';
import { decisionOf, ledgerCostOf, thresholdSourceOf, workspaceCostOf } from './ledger/ledger-cost.js';
import type { LedgerEntry, VersionedEntry } from './ledger/ledger-entry.js';
import { entryKeyOf, fromModeOf, LedgerStatus, recordIdOf } from './ledger/ledger-entry.js';
import type { EntryStep } from './ledger/ledger-rules.js';
import { stepForEntry, utcDateOf } from './ledger/ledger-rules.js';
import { lookupPrice, priceBreakEvenHours, workspaceCost } from './workspace-cost.js';
import type { WorkspaceResult } from './workspace-result.js';
import type { UsageHistory } from './report-ports.js';
import { usageKey } from './report-ports.js';

/** What every WorkSpace of a run shares. */
export interface ConversionContext {
  readonly asOf: Date;
  /** `YYYY-MM` of `asOf`: the ledger month. */
  readonly month: string;
  readonly runId: string;
  readonly dryRun: boolean;
  readonly evaluation: EvaluationSettings;
  /** Wall-clock time, for claims and their leases (never `T`, which may lie in the past). */
  readonly now: () => Date;
  readonly ledger: ConversionLedger;
  readonly switcher: ModeSwitcher;
  readonly prices: PriceCatalog | undefined;
  readonly log: Log;
  /** Runs the tag confirmations and modifies with bounded concurrency. */
  readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  /** A ledger write that failed: the run fails (exit 1, a failed invocation), after finishing the rest. */
  readonly ledgerFailed: (failure: WriteFailure) => void;
  /** Last month's usage by `usageKey`, read early in the month only (`usageRate`); empty otherwise. */
  readonly previousMonthUsage: UsageHistory;
}

type Evaluated = ReturnType<typeof evaluateWorkspace> & { readonly quote: PriceQuote | undefined };

/**
 * Decides one WorkSpace and applies its conversion, with the ledger
 * (`../shared/docs/billing-rules.md`, "Across runs"):
 * - a conversion wco made on `T`'s date already is reported from the ledger as
 *   `APPLIED`, and nothing is called again;
 * - a WorkSpace wco switched earlier this month is not switched again;
 * - a conversion is claimed in the ledger before `ModifyWorkspaceProperties`
 *   and settled after it; a claim held by another run is left to that run;
 * - a claim of a run that died is settled by what the WorkSpace shows.
 * Resolves to the WorkSpace's report row; never rejects for one WorkSpace.
 *
 * @param view the ledger of the WorkSpace's account, region and month;
 *   `undefined` when it could not be read (then nothing is converted).
 */
export async function convertWorkspace(
  observed: ObservedWorkspace,
  view: LedgerView | undefined,
  context: ConversionContext,
): Promise<WorkspaceResult> {
  const { workspace } = observed;
  const quote = await lookupPrice(context.prices, workspace, context.log);
  const recordedTimeout = view?.recordedTimeouts.get(workspace.workspaceId);
  const entryProblem =
    view === undefined
      ? 'the conversion ledger could not be read'
      : view.unreadable.has(workspace.workspaceId)
        ? `its ledger entry cannot be read (${view.unreadable.get(workspace.workspaceId)})`
        : undefined;
  let existing = view?.entries.get(workspace.workspaceId);
  let step = stepForEntry(
    existing?.entry,
    workspace.runningMode,
    context.asOf,
    context.now(),
    recordedTimeout,
  );
  if (step.kind === 'settle' && existing !== undefined) {
    existing = await settleAbandoned(existing, step, context);
    step = stepForEntry(existing.entry, workspace.runningMode, context.asOf, context.now(), recordedTimeout);
  }
  if (step.kind === 'applied-today' && existing !== undefined)
    return resultFromLedger(existing.entry, observed);

  const history: LedgerFacts =
    step.kind === 'history'
      ? step.facts
      : { convertedThisMonth: false, recordedTimeoutMinutes: recordedTimeout };
  const evaluate = (tags: Read<Tags>): Evaluated => ({
    ...evaluateWorkspace(
      {
        runningMode: workspace.runningMode,
        computeType: workspace.computeType,
        autoStopTimeoutMinutes: workspace.autoStopTimeoutMinutes,
        tags: tags.ok ? tags.value : undefined,
        usage: observed.usage.ok ? observed.usage.value : undefined,
        priceBreakEvenHours: priceBreakEvenHours(quote),
        history,
      },
      context.evaluation,
      context.asOf,
    ),
    quote,
  });
  const result = (evaluated: Evaluated, outcome: Outcome, tags = observed.tags, error?: string) =>
    resultOf(observed, evaluated, outcome, context, tags, error);

  const first = evaluate(observed.tags);
  const plan = planApplication(first.decision, workspace.state, context.dryRun);
  if (plan.kind === 'settled') return result(first, plan.outcome);
  if (step.kind === 'in-progress')
    return result(first, Outcome.DEFERRED, observed.tags, heldByAnotherRun(existing?.entry));
  if (entryProblem !== undefined)
    return result(first, Outcome.DEFERRED, observed.tags, `not converted: ${entryProblem}`);

  // An exemption must never be missed: re-read the tags authoritatively right before converting.
  const confirmed = await context.limit(() => context.switcher.confirmTags(workspace));
  const second = evaluate(confirmed);
  const secondPlan = planApplication(second.decision, workspace.state, context.dryRun);
  if (secondPlan.kind === 'settled') return result(second, secondPlan.outcome, confirmed);

  const intent = intentOf(observed, second, secondPlan.targetMode, existing, context);
  let claimed: VersionedEntry;
  try {
    const answer = await context.ledger.claim(intent, existing);
    if (answer.kind === 'lost') {
      const current = answer.current?.entry;
      if (current?.status === LedgerStatus.APPLIED && utcDateOf(current.asOf) === utcDateOf(context.asOf))
        return resultFromLedger(current, observed);
      return result(second, Outcome.DEFERRED, confirmed, heldByAnotherRun(current));
    }
    claimed = answer.claimed;
  } catch (error) {
    const message = errorMessage(error);
    context.ledgerFailed({ target: context.ledger.locate(entryKeyOf(intent)), message });
    return result(
      second,
      Outcome.FAILED,
      confirmed,
      `not converted: the ledger could not record the intent (${message})`,
    );
  }

  try {
    await context.limit(() =>
      context.switcher.setRunningMode(workspace, secondPlan.targetMode, {
        autoStopTimeoutMinutes: second.idleTimeoutMinutes,
      }),
    );
  } catch (error) {
    const message = errorMessage(error);
    context.log.error('running mode change failed', {
      workspaceId: workspace.workspaceId,
      region: workspace.region,
      error: message,
    });
    await settle(claimed, LedgerStatus.FAILED, context, message);
    return result(second, Outcome.FAILED, confirmed, message);
  }
  context.log.info('running mode changed', {
    workspaceId: workspace.workspaceId,
    region: workspace.region,
    from: workspace.runningMode,
    to: secondPlan.targetMode,
  });
  await settle(claimed, LedgerStatus.APPLIED, context);
  return result(second, Outcome.APPLIED, confirmed);
}

/** The report row of a conversion an earlier run of the same day applied: what that run decided. */
export function resultFromLedger(entry: LedgerEntry, observed: ObservedWorkspace): WorkspaceResult {
  return {
    workspace: { ...observed.workspace, runningMode: entry.fromMode },
    tags: observed.tags.ok ? observed.tags.value : undefined,
    idleTimeoutMinutes: entry.idleTimeoutMinutes,
    billableHours: entry.billableHours,
    threshold: { hours: entry.thresholdHours, source: thresholdSourceOf(entry) },
    decision: decisionOf(entry),
    outcome: Outcome.APPLIED,
    newRunningMode: entry.toMode,
    cost: workspaceCostOf(entry.cost, entry.action),
  };
}

function resultOf(
  observed: ObservedWorkspace,
  evaluated: Evaluated,
  outcome: Outcome,
  context: ConversionContext,
  tags: Read<Tags>,
  error: string | undefined,
): WorkspaceResult {
  return {
    workspace: observed.workspace,
    tags: tags.ok ? tags.value : undefined,
    idleTimeoutMinutes: evaluated.idleTimeoutMinutes,
    billableHours: evaluated.billableHours,
    threshold: evaluated.threshold,
    decision: evaluated.decision,
    outcome,
    newRunningMode: runningModeAfter(observed.workspace.runningMode, evaluated.decision, outcome),
    error: error ?? readError(observed, tags),
    cost: workspaceCost(
      evaluated.quote,
      observed.workspace.runningMode,
      evaluated,
      context.asOf,
      previousMonthOf(observed, context),
    ),
  };
}

function previousMonthOf(observed: ObservedWorkspace, context: ConversionContext): UsageSpan | undefined {
  const { account, region, workspaceId } = observed.workspace;
  return context.previousMonthUsage.get(usageKey(account, region, workspaceId));
}

function intentOf(
  observed: ObservedWorkspace,
  evaluated: Evaluated,
  toMode: ConvertibleMode,
  existing: VersionedEntry | undefined,
  context: ConversionContext,
): LedgerEntry {
  const { workspace } = observed;
  const action = evaluated.decision.action === 'TO_ALWAYS_ON' ? 'TO_ALWAYS_ON' : 'TO_AUTO_STOP';
  const cost = ledgerCostOf(
    workspaceCost(
      evaluated.quote,
      workspace.runningMode,
      evaluated,
      context.asOf,
      previousMonthOf(observed, context),
    ),
  );
  return {
    schema: 1,
    id: recordIdOf(context.month, workspace.account, workspace.region, workspace.workspaceId),
    month: context.month,
    account: workspace.account,
    region: workspace.region,
    directoryId: workspace.directoryId,
    workspaceId: workspace.workspaceId,
    userName: workspace.userName,
    computerName: workspace.computerName,
    computeType: workspace.computeType,
    fromMode: fromModeOf(toMode),
    toMode,
    action,
    reason: evaluated.decision.reason,
    billableHours: evaluated.billableHours ?? 0,
    thresholdHours: evaluated.threshold.hours,
    thresholdSource: evaluated.threshold.source,
    idleTimeoutMinutes: evaluated.idleTimeoutMinutes,
    asOf: context.asOf.toISOString(),
    runId: context.runId,
    status: LedgerStatus.INTENDED,
    attempts: (existing?.entry.attempts ?? 0) + 1,
    claimedAt: context.now().toISOString(),
    ...(cost === undefined ? {} : { cost }),
    event: { published: false },
  };
}

/**
 * Settles a claim whose run died, by what the WorkSpace shows. In dry run
 * nothing is written: the run only reads the entry as settled.
 */
async function settleAbandoned(
  existing: VersionedEntry,
  step: Extract<EntryStep, { kind: 'settle' }>,
  context: ConversionContext,
): Promise<VersionedEntry> {
  const settled: VersionedEntry = {
    ...existing,
    entry: {
      ...existing.entry,
      status: step.status,
      ...(step.error === undefined ? {} : { error: step.error }),
    },
  };
  if (context.dryRun) return settled;
  context.log.warn('settling a conversion whose run did not finish', {
    workspaceId: existing.entry.workspaceId,
    claimedAt: existing.entry.claimedAt,
    status: step.status,
  });
  return (await settle(existing, step.status, context, step.error)) ?? settled;
}

async function settle(
  claimed: VersionedEntry,
  status: typeof LedgerStatus.APPLIED | typeof LedgerStatus.FAILED,
  context: ConversionContext,
  error?: string,
): Promise<VersionedEntry | undefined> {
  try {
    return await context.ledger.settle(claimed, { status, at: context.now(), error });
  } catch (failure) {
    // The WorkSpace is (or is not) converted, the ledger still says INTENDED:
    // the next run settles it from the mode it observes.
    context.ledgerFailed({
      target: context.ledger.locate(entryKeyOf(claimed.entry)),
      message: `could not record ${status}: ${errorMessage(failure)}`,
    });
    return undefined;
  }
}

function heldByAnotherRun(entry: LedgerEntry | undefined): string {
  return entry === undefined
    ? 'another wco run is converting it'
    : `another wco run (${entry.runId}) claimed this conversion at ${entry.claimedAt}; it is left to that run`;
}

function readError(observed: ObservedWorkspace, tags: Read<Tags>): string | undefined {
  const messages = [
    tags.ok ? undefined : `tags: ${tags.error}`,
    observed.usage.ok ? undefined : `usage: ${observed.usage.error}`,
  ].filter((message) => message !== undefined);
  return messages.length > 0 ? messages.join('; ') : undefined;
}
