import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import type { EmulatedRegion, EmulatedSession, EmulatedWorkspace } from '../test/emulator/emulator.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface SyntheticFleetOptions {
  readonly workspaces: number;
  readonly directoriesPerRegion: number;
  readonly regions: readonly string[];
  readonly asOf: Date;
  readonly seed?: number;
}

/**
 * A deterministic fleet shaped like a real one: three in four WorkSpaces
 * AutoStop, most of the rest AlwaysOn, a few MANUAL; usage from idle to
 * all-day on working days (some spill over from last month); a third tagged,
 * a few exempt; some 2-hour idle timeouts and a few 90-minute ones.
 */
export function syntheticFleet(options: SyntheticFleetOptions): Record<string, EmulatedRegion> {
  const rng = xoroshiro128plus(options.seed ?? 42);
  const int = (min: number, max: number) => unsafeUniformIntDistribution(min, max, rng);
  const computeTypes = ['VALUE', 'STANDARD', 'STANDARD', 'PERFORMANCE', 'POWER', 'POWERPRO', 'GRAPHICS_G4DN'];
  const monthStart = Date.UTC(options.asOf.getUTCFullYear(), options.asOf.getUTCMonth(), 1);
  const regions: Record<string, EmulatedRegion> = {};
  const directoryIds = options.regions.flatMap((region, r) =>
    Array.from({ length: options.directoriesPerRegion }, (_, d) => ({
      region,
      directoryId: `d-${String(r * 100 + d).padStart(10, '0')}`,
    })),
  );
  for (const { region, directoryId } of directoryIds) {
    regions[region] ??= { directories: [], workspaces: [] };
    regions[region].directories.push({ directoryId });
  }

  for (let n = 0; n < options.workspaces; n += 1) {
    const { region, directoryId } = directoryIds[n % directoryIds.length]!;
    const roll = int(0, 99);
    const runningMode = roll < 74 ? 'AUTO_STOP' : roll < 98 ? 'ALWAYS_ON' : 'MANUAL';
    const timeoutRoll = int(0, 19);
    const autoStopTimeoutMinutes = timeoutRoll === 0 ? 90 : timeoutRoll < 4 ? 120 : 60;
    const hoursPerDay = [0, 1, 2, 3, 4, 6, 8, 10][int(0, 7)]!;
    const sessions: EmulatedSession[] = [];
    // From the last days of the previous month up to the as-of time, weekdays only.
    for (let day = monthStart - 3 * DAY_MS; day < options.asOf.getTime(); day += DAY_MS) {
      const weekday = new Date(day).getUTCDay();
      if (hoursPerDay === 0 || weekday === 0 || weekday === 6) continue;
      const start = day + int(6, 10) * HOUR_MS + int(0, 59) * 60_000;
      const end = Math.min(start + hoursPerDay * HOUR_MS + int(0, 59) * 60_000, options.asOf.getTime());
      if (end > start) sessions.push({ start, end });
    }
    const tagRoll = int(0, 99);
    const tags: Record<string, string> =
      tagRoll < 3 ? { Skip_Convert: '' } : tagRoll < 33 ? { CostCenter: String(int(100, 999)) } : {};
    const workspace: EmulatedWorkspace = {
      workspaceId: `ws-${n.toString(36).padStart(9, '0')}`,
      directoryId,
      userName: `user${n}`,
      computerName: `WSAMZN-${n}`,
      state: int(0, 49) === 0 ? 'STOPPED' : 'AVAILABLE',
      runningMode,
      autoStopTimeoutMinutes: runningMode === 'AUTO_STOP' ? autoStopTimeoutMinutes : undefined,
      computeType: computeTypes[int(0, computeTypes.length - 1)]!,
      bundleId: 'wsb-bench',
      operatingSystem: 'WINDOWS_SERVER_2022',
      rootVolumeSizeGib: 80,
      userVolumeSizeGib: 50,
      tags,
      sessions,
    };
    regions[region]!.workspaces.push(workspace);
  }
  return regions;
}
