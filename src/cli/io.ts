import { errorDisposition, ErrorDisposition } from '../shared/errors.js';
/** What a command needs from its process, injectable so tests run commands in-process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  /** `columns`: the terminal's width, when stderr is one (0 or absent: unknown). */
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The wall clock, read only here at the edge (the default `--as-of`). */
  readonly now: () => Date;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, now: () => new Date() };
}

/** Exit codes: 0 done, 1 the run failed (a write, or part of the fleet unreadable), 2 bad input. */
export const ExitCode = { OK: 0, RUN_FAILED: 1, USAGE: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code of an error that ended a command: 2 for bad input (see `errorDisposition`), 1 otherwise. */
export function exitCodeFor(error: unknown): ExitCode {
  return errorDisposition(error) === ErrorDisposition.BAD_INPUT ? ExitCode.USAGE : ExitCode.RUN_FAILED;
}
