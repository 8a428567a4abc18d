import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createAwsClients, hasCustomEndpoint } from '../../../src/aws/clients.js';
import { EventBridgeSink } from '../../../src/aws/eventbridge-sink.js';
import { S3ObjectStore } from '../../../src/aws/s3-object-store.js';
import { workspaceIdOfArn } from '../../../src/aws/tag-reader.js';
import { samplePeriodMinutes } from '../../../src/aws/usage-reader.js';
import type { OptimizerEvent } from '../../../src/ports/event-sink.js';
import { StoreError } from '../../../src/ports/object-store.js';
import { testClients, useEmulator } from '../../helpers/aws-test-kit.js';
import { CONFIG_DEFAULTS } from '../../../src/config/defaults.js';

const REGION = 'eu-west-1';
const emulator = useEmulator(() => ({ buckets: ['reports'] }));

function modeChanged(workspaceId: string): OptimizerEvent {
  return {
    detailType: 'WorkSpace Running Mode Changed',
    detail: {
      workspaceId,
      directoryId: 'd-1',
      account: '123456789012',
      region: REGION,
      fromMode: 'AUTO_STOP',
      toMode: 'ALWAYS_ON',
      billableHours: 100,
      thresholdHours: 85,
      reason: 'OVER_THRESHOLD',
      asOf: '2026-11-20T23:00:00.000Z',
    },
  };
}

describe('Function: hasCustomEndpoint', () => {
  it.each([
    [{}, false],
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, true],
    [{ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' }, true],
    [{ AWS_ENDPOINT_URL: '' }, false],
    [{ AWS_ENDPOINT_URLS: 'x' }, false],
  ])('%j -> %s', (env, expected) => {
    expect(hasCustomEndpoint(env)).toBe(expected);
  });
});

describe('Function: createAwsClients', () => {
  it.each([
    [true, true],
    [false, false],
  ])('customEndpoint %s -> S3 forcePathStyle %s', async (customEndpoint, pathStyle) => {
    const clients = createAwsClients(REGION, { customEndpoint });
    expect(clients.s3).toBeInstanceOf(S3Client);
    expect(clients.s3.config.forcePathStyle).toBe(pathStyle);
    expect(await clients.workspaces.config.maxAttempts()).toBe(6);
    const strategy = (await clients.cloudwatch.config.retryStrategy()) as { mode?: string };
    expect(strategy.mode).toBe('adaptive');
  });
});

describe('Function: workspaceIdOfArn', () => {
  it.each([
    ['arn:aws:workspaces:eu-west-1:123456789012:workspace/ws-abc123', 'ws-abc123'],
    ['arn:aws-us-gov:workspaces:us-gov-west-1:123456789012:workspace/ws-x', 'ws-x'],
    ['arn:aws:workspaces:eu-west-1:123456789012:directory/d-1', undefined],
    ['arn:aws:ec2:eu-west-1:123456789012:workspace/ws-1', undefined],
    ['not an arn', undefined],
  ])('%s -> %s', (arn, expected) => {
    expect(workspaceIdOfArn(arn)).toBe(expected);
  });
});

describe('Function: samplePeriodMinutes', () => {
  it.each([
    [60, 60],
    [120, 60],
    [90, 5],
    [45, 5],
  ])('idle timeout %i -> period %i', (timeout, period) => {
    expect(samplePeriodMinutes(timeout)).toBe(period);
  });
});

describe('Class: S3ObjectStore', () => {
  it('puts, gets and lists objects under a prefix, sorted, with keys that need encoding', async () => {
    // Arrange
    const store = new S3ObjectStore(testClients()(REGION).s3, 'reports');
    const keys = ['a/2.csv', 'a/1 + é.csv', 'b/1.csv'];

    // Act
    for (const key of keys) await store.put(key, `body of ${key}\n"quoted",é`, 'text/csv; charset=utf-8');

    // Assert
    expect(await store.list('a/')).toEqual(['a/1 + é.csv', 'a/2.csv']);
    expect(await store.get('a/1 + é.csv')).toBe('body of a/1 + é.csv\n"quoted",é');
    expect(await store.get('a/none.csv')).toBeUndefined();
    expect(store.locate('a/2.csv')).toBe('s3://reports/a/2.csv');
  });

  it('rejects with a StoreError naming the object when the write is refused', async () => {
    // Arrange
    emulator.current.state.faults = { putObjectFailsUnder: ['audit/'] };
    const store = new S3ObjectStore(testClients()(REGION).s3, 'reports');

    // Act
    const write = store.put('audit/1.jsonl', '{}', 'application/x-ndjson');

    // Assert
    await expect(write).rejects.toBeInstanceOf(StoreError);
    await expect(write).rejects.toThrow('s3://reports/audit/1.jsonl');
    emulator.current.state.faults = {};
  });
});

describe('Class: EventBridgeSink', () => {
  it('sends every batch of 10 and rejects naming the entries that failed', async () => {
    // Arrange
    emulator.current.reset({ buckets: ['reports'], faults: { eventsFailMatching: ['ws-03', 'ws-24'] } });
    const sink = new EventBridgeSink(testClients()(REGION).eventbridge, 'bus');
    const events = Array.from({ length: 25 }, (_, n) => modeChanged(`ws-${String(n).padStart(2, '0')}`));

    // Act
    const publish = sink.publish(events);

    // Assert
    await expect(publish).rejects.toThrow(/2 of 25 events were not published to bus: .*ws-03.*ws-24/);
    expect([...emulator.current.state.eventBatches].sort((a, b) => b - a)).toEqual([10, 10, 5]);
    expect(emulator.current.state.events.filter((event) => !event.failed)).toHaveLength(23);
  });

  it('resolves when every entry is accepted', async () => {
    // Arrange
    emulator.current.reset({ buckets: ['reports'] });
    const sink = new EventBridgeSink(testClients()(REGION).eventbridge, CONFIG_DEFAULTS.eventBusName);

    // Act
    await sink.publish([modeChanged('ws-1')]);

    // Assert
    expect(emulator.current.state.events).toMatchObject([
      { source: 'wco.optimizer', eventBusName: 'default' },
    ]);
  });
});
