import type { ScheduledEvent } from 'aws-lambda';

/** The EventBridge scheduled event the optimizer's rule delivers; `time` is the run's T. */
export function scheduledEvent(
  base: { account: string; region: string; time: string },
  overrides: Partial<ScheduledEvent> = {},
): ScheduledEvent {
  return {
    id: 'cdc73f9d-aea9-11e3-9d5a-835b769c0d9c',
    version: '0',
    account: base.account,
    time: base.time,
    region: base.region,
    resources: [`arn:aws:events:${base.region}:${base.account}:rule/wco-optimize`],
    source: 'aws.events',
    'detail-type': 'Scheduled Event',
    detail: {},
    ...overrides,
  };
}
