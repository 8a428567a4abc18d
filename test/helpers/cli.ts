import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { clearLine, cursorTo, moveCursor } from 'node:readline';
import { main } from '../../src/cli/wco.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `wco` in-process with captured output, the given environment and a fixed clock (default the morning after November 2026, the month the tests evaluate). */
export async function runCli(
  argv: string[],
  options: { env?: Record<string, string | undefined>; now?: Date } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const code = await main(argv, {
    stdout,
    stderr,
    env: options.env ?? {},
    now: () => options.now ?? new Date('2026-12-01T06:00:00Z'),
  });
  return { code, stdout: out, stderr: err };
}

/** A stream that passes for a terminal `columns` wide (what ora needs to draw), recording what is drawn. */
export function fakeTerminal(
  columns: number,
): PassThrough & { isTTY: true; columns: number; drawn: () => string } {
  const stream = new PassThrough();
  let drawn = '';
  stream.on('data', (chunk: Buffer) => (drawn += chunk.toString('utf8')));
  return Object.assign(stream, {
    isTTY: true as const,
    columns,
    drawn: () => drawn,
    cursorTo: (x: number) => cursorTo(stream, x),
    moveCursor: (dx: number, dy: number) => moveCursor(stream, dx, dy),
    clearLine: (direction: -1 | 0 | 1) => clearLine(stream, direction),
  });
}

/** The checkout's root, where `src/cli/wco.ts` is. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `node --import tsx src/cli/wco.ts`: the command line of `wco` as a process, from this checkout. */
export const WCO_COMMAND = [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'src/cli/wco.ts')] as const;

/**
 * Runs a command line as a process with `env` (nothing inherited), killed
 * after `timeoutMs`: `timedOut` then says so instead of the test hanging.
 */
export async function runProcess(
  command: readonly string[],
  options: { env: Record<string, string | undefined>; timeoutMs?: number; cwd?: string },
): Promise<CliRun & { timedOut: boolean }> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? -1)));
  clearTimeout(timer);
  return { code, stdout, stderr, timedOut };
}
