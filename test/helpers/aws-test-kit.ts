import { afterAll, beforeAll } from 'vitest';
import type { AwsClientOptions, AwsClientsFor } from '../../src/aws/clients.js';
import { awsClientsPerRegion } from '../../src/aws/clients.js';
import type {
  EmulatedSession,
  EmulatedWorkspace,
  EmulatorConfig,
  RunningEmulator,
} from '../integration/emulator/emulator.js';
import { startEmulator } from '../integration/emulator/emulator.js';
import type { FleetProblem, FleetQuery, FleetSource, RegionFleet } from '../../src/ports/fleet-source.js';
import type { ObservedWorkspace } from '../../src/ports/workspace.js';
import { errorMessage } from '../../src/shared/errors.js';

const HOUR_MS = 3_600_000;

/**
 * A retry strategy with the SDK's retry rules (throttling and transient errors,
 * `maxAttempts`) but 5 ms delays, so fault tests do not wait for real backoff.
 */
export function fastRetryStrategy(maxAttempts = 4): NonNullable<AwsClientOptions['retryStrategy']> {
  const token = (count: number) => ({ getRetryCount: () => count, getRetryDelay: () => 5 });
  return {
    async acquireInitialRetryToken() {
      return token(0);
    },
    async refreshRetryTokenForRetry(previous: { getRetryCount(): number }, info: { errorType: string }) {
      const next = previous.getRetryCount() + 1;
      if (next >= maxAttempts || (info.errorType !== 'THROTTLING' && info.errorType !== 'TRANSIENT'))
        throw new Error('No retry token available');
      return token(next);
    },
    recordSuccess() {},
  } as unknown as NonNullable<AwsClientOptions['retryStrategy']>;
}

/**
 * Starts an emulator for the file's tests and points the real SDK at it the way
 * an operator would: `AWS_ENDPOINT_URL` plus static credentials in the environment.
 */
export function useEmulator(config: () => EmulatorConfig): { readonly current: RunningEmulator } {
  const holder: { current: RunningEmulator | undefined } = { current: undefined };
  beforeAll(async () => {
    holder.current = await startEmulator(config());
    process.env.AWS_ENDPOINT_URL = holder.current.endpoint;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEMULATOR';
    process.env.AWS_SECRET_ACCESS_KEY = 'emulator-secret';
    delete process.env.AWS_PROFILE;
  });
  afterAll(async () => {
    await holder.current?.close();
    delete process.env.AWS_ENDPOINT_URL;
  });
  return {
    get current() {
      if (!holder.current) throw new Error('the emulator is not started');
      return holder.current;
    },
  };
}

/** Clients as production builds them (adaptive retries unless `retryStrategy` is given). */
export function testClients(options: AwsClientOptions = {}): AwsClientsFor {
  return awsClientsPerRegion({ customEndpoint: true, retryStrategy: fastRetryStrategy(), ...options });
}

/**
 * Sessions of `hoursPerDay` whole hours, 09:00 onwards, on every day of `asOf`'s
 * month before `asOf`'s day.
 */
export function dailySessions(asOf: Date, hoursPerDay: number): EmulatedSession[] {
  if (hoursPerDay <= 0) return [];
  const monthStart = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1);
  const sessions: EmulatedSession[] = [];
  for (let day = monthStart; day + 24 * HOUR_MS <= asOf.getTime(); day += 24 * HOUR_MS)
    sessions.push({ start: day + 9 * HOUR_MS, end: day + (9 + hoursPerDay) * HOUR_MS });
  return sessions;
}

/** `count` WorkSpaces in `directoryId`, ids `ws-<directory suffix>-<n>`, overridable one by one. */
export function workspacesOf(
  directoryId: string,
  count: number,
  make: (index: number) => Partial<EmulatedWorkspace> = () => ({}),
): EmulatedWorkspace[] {
  return Array.from({ length: count }, (_, index) => ({
    workspaceId: `ws-${directoryId.replace(/^d-/, '')}${String(index).padStart(5, '0')}`,
    directoryId,
    userName: `user${index}`,
    computerName: `WSAMZN-${index}`,
    state: 'AVAILABLE',
    runningMode: 'AUTO_STOP',
    autoStopTimeoutMinutes: 60,
    computeType: 'STANDARD',
    tags: {},
    sessions: [],
    ...make(index),
  }));
}

/**
 * A whole region read through the streaming port, as one `RegionFleet`: every
 * shard's batches in order, a shard that fails as a directory problem. For
 * tests of what a source reads, not of how a run holds it.
 */
export async function readRegion(
  source: FleetSource,
  region: string,
  query: FleetQuery,
): Promise<RegionFleet> {
  const reading = await source.openRegion(region, query);
  const workspaces: ObservedWorkspace[] = [];
  const problems: FleetProblem[] = [];
  for (const shard of reading.shards)
    try {
      for await (const batch of reading.readBatches(shard)) workspaces.push(...batch);
    } catch (error) {
      problems.push({
        region,
        scope: `directory ${shard.directoryId}`,
        directoryId: shard.directoryId,
        message: errorMessage(error),
      });
    }
  return { region, workspaces, problems };
}
