import type { Decision, EvaluationSettings, ModeChange } from '../../billing/index.js';
import {
  Action,
  billingStarts,
  evaluateWorkspace,
  forecastSwitchToAlwaysOn,
  monthOf,
  planApplication,
  Reason,
  RunningMode,
  usageWindow,
} from '../../billing/index.js';
import type { FleetHistory } from '../../ports/fleet-history.js';
import type { PriceQuote } from '../../ports/price-catalog.js';
import type { ObservedWorkspace } from '../../ports/workspace.js';
import { errorMessage } from '../../shared/errors.js';
import { silentLog } from '../../shared/log.js';
import { lookupPrice, priceBreakEvenHours } from '../workspace-cost.js';
import { ReplayFleet } from './replay-fleet.js';
import type { PolicyChanges, PolicyRunDependencies, PolicyRunSettings } from './replay-wco.js';

/**
 * The forecast policy (`--policy forecast`), replayed: the contract's rules
 * (`evaluateWorkspace`, the same thresholds, exemptions, states, one switch a
 * month), plus one more: an AutoStop WorkSpace under its threshold is switched
 * to AlwaysOn when `forecastSwitchToAlwaysOn` says the rest of the month will
 * bill more than AlwaysOn would (see there). It is not what wco does: it runs
 * here only, on the same history, to measure whether it would pay.
 */
export async function replayForecast(
  history: FleetHistory,
  runs: readonly Date[],
  settings: PolicyRunSettings,
  deps: PolicyRunDependencies,
): Promise<PolicyChanges> {
  const log = deps.log ?? silentLog;
  const fleet = new ReplayFleet(history.workspaces, history.regions, settings.assumedTimeoutMinutes);
  const evaluation: EvaluationSettings = {
    thresholds: settings.thresholds,
    assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
    forceMonthEnd: false,
  };
  const quotes = new Map<string, PriceQuote | undefined>();
  const changes = new Map<string, ModeChange[]>();
  const problems: string[] = [];
  for (const asOf of runs) {
    const month = monthOf(asOf);
    for (const region of fleet.regions) {
      const { workspaces } = await fleet.readRegion(region, {
        asOf,
        assumedTimeoutMinutes: settings.assumedTimeoutMinutes,
      });
      for (const observed of workspaces) {
        const { workspace } = observed;
        const id = workspace.workspaceId;
        if (!quotes.has(id)) quotes.set(id, await lookupPrice(deps.prices, workspace, log));
        const quote = quotes.get(id);
        const last = changes.get(id)?.at(-1);
        const evaluated = evaluateWorkspace(
          {
            runningMode: workspace.runningMode,
            computeType: workspace.computeType,
            autoStopTimeoutMinutes: workspace.autoStopTimeoutMinutes,
            tags: observed.tags.ok ? observed.tags.value : undefined,
            usage: observed.usage.ok ? observed.usage.value : undefined,
            priceBreakEvenHours: priceBreakEvenHours(quote),
            history: { convertedThisMonth: last !== undefined && monthOf(last.at) === month },
          },
          evaluation,
          asOf,
        );
        const decision = forecastDecision(
          evaluated.decision,
          observed,
          quote,
          evaluated.idleTimeoutMinutes,
          asOf,
        );
        const plan = planApplication(decision, workspace.state, false);
        if (plan.kind !== 'modify') continue;
        try {
          await fleet.setRunningMode(workspace, plan.targetMode, {
            autoStopTimeoutMinutes: evaluated.idleTimeoutMinutes,
          });
          changes.set(id, [...(changes.get(id) ?? []), { at: asOf, to: plan.targetMode }]);
        } catch (error) {
          // Tried again by the next run, as wco would.
          log.warn('forecast policy: running mode change failed', {
            workspaceId: id,
            error: errorMessage(error),
          });
        }
      }
    }
    deps.onRun?.(asOf);
  }
  return { changes, problems };
}

/** The contract's decision, or an early switch to AlwaysOn when the forecast says it pays. */
function forecastDecision(
  decision: Decision,
  observed: ObservedWorkspace,
  quote: PriceQuote | undefined,
  idleTimeoutMinutes: number,
  asOf: Date,
): Decision {
  if (
    decision.action !== Action.NONE ||
    decision.reason !== Reason.UNDER_THRESHOLD ||
    observed.workspace.runningMode !== RunningMode.AUTO_STOP ||
    quote === undefined ||
    !observed.usage.ok
  )
    return decision;
  const starts = billingStarts(observed.usage.value, idleTimeoutMinutes, usageWindow(asOf));
  // The decision table has no reason for it; the conversion itself is the contract's.
  return forecastSwitchToAlwaysOn({ prices: quote.prices, asOf, billingStarts: starts })
    ? { action: Action.TO_ALWAYS_ON, reason: Reason.OVER_THRESHOLD }
    : decision;
}
