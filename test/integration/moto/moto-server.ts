import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How the machine image provides moto: its pyenv `python3` (Debian's has none). */
export const MOTO_COMMAND = ['python3', '-m', 'moto.server'] as const;
const READY_WITHIN_MS = 30_000;

export interface MotoServer {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  /** Forgets every resource of every account (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts moto's server on a free loopback port and waits until it answers.
 * Without moto (or python3) it throws, saying so loudly: the suite fails
 * rather than passing without the checks it exists for.
 */
export async function startMoto(command: readonly string[] = MOTO_COMMAND): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    command[0]!,
    [...command.slice(1), '-H', '127.0.0.1', '-p', String(port)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-4000)));
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  const missing = (why: string) =>
    new Error(
      `MOTO IS MISSING: \`${command.join(' ')}\` ${why}. The moto suite checks wco against an AWS emulator ` +
        `nobody here wrote; it needs moto 5 in the machine image's pyenv python3 (pip install 'moto[server]').\n${log}`,
    );
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (spawnError) throw missing(`could not start (${spawnError.message})`);
    if (child.exitCode !== null) throw missing(`exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw missing(`did not answer within ${READY_WITHIN_MS / 1000} s`);
    }
    await sleep(50);
  }
  return {
    endpoint,
    async reset() {
      const answer = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!answer.ok) throw new Error(`moto reset answered HTTP ${answer.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      // A server busy in a long request ignores SIGTERM.
      if ((await Promise.race([exited.then(() => true), sleep(3_000).then(() => false)])) === false) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
