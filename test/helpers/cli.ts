import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/wco.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `wco` in-process with captured output, a fixed clock and the given environment. */
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
    now: () => options.now ?? new Date('2026-11-20T12:00:00Z'),
  });
  return { code, stdout: out, stderr: err };
}
