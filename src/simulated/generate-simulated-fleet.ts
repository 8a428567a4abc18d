import type { Interval } from '../billing/index.js';
import {
  idleTimeoutMinutes,
  monthStartUtc,
  nextMonthStartUtc,
  resolveThreshold,
  RunningMode,
  thresholdPolicy,
} from '../billing/index.js';
import type { Workspace } from '../ports/workspace.js';
import { archetypeMonthSessions } from './archetype-sessions.js';
import type { EdgeCaseSpec, EdgeCaseUsage } from './edge-case.js';
import { EDGE_CASE_SPECS } from './edge-case.js';
import {
  AUTO_STOP_TIMEOUT_WEIGHTS,
  BUNDLE_VOLUMES,
  COMPUTE_TYPE_WEIGHTS,
  FIRST_NAMES,
  GRAPHICS_COMPUTE_TYPES,
  LAST_NAMES,
  OPERATING_SYSTEM_WEIGHTS,
  OTHER_VOLUMES,
  TAG_VALUES,
} from './fleet-catalog.js';
import { hashText, SeededRandom } from './seeded-random.js';
import { sessionsForBillableHours } from './sessions-for-billable-hours.js';
import type { SimulatedFaults } from './simulated-faults.js';
import type { SimulatedWorkspace } from './simulated-workspace.js';
import { ARCHETYPE_WEIGHTS, UsageArchetype } from './usage-archetype.js';

export interface SimulatedFleetOptions {
  /** Any safe integer; the same seed and as-of time give the same fleet. */
  readonly seed: number;
  /** The evaluation time: every session ends before it. */
  readonly asOf: Date;
  /** 12 digits; default `123456789012`. */
  readonly account?: string;
  /** Several accounts (12 digits each): the directories are dealt out to them in turn. Replaces `account`. */
  readonly accounts?: readonly string[];
  /** WorkSpaces in the fleet, edge cases included; default 200. */
  readonly count?: number;
  /** Default `['us-east-1', 'eu-west-1']`. */
  readonly regions?: readonly string[];
  /** Include one WorkSpace per edge case (`EDGE_CASE_SPECS`); default true. */
  readonly edgeCases?: boolean;
}

export const DEFAULT_SIMULATED_ACCOUNT = '123456789012';
/** The demo's fleet spans three accounts, as a hub deployment over an organization would see it. */
export const DEMO_ACCOUNTS: readonly string[] = [DEFAULT_SIMULATED_ACCOUNT, '234567890123', '345678901234'];
export const DEFAULT_SIMULATED_COUNT = 200;
export const DEFAULT_SIMULATED_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1'];
/** The assumed timeout the AlwaysOn edge cases are built for: the contract's default. */
export const EDGE_CASE_ASSUMED_TIMEOUT_MINUTES = 60;

const MINUTE_MS = 60_000;
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
// Independent random streams, so that edge cases and ordinary WorkSpaces never share draws.
const EDGE_CASE_STREAM = hashText('edge-case');
const WORKSPACE_STREAM = hashText('workspace');

interface Directory {
  readonly account: string;
  readonly region: string;
  readonly directoryId: string;
}

/** What differs between an edge case and an ordinary WorkSpace before the shared assembly. */
interface Blueprint {
  readonly stream: number;
  readonly index: number;
  readonly random: SeededRandom;
  readonly directory: Directory;
  readonly spec: EdgeCaseSpec | undefined;
}

/**
 * Generates the simulated fleet in process: ordinary WorkSpaces of every
 * usage archetype plus one per edge case, across the regions and 3-5
 * directories. Deterministic: the same options give a deep-equal fleet. A
 * WorkSpace's identity depends only on the seed and its position, and its
 * sessions on the seed and the as-of month (cut at `asOf`), so the fleet looks
 * the same on every day of a month, with usage growing. The edge cases built to
 * bill an exact number of hours are built for `asOf` itself (see
 * `sessionsForBillableHours`).
 * @example generateSimulatedFleet({ seed: 42, asOf: new Date('2026-11-30T23:00:00Z') }).length // 200
 */
export function generateSimulatedFleet(options: SimulatedFleetOptions): SimulatedWorkspace[] {
  return generateFleetWithExtras(options, []).fleet;
}

/** A WorkSpace drawn from its own random stream after the fleet's (a new joiner of the multi-month history). */
export interface ExtraWorkspaceKey {
  readonly stream: number;
  readonly index: number;
}

/**
 * The fleet of `generateSimulatedFleet(options)`, unchanged, and after it one
 * ordinary WorkSpace per key of `extras`, in that order, from the stream the
 * key names: their ids and user names avoid the fleet's and each other's, and
 * their usage, like everyone's, is the seed's for `asOf`'s month.
 */
export function generateFleetWithExtras(
  options: SimulatedFleetOptions,
  extras: readonly ExtraWorkspaceKey[],
): { fleet: SimulatedWorkspace[]; extras: SimulatedWorkspace[] } {
  const { seed, asOf, accounts, count, regions, edgeCases } = validated(options);
  const directories = drawDirectories(new SeededRandom(seed, hashText('directories')), regions, accounts);
  const specs = edgeCases ? EDGE_CASE_SPECS : [];
  if (count < specs.length)
    throw new RangeError(
      `count must be at least ${specs.length} (one WorkSpace per edge case), got ${count}`,
    );

  const blueprints: Blueprint[] = [];
  specs.forEach((spec, index) => {
    const random = new SeededRandom(seed, EDGE_CASE_STREAM, index);
    const inRegion = directories.filter((d) => d.region === regions[index % regions.length]);
    blueprints.push({ stream: EDGE_CASE_STREAM, index, random, directory: random.pick(inRegion), spec });
  });
  for (let index = 0; index < count - specs.length; index++)
    blueprints.push(ordinary(seed, WORKSPACE_STREAM, index, directories));
  const extraBlueprints = extras.map(({ stream, index }) => ordinary(seed, stream, index, directories));

  const usedIds = new Set<string>();
  const usedUserNames = new Set<string>();
  const context = { seed, asOf, usedIds, usedUserNames };
  const fleet = blueprints.map((blueprint) => assemble(blueprint, context));
  return {
    fleet: fleet.sort(
      (a, b) =>
        compare(a.workspace.region, b.workspace.region) ||
        compare(a.workspace.directoryId, b.workspace.directoryId) ||
        compare(a.workspace.workspaceId, b.workspace.workspaceId),
    ),
    extras: extraBlueprints.map((blueprint) => assemble(blueprint, context)),
  };
}

function ordinary(seed: number, stream: number, index: number, directories: readonly Directory[]): Blueprint {
  const random = new SeededRandom(seed, stream, index);
  return { stream, index, random, directory: random.pick(directories), spec: undefined };
}

interface AssemblyContext {
  readonly seed: number;
  readonly asOf: Date;
  readonly usedIds: Set<string>;
  readonly usedUserNames: Set<string>;
}

function assemble(blueprint: Blueprint, context: AssemblyContext): SimulatedWorkspace {
  const { random, directory, spec } = blueprint;
  const { seed, asOf } = context;
  const workspaceId = uniqueId(random, context.usedIds);
  const computeType = spec ? spec.computeType : random.weighted(COMPUTE_TYPE_WEIGHTS);
  const operatingSystem = GRAPHICS_COMPUTE_TYPES.has(computeType)
    ? random.pick(['WINDOWS_SERVER_2022', 'WINDOWS_11'])
    : random.weighted(OPERATING_SYSTEM_WEIGHTS);
  const runningMode = spec
    ? spec.runningMode
    : random.chance(0.6)
      ? RunningMode.AUTO_STOP
      : RunningMode.ALWAYS_ON;
  const autoStopTimeoutMinutes = spec ? spec.autoStopTimeoutMinutes : drawTimeout(random, runningMode);
  const userName = spec?.userName ?? uniqueUserName(random, directory.directoryId, context.usedUserNames);
  const tags = spec?.tags ?? drawTags(random);
  const volumes = BUNDLE_VOLUMES[computeType] ?? OTHER_VOLUMES;
  const usage: EdgeCaseUsage = spec ? spec.usage : { archetype: random.weighted(ARCHETYPE_WEIGHTS) };

  let sessions: Interval[];
  if (usage.archetype === UsageArchetype.TARGETED) {
    const threshold = resolveThreshold(thresholdPolicy(), computeType).hours;
    const timeout = idleTimeoutMinutes(
      runningMode,
      autoStopTimeoutMinutes,
      EDGE_CASE_ASSUMED_TIMEOUT_MINUTES,
    );
    const hours = Math.max(0, threshold + usage.hoursOverThreshold);
    sessions = sessionsForBillableHours(hours, timeout, asOf, random);
  } else {
    const monthStart = monthStartUtc(asOf);
    const monthKey = monthStart.getUTCFullYear() * 12 + monthStart.getUTCMonth();
    sessions = cutAt(
      archetypeMonthSessions(
        usage.archetype,
        new SeededRandom(seed, blueprint.stream, blueprint.index, hashText('habits')),
        new SeededRandom(seed, blueprint.stream, blueprint.index, monthKey),
        monthStart.getTime(),
        nextMonthStartUtc(asOf).getTime(),
      ),
      asOf.getTime() - MINUTE_MS,
    );
  }

  const workspace: Workspace = {
    workspaceId,
    account: directory.account,
    region: directory.region,
    directoryId: directory.directoryId,
    userName,
    computerName: `WSAMZN-${random.chars(UPPER_ALNUM, 8)}`,
    computeType,
    runningMode,
    autoStopTimeoutMinutes,
    state: spec?.state ?? stateAt(asOf, runningMode, autoStopTimeoutMinutes, sessions),
    bundleId: bundleId(seed, computeType, operatingSystem),
    operatingSystem,
    rootVolumeSizeGib: operatingSystem.startsWith('WINDOWS') ? volumes.rootGib : 80,
    userVolumeSizeGib: volumes.userGib,
  };
  const faults = spec?.faults && fillFaults(spec.faults, workspace);
  return {
    workspace,
    tags,
    sessions,
    archetype: usage.archetype,
    ...(faults ? { faults } : {}),
    ...(spec ? { edgeCase: spec.edgeCase } : {}),
  };
}

function validated(options: SimulatedFleetOptions) {
  const { seed, asOf } = options;
  const accounts = options.accounts ?? [options.account ?? DEFAULT_SIMULATED_ACCOUNT];
  const count = options.count ?? DEFAULT_SIMULATED_COUNT;
  const regions = options.regions ?? DEFAULT_SIMULATED_REGIONS;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime()))
    throw new RangeError(`asOf must be a valid Date, got ${String(asOf)}`);
  if (accounts.length === 0) throw new RangeError('accounts must name at least one account');
  for (const account of accounts)
    if (!/^\d{12}$/.test(account)) throw new RangeError(`account must be 12 digits, got "${account}"`);
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (regions.length === 0) throw new RangeError('regions must name at least one region');
  for (const region of regions)
    if (!REGION_PATTERN.test(region)) throw new RangeError(`"${region}" is not a region name like us-east-1`);
  if (new Set(regions).size !== regions.length)
    throw new RangeError(`regions must not repeat: ${regions.join(', ')}`);
  return { seed, asOf, accounts, count, regions, edgeCases: options.edgeCases ?? true };
}

// 3 to 5 directories, at least one in every region and one per account; dealt out to the accounts in turn.
function drawDirectories(
  random: SeededRandom,
  regions: readonly string[],
  accounts: readonly string[],
): Directory[] {
  const total = Math.max(regions.length, accounts.length, random.int(3, 5));
  const directories: Directory[] = [];
  for (let i = 0; i < total; i++)
    directories.push({
      account: accounts[i % accounts.length] as string,
      region: regions[i % regions.length] as string,
      directoryId: `d-${random.chars(HEX, 10)}`,
    });
  return directories;
}

function uniqueId(random: SeededRandom, used: Set<string>): string {
  let id: string;
  do id = `ws-${random.chars(LOWER_ALNUM, 9)}`;
  while (used.has(id));
  used.add(id);
  return id;
}

// Directory user names are unique per directory, as in AD; a clash gets a number.
function uniqueUserName(random: SeededRandom, directoryId: string, used: Set<string>): string {
  const base = `${random.pick(FIRST_NAMES)}.${random.pick(LAST_NAMES)}`;
  let name = base;
  for (let n = 2; used.has(`${directoryId}/${name}`); n++) name = `${base}${n}`;
  used.add(`${directoryId}/${name}`);
  return name;
}

function drawTimeout(random: SeededRandom, runningMode: string): number | undefined {
  if (runningMode === RunningMode.AUTO_STOP) return Number(random.weighted(AUTO_STOP_TIMEOUT_WEIGHTS));
  // The service keeps the last AutoStop timeout on some WorkSpaces switched to AlwaysOn.
  return random.chance(0.3) ? 60 : undefined;
}

function drawTags(random: SeededRandom): Record<string, string> {
  const tags: Record<string, string> = {};
  if (random.chance(0.15)) return tags;
  for (const [key, values] of Object.entries(TAG_VALUES))
    if (random.chance(0.6)) tags[key] = random.pick(values);
  return tags;
}

// The same bundle for every WorkSpace of one compute type and operating system.
function bundleId(seed: number, computeType: string, operatingSystem: string): string {
  return `wsb-${new SeededRandom(seed, hashText(`bundle:${computeType}/${operatingSystem}`)).chars(LOWER_ALNUM, 9)}`;
}

/** An AutoStop WorkSpace still inside its idle timeout is running; the rest have stopped. */
function stateAt(
  asOf: Date,
  runningMode: string,
  autoStopTimeoutMinutes: number | undefined,
  sessions: readonly Interval[],
): string {
  if (runningMode !== RunningMode.AUTO_STOP) return 'AVAILABLE';
  const lastEnd = sessions.at(-1)?.end ?? Number.NEGATIVE_INFINITY;
  const timeout = idleTimeoutMinutes(runningMode, autoStopTimeoutMinutes, EDGE_CASE_ASSUMED_TIMEOUT_MINUTES);
  return lastEnd + timeout * MINUTE_MS > asOf.getTime() ? 'AVAILABLE' : 'STOPPED';
}

function cutAt(sessions: readonly Interval[], cut: number): Interval[] {
  const kept: Interval[] = [];
  for (const session of sessions) {
    if (session.start >= cut) break;
    kept.push(session.end > cut ? { start: session.start, end: cut } : session);
  }
  return kept;
}

function fillFaults(faults: SimulatedFaults, workspace: Workspace): SimulatedFaults {
  const fill = (message: string | undefined) =>
    message
      ?.replaceAll('{account}', workspace.account)
      .replaceAll('{region}', workspace.region)
      .replaceAll('{workspaceId}', workspace.workspaceId);
  const filled: { tags?: string; usage?: string; modify?: string } = {};
  for (const key of ['tags', 'usage', 'modify'] as const) {
    const message = fill(faults[key]);
    if (message !== undefined) filled[key] = message;
  }
  return filled;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
