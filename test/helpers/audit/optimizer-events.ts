import { Action, Outcome, Reason } from '../../../src/billing/index.js';
import type { OptimizerEvent } from '../../../src/ports/event-sink.js';
import { OptimizerDetailType } from '../../../src/ports/event-sink.js';

export const MODE_CHANGED: OptimizerEvent = {
  detailType: OptimizerDetailType.MODE_CHANGED,
  detail: {
    workspaceId: 'ws-abc12345',
    directoryId: 'd-9067abcdef',
    account: '111122223333',
    region: 'eu-west-1',
    fromMode: 'ALWAYS_ON',
    toMode: 'AUTO_STOP',
    billableHours: 12,
    thresholdHours: 85,
    reason: Reason.UNDER_THRESHOLD_AT_MONTH_END,
    asOf: '2026-11-30T23:00:00.000Z',
  },
};

/** A failed attempt at a ledger conversion: an SCP denied the modify. */
export const MODE_CHANGE_FAILED: OptimizerEvent = {
  detailType: OptimizerDetailType.MODE_CHANGE_FAILED,
  detail: {
    workspaceId: 'ws-def67890',
    directoryId: 'd-9067abcdef',
    account: '111122223333',
    region: 'eu-west-1',
    fromMode: 'AUTO_STOP',
    toMode: 'ALWAYS_ON',
    billableHours: 120,
    thresholdHours: 85,
    reason: Reason.OVER_THRESHOLD,
    asOf: '2026-11-30T23:00:00.000Z',
    recordId: '2026-11/111122223333/eu-west-1/ws-def67890',
    attempt: 1,
    error:
      'AccessDeniedException: not authorized to perform: workspaces:ModifyWorkspaceProperties with an explicit deny in a service control policy',
  },
};

export const RUN_COMPLETED: OptimizerEvent = {
  detailType: OptimizerDetailType.RUN_COMPLETED,
  detail: {
    account: '111122223333',
    asOf: '2026-11-30T23:00:00.000Z',
    dryRun: false,
    monthEnd: true,
    regions: ['eu-west-1'],
    workspaces: 3,
    actions: { ...zeros(Object.values(Action)), [Action.TO_AUTO_STOP]: 1, [Action.NONE]: 2 },
    outcomes: { ...zeros(Object.values(Outcome)), [Outcome.APPLIED]: 1, [Outcome.NONE]: 2 },
    skipped: {},
    errors: 0,
    problems: 0,
    reportKeys: ['reports/daily/2026/11/30/aggregated.csv'],
  },
};

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}
