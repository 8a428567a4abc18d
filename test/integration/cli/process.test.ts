import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runProcess, WCO_COMMAND } from '../../helpers/cli.js';

/** A process environment with nothing of AWS's or the test runner's in it. */
const bareEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/root',
  ...extra,
});

let demoOut: string;

beforeAll(async () => {
  demoOut = join(await mkdtemp(join(tmpdir(), 'wco-process-')), 'out');
  const demo = await runCli([
    'run',
    '--demo',
    '--apply',
    '--out',
    demoOut,
    '--as-of',
    '2026-11-30T23:00:00Z',
  ]);
  expect(demo.code).toBe(0);
});

describe('Process: wco in a terminal and in pipes', () => {
  it('ends on a terminal of width 0 (stty cols 0) with no spinner, instead of drawing forever', async () => {
    // Arrange: a real pseudo-terminal, 0 columns wide.
    const out = join(await mkdtemp(join(tmpdir(), 'wco-tty-')), 'out');
    const line = [...WCO_COMMAND, 'run', '--demo', '--out', out, '--as-of', '2026-11-30T23:00:00Z'].join(' ');

    // Act
    const run = await runProcess(['script', '-qec', `stty cols 0; ${line}`, '/dev/null'], {
      env: bareEnv({ TERM: 'xterm' }),
      timeoutMs: 90_000,
    });

    // Assert
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('WorkSpaces seen: 200');
    expect(run.stdout.length).toBeLessThan(20_000);
  }, 120_000);

  it('ends quietly when the reader of its output leaves early (wco audit | head -1)', async () => {
    // Act: the audit trail of a month of simulated logins is far more than a pipe holds.
    const run = await runProcess(
      [
        'bash',
        '-c',
        '"$@" | head -1; exit "${PIPESTATUS[0]}"',
        'bash',
        ...WCO_COMMAND,
        'audit',
        '--out',
        demoOut,
      ],
      { env: bareEnv() },
    );

    // Assert
    expect(run.timedOut).toBe(false);
    expect(run.stdout).toMatch(/^TIME\s+KIND\s+WORKSPACE/);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('Process: AWS errors a person can act on', () => {
  it('without credentials: one line naming the credential chain, exit 2, and no Node version notice', async () => {
    // Act
    const run = await runProcess(
      [...WCO_COMMAND, 'report', '--month', '2026-11', '--from', 's3://wco-no-such'],
      {
        env: bareEnv({
          AWS_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/nonexistent/config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
          AWS_EC2_METADATA_DISABLED: 'true',
        }),
      },
    );

    // Assert
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^wco: no AWS credentials \(.*\): wco uses the SDK's default chain: AWS_ACCESS_KEY_ID/,
      ),
    ]);
    expect(run.stderr).not.toContain('NodeVersionSupportWarning');
  });
});
