import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, 'memory-child.ts');
/**
 * The heap a run gets here. A run that holds its region (every WorkSpace with
 * its month of samples, ~3 KB each) needs ~240 MB at 80,000 WorkSpaces; a
 * streaming run holds a batch and its directories' rows, whatever the fleet.
 */
const HEAP_MIB = 96;
const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function runCapped(mode: 'streaming' | 'whole-region', workspaces: number) {
  const folder = await mkdtemp(join(tmpdir(), 'wco-memory-'));
  folders.push(folder);
  return run(
    process.execPath,
    [`--max-old-space-size=${HEAP_MIB}`, '--import', 'tsx', CHILD, mode, String(workspaces), folder],
    { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
  ).then(
    ({ stdout }) => ({
      ok: true as const,
      result: JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>,
    }),
    (error: { code?: number; signal?: string; stderr?: string }) => ({ ok: false as const, error }),
  );
}

// Nothing here is timed: the assertion is that the run completes under the cap.
describe(`A run in a process whose heap is capped at ${HEAP_MIB} MiB`, () => {
  it.each([20_000, 80_000])(
    'streams %i WorkSpaces to the end',
    async (workspaces) => {
      // Act
      const outcome = await runCapped('streaming', workspaces);

      // Assert
      expect(outcome.ok ? undefined : outcome.error.stderr).toBeUndefined();
      expect(outcome.ok && outcome.result).toEqual({ workspaces, writeFailures: 0, reportKeys: 16 + 1 });
    },
    600_000,
  );

  it('runs out of memory at 80,000 WorkSpaces when each region is read at once, as runs did before', async () => {
    // Act
    const outcome = await runCapped('whole-region', 80_000);

    // Assert
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.stderr).toMatch(/heap out of memory/);
  }, 600_000);
});
