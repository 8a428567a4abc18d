import { DEFAULT_AUTOSTOP_TIMEOUT_MINUTES } from '../billing/index.js';
import type {
  FleetHistory,
  FleetHistorySource,
  HistoryQuery,
  WorkspaceHistory,
} from '../ports/fleet-history.js';
import { ok } from '../shared/read.js';
import { EDGE_CASE_SPECS } from './edge-case.js';
import { DEFAULT_SIMULATED_ACCOUNT, DEFAULT_SIMULATED_REGIONS } from './generate-simulated-fleet.js';
import type { SimulatedHistoryOptions, SimulatedHistoryWorkspace } from './simulated-history.js';
import { generateSimulatedHistory } from './simulated-history.js';
import { sessionsToSamples } from './sessions-to-samples.js';

const MINUTE_MS = 60_000;
/** CloudWatch's resolution for data older than 63 days, and what a replay reads: hourly Maxima. */
const HISTORY_PERIOD_MINUTES = 60;

/**
 * The simulated fleet's past (`wco replay --demo`): `generateSimulatedHistory`
 * over the query's months, its usage as hourly `UserConnected` samples (what
 * CloudWatch keeps for 455 days), its edge cases' faults met by every run.
 */
export class SimulatedHistorySource implements FleetHistorySource {
  constructor(private readonly options: Omit<SimulatedHistoryOptions, 'from' | 'to'>) {}

  async readHistory(query: HistoryQuery): Promise<FleetHistory> {
    const { period } = query;
    const fleet = generateSimulatedHistory({
      ...this.options,
      from: new Date(period.start),
      to: new Date(period.end - 1),
    });
    const longest = Math.max(
      query.assumedTimeoutMinutes,
      DEFAULT_AUTOSTOP_TIMEOUT_MINUTES,
      ...fleet.map((simulated) => simulated.workspace.autoStopTimeoutMinutes ?? 0),
    );
    const window = { start: period.start - (longest + HISTORY_PERIOD_MINUTES) * MINUTE_MS, end: period.end };
    const joined = fleet.filter((simulated) => (simulated.existence?.start ?? 0) > period.start).length;
    const left = fleet.filter((simulated) => (simulated.existence?.end ?? period.end) < period.end).length;
    return {
      account: this.options.account ?? DEFAULT_SIMULATED_ACCOUNT,
      regions: this.options.regions ?? DEFAULT_SIMULATED_REGIONS,
      workspaces: fleet.map((simulated) => historyOf(simulated, window)),
      problems: [],
      notes: [
        `The simulated fleet (seed ${this.options.seed}): ${fleet.length - joined} WorkSpaces at the start, ${joined} joined and ${left} left during the period; starting modes as generated.`,
      ],
    };
  }
}

function historyOf(
  simulated: SimulatedHistoryWorkspace,
  window: { start: number; end: number },
): WorkspaceHistory {
  const faults = simulated.faults;
  const state = EDGE_CASE_SPECS.find((spec) => spec.edgeCase === simulated.edgeCase)?.state;
  return {
    workspace: simulated.workspace,
    tags: faults?.tags === undefined ? ok(simulated.tags) : { ok: false, error: faults.tags },
    usage: ok(sessionsToSamples(simulated.sessions, HISTORY_PERIOD_MINUTES, window)),
    existence: simulated.existence,
    state,
    faults: faults && { usage: faults.usage, modify: faults.modify },
  };
}
