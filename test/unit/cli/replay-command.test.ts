import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { progressBar } from '../../../src/cli/progress-bar.js';
import { runCli } from '../../helpers/cli.js';
import { filesUnder } from '../../helpers/files.js';

let workdir: string;
/** The tests' "now": the default period is then 2026-08 to 2026-10. */
const now = new Date('2026-11-20T06:00:00Z');

beforeEach(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'wco-replay-'));
});

describe('Command: wco replay --demo', () => {
  it('replays the last three complete months by default, prints the comparison and writes it', async () => {
    // Arrange
    const out = join(workdir, 'out');

    // Act
    const run = await runCli(['replay', '--demo', '--count', '24', '--policy', 'forecast', '--out', out], {
      now,
    });

    // Assert
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'wco replay of 2026-08 to 2026-10 on the simulated fleet (seed 42): 92 runs daily at 23:00 UTC',
    );
    expect(run.stdout).toMatch(
      /^month +policy +WorkSpaces +cost +saved vs as is +captured +regret +conversions$/m,
    );
    expect(run.stdout).toMatch(/^TOTAL +wco +\d+ +USD [\d,]+\.\d\d/m);
    expect(run.stdout).toMatch(
      /wco's rules captured \d+\.\d % of the achievable savings: USD [\d,.]+ of USD [\d,.]+/,
    );
    expect(run.stdout).toMatch(
      /The forecast policy captured \d+\.\d %: it (beats the contract's rules by|costs) USD/,
    );
    // Nothing but the replay's own reports: no ledger, no daily report, no audit.
    expect(await filesUnder(out)).toEqual([
      'reports/replay/2026-08_2026-10/replay.csv',
      'reports/replay/2026-08_2026-10/replay.html',
    ]);
    const csv = await readFile(join(out, 'reports/replay/2026-08_2026-10/replay.csv'), 'utf8');
    expect(csv.split('\r\n').filter((line) => line !== '')).toHaveLength(1 + 4 * 4);
  });

  it('replays the months given, hourly when asked', async () => {
    const out = join(workdir, 'out');
    const run = await runCli(
      ['replay', '--demo', '--count', '24', '--from', '2026-02', '--to', '2026-02', '--hourly', '--out', out],
      { now },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'wco replay of 2026-02 to 2026-02 on the simulated fleet (seed 42): 672 runs hourly',
    );
    expect(await filesUnder(out)).toEqual([
      'reports/replay/2026-02_2026-02/replay.csv',
      'reports/replay/2026-02_2026-02/replay.html',
    ]);
  });
});

describe('Command: wco replay, bad input', () => {
  it.each([
    [['--demo', '--from', '2026-13'], '--from'],
    [['--demo', '--to', 'November'], '--to'],
    [['--demo', '--from', '2026-10', '--to', '2026-09'], '--from must not be after --to'],
    [['--demo', '--from', '2024-01', '--to', '2026-01'], 'at most 15 months'],
    [['--demo', '--hour', '24'], '--hour'],
    [['--demo', '--hour', '5', '--hourly'], '--hourly'],
    [['--demo', '--policy', 'magic'], '--policy'],
    [['--demo', '--count', '5'], '--count'],
    [
      ['--demo', '--regions', 'us-east-1'],
      '--demo replays the simulated fleet: --regions is for AWS runs only',
    ],
    [['--demo', '--bucket', 'my-reports', '--price-list'], '--bucket, --price-list are for AWS runs only'],
    [['--demo', '--organization'], '--demo replays the simulated fleet: --organization is for AWS runs only'],
    [
      ['--regions', 'us-east-1', '--accounts', '111111111111'],
      'wco replay reads one account, the one of its credentials: --accounts is for wco run only',
    ],
    [
      ['--regions', 'us-east-1', '--organization-unit', 'ou-ab12-cdef3456', '--member-role', 'WcoMember'],
      '--organization-unit, --member-role are for wco run only',
    ],
    [['--from', '2026-09'], 'set --regions or AWS_REGION'],
    [['--demo', '--threshold', 'STANDARD=800'], '--threshold'],
    [['--regions', 'us-east-1', '--seed', '3'], '--seed'],
    [['--regions', 'us-east-1', '--to', '2026-11'], '--to: a real fleet is replayed over complete months'],
    [
      ['--regions', 'us-east-1', '--from', '2025-06', '--to', '2025-07'],
      '--from: CloudWatch keeps hourly usage 455 days; start at 2025-09',
    ],
  ])('exits 2 for %j naming %s, and writes nothing', async (args, named) => {
    const run = await runCli(['replay', ...args, '--out', join(workdir, 'out')], { now });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(named);
    expect(run.stdout).toBe('');
    expect(await filesUnder(workdir)).toEqual([]);
  });
});

describe('Command: wco replay, one account', () => {
  it("does not offer wco run's account options in its help, where wco run does", async () => {
    const replayHelp = await runCli(['replay', '--help'], { now });
    const runHelp = await runCli(['run', '--help'], { now });
    expect(replayHelp.code).toBe(0);
    // Help wraps its lines at the terminal's width.
    expect(replayHelp.stdout.replace(/\s+/g, ' ')).toContain("in the credentials' own account");
    expect(replayHelp.stdout).not.toMatch(/--accounts|--organization|--member-role|--external-id/);
    expect(runHelp.stdout).toMatch(/--accounts <list>[\s\S]*--organization[\s\S]*--external-id <id>/);
  });
});

describe('Command: wco replay, warnings', () => {
  it('warns of a threshold for a compute type wco does not know, and replays with it', async () => {
    const out = join(workdir, 'out');
    const run = await runCli(
      [
        'replay',
        '--demo',
        '--count',
        '24',
        '--from',
        '2026-10',
        '--to',
        '2026-10',
        '--threshold',
        'STANDRD=90',
        '--out',
        out,
      ],
      { now },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'wco: warning: --threshold: STANDRD is not a WorkSpaces compute type wco knows',
    );
    expect(run.stdout).toContain('wco replay of 2026-10 to 2026-10');
  });
});

describe('progressBar', () => {
  const terminal = (columns: number | undefined, isTTY: boolean) => {
    const stream = Object.assign(new PassThrough(), { isTTY, columns });
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
    return { stream, written: () => written };
  };

  it('draws in place at a terminal, within its width, and clears the line when done', () => {
    const { stream, written } = terminal(60, true);
    const bar = progressBar({ stderr: stream, env: {} }, 92)!;
    bar.update(46, 'wco 2026-09-15');
    bar.stop();
    const [drawn] = written()
      .split('\r')
      .filter((part) => part !== '');
    const clearToEnd = '\u001b[K';
    expect(drawn!.endsWith(clearToEnd)).toBe(true);
    const line = drawn!.slice(0, -clearToEnd.length);
    expect(line).toMatch(/^\[#+-+\] 46\/92 {2}wco 2026-09-15$/);
    expect(line.length).toBeLessThan(60);
    expect(written().endsWith('\r\u001b[K')).toBe(true);
  });

  it('draws nothing into a pipe, at a terminal that reports no width, in a CI log', () => {
    expect(progressBar({ stderr: terminal(80, false).stream, env: {} }, 10)).toBeUndefined();
    expect(progressBar({ stderr: terminal(undefined, true).stream, env: {} }, 10)).toBeUndefined();
    expect(progressBar({ stderr: terminal(0, true).stream, env: {} }, 10)).toBeUndefined();
    expect(progressBar({ stderr: terminal(80, true).stream, env: { CI: 'true' } }, 10)).toBeUndefined();
  });
});
