import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { drawsInPlace } from '../../../src/cli/progress-bar.js';
import { main } from '../../../src/cli/wco.js';
import { fakeTerminal, runCli } from '../../helpers/cli.js';
import { filesUnder } from '../../helpers/files.js';

let workdir: string;
const PRICE_HEADER =
  'region,compute_type,os,licence,root_gib,user_gib,alwayson_monthly,autostop_monthly_fee,autostop_hourly,currency';

beforeEach(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'wco-cli-'));
});

describe('Command: wco run --demo, bad input', () => {
  it.each([
    [['--as-of', 'yesterday'], '--as-of'],
    [['--as-of', '2026-13-45T00:00:00Z'], '--as-of'],
    [['--as-of', '2026-11-30T23:00:00'], '--as-of'],
    [['--threshold', 'STANDARD=-5'], '--threshold'],
    [['--threshold', 'STANDARD=lots'], '--threshold'],
    [['--threshold', 'STANDARD'], '--threshold'],
    [['--default-threshold', '-1'], '--default-threshold'],
    [['--default-threshold', 'abc'], '--default-threshold'],
    [['--assumed-timeout', '45'], '--assumed-timeout'],
    [['--seed', '-3'], '--seed'],
    [['--frobnicate'], 'unknown option'],
  ])('exits 2 for %j with a message naming %s, and writes nothing', async (args, named) => {
    const out = join(workdir, 'out');
    const run = await runCli(['run', '--demo', '--out', out, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(named);
    expect(run.stdout).toBe('');
    expect(await filesUnder(workdir)).toEqual([]);
  });

  it('lists every bad setting at once', async () => {
    const run = await runCli([
      'run',
      '--demo',
      '--out',
      join(workdir, 'out'),
      '--as-of',
      'x',
      '--default-threshold',
      'y',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--as-of');
    expect(run.stderr).toContain('--default-threshold');
  });

  it('exits 2 when the output folder is not writable (a file stands in the way), and writes nothing', async () => {
    const blocker = join(workdir, 'blocker');
    await writeFile(blocker, 'not a folder');
    const run = await runCli(['run', '--demo', '--out', join(blocker, 'reports')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--out');
    expect(await filesUnder(workdir)).toEqual(['blocker']);
  });

  it.each([
    [
      'a row with the AlwaysOn price below the fee',
      'prices.csv',
      `${PRICE_HEADER}\nus-east-1,STANDARD,WINDOWS,INCLUDED,80,50,9.75,35,0.30,USD\n`,
      'line 2: alwayson_monthly 9.75 is below autostop_monthly_fee 35',
    ],
    [
      'a header and no rows',
      'prices.csv',
      `${PRICE_HEADER}\n`,
      'prices.csv is not valid:\n  has no price rows',
    ],
    ['no prices', 'prices.json', '{"prices":[]}', 'prices.json is not valid:\n  has no price rows'],
  ])(
    'exits 2 for a price file with %s, naming the line or the file, and writes nothing',
    async (_, name, body, named) => {
      const file = join(workdir, name);
      await writeFile(file, body);
      const run = await runCli(['run', '--demo', '--out', join(workdir, 'out'), '--prices', file]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(named);
      expect(await filesUnder(workdir)).toEqual([name]);
    },
  );

  it.runIf(existsSync('/proc/self'))(
    'exits 2 at once for an output folder the file system refuses although its parent exists (/proc/nope)',
    async () => {
      const run = await runCli(['run', '--demo', '--out', '/proc/nope', '--as-of', '2026-11-30T23:00:00Z']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--out: cannot write reports under /proc/nope');
      expect(run.stdout).toBe('');
    },
  );

  it('takes back the folders it made when the probe write fails', async () => {
    const readOnly = join(workdir, 'read-only');
    await mkdir(readOnly);
    await chmod(readOnly, 0o500);
    const run = await runCli(['run', '--demo', '--out', join(readOnly, 'a', 'b')]);
    await chmod(readOnly, 0o700);
    // As root the folders can be made, and then the probe write succeeds: nothing to refuse.
    if (process.getuid?.() === 0) expect(run.code).toBe(0);
    else {
      expect(run.code).toBe(2);
      expect(await readdir(readOnly)).toEqual([]);
    }
  });

  it.each([{}, { AWS_REGION: '' }, { AWS_REGION: '  ' }])(
    'exits 2 for an AWS run without a region (env %j), saying what to set',
    async (env) => {
      const run = await runCli(['run', '--out', join(workdir, 'out')], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('wco: set --regions or AWS_REGION\n');
    },
  );

  it('exits 2 for an AWS run without a report destination', async () => {
    const run = await runCli(['run', '--regions', 'us-east-1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--bucket');
  });
});

describe('Command: wco run --demo', () => {
  it('writes the per-directory and aggregated reports with one row per simulated WorkSpace', async () => {
    const out = join(workdir, 'out');
    const run = await runCli([
      'run',
      '--demo',
      '--out',
      out,
      '--seed',
      '7',
      '--as-of',
      '2026-11-30T23:00:00Z',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const files = await filesUnder(out);
    const daily = files.filter((file) => file.startsWith('reports/daily/2026/11/30/'));
    expect(daily).toContain('reports/daily/2026/11/30/aggregated.csv');
    expect(files).toContain('reports/monthly/2026-11/aggregated.csv');
    const perDirectory = daily.filter((file) => !file.endsWith('aggregated.csv') && file.endsWith('.csv'));
    expect(daily).toContain('reports/daily/2026/11/30/run-summary.json');
    expect(perDirectory.length).toBeGreaterThanOrEqual(3);
    for (const file of perDirectory)
      expect(file).toMatch(/^reports\/daily\/2026\/11\/30\/\d{12}_[a-z]+-[a-z]+-\d_d-[0-9a-f]{10}\.csv$/);

    const aggregated: string[][] = parse(
      await readFile(join(out, 'reports/daily/2026/11/30/aggregated.csv'), 'utf8'),
    );
    const rows = aggregated.slice(1);
    const perDirectoryRows = (
      await Promise.all(
        perDirectory.map(async (file) => parse(await readFile(join(out, file), 'utf8')).length - 1),
      )
    ).reduce((a: number, b: number) => a + b, 0);
    expect(new Set(rows.map((row) => row[0])).size).toBe(rows.length);
    expect(perDirectoryRows).toBe(rows.length);
    expect(run.stdout).toContain(`WorkSpaces seen: ${rows.length}`);
    expect(run.stdout).toContain('DRY RUN');
    // Dry run: nothing changes mode.
    expect(rows.every((row) => row[7] === row[8])).toBe(true);
    expect(rows.some((row) => row[14] === 'DRY_RUN')).toBe(true);
  });

  it('warns about compute types it has no threshold for, instead of deciding them at 82 silently', async () => {
    const run = await runCli([
      'run',
      '--demo',
      '--out',
      join(workdir, 'out'),
      '--as-of',
      '2026-11-30T23:00:00Z',
    ]);
    expect(run.code).toBe(0);
    // The simulated fleet's UNKNOWN_COMPUTE_TYPE and EMPTY_COMPUTE_TYPE edge cases
    expect(run.stdout).toContain(
      'Warning: wco has no threshold for 2 compute type(s); decided by the default (set --threshold TYPE=HOURS, or give prices):\n' +
        '  (none reported): 1 WorkSpace(s) at 82 h\n' +
        '  GRAPHICS_G7_2XLARGE: 1 WorkSpace(s) at 82 h\n',
    );
    const overridden = await runCli([
      'run',
      '--demo',
      '--out',
      join(workdir, 'again'),
      '--as-of',
      '2026-11-30T23:00:00Z',
      '--threshold',
      'GRAPHICS_G7_2XLARGE=300',
    ]);
    expect(overridden.stdout).toContain('no threshold for 1 compute type(s)');
    expect(overridden.stdout).not.toContain('GRAPHICS_G7_2XLARGE:');
  });

  it('is reproducible: the same seed and as-of give the same bytes', async () => {
    const args = ['run', '--demo', '--seed', '11', '--as-of', '2026-11-18T06:00:00Z'];
    await runCli([...args, '--out', join(workdir, 'a')]);
    await runCli([...args, '--out', join(workdir, 'b')]);
    const key = 'reports/daily/2026/11/18/aggregated.csv';
    expect(await readFile(join(workdir, 'a', key), 'utf8')).toBe(
      await readFile(join(workdir, 'b', key), 'utf8'),
    );
  });

  it('applies conversions to the simulated fleet with --apply', async () => {
    const out = join(workdir, 'out');
    const run = await runCli(['run', '--demo', '--apply', '--out', out, '--as-of', '2026-11-30T23:00:00Z']);
    const rows: string[][] = parse(
      await readFile(join(out, 'reports/daily/2026/11/30/aggregated.csv'), 'utf8'),
    );
    const applied = rows.filter((row) => row[14] === 'APPLIED');
    expect(applied.length).toBeGreaterThan(0);
    for (const row of applied) expect(row[8]).not.toBe(row[7]);
    expect(run.stdout).toContain('APPLY');
  });

  it('leaves an audit trail that wco audit reads: logins of the simulated sessions, conversions (applied and failed) and the run', async () => {
    const out = join(workdir, 'out');
    await runCli(['run', '--demo', '--apply', '--out', out, '--as-of', '2026-11-30T23:00:00Z']);
    const audit = await runCli(['audit', '--out', out, '--format', 'json']);
    expect(audit.code).toBe(0);
    const records: { kind: string; workspaceId?: string }[] = JSON.parse(audit.stdout);
    const kinds = new Set(records.map((record) => record.kind));
    expect([...kinds].sort()).toEqual(['conversion', 'conversion_failed', 'login', 'run']);
    // The conversion an SCP refused is in the trail with its AWS error.
    const dailyRows: Record<string, string>[] = parse(
      await readFile(join(out, 'reports/daily/2026/11/30/aggregated.csv'), 'utf8'),
      { columns: true },
    );
    const failedRows = dailyRows.filter((row) => row.outcome === 'FAILED');
    expect(records.filter((record) => record.kind === 'conversion_failed')).toEqual(
      failedRows.map((row) =>
        expect.objectContaining({ workspaceId: row.workspace_id, error: row.attention_detail, attempt: 1 }),
      ),
    );
    const aggregated: string[][] = parse(
      await readFile(join(out, 'reports/daily/2026/11/30/aggregated.csv'), 'utf8'),
    );
    const applied = aggregated
      .filter((row) => row[14] === 'APPLIED')
      .map((row) => row[0])
      .sort();
    const converted = records
      .filter((record) => record.kind === 'conversion')
      .map((record) => record.workspaceId)
      .sort();
    expect(converted).toEqual(applied);
  });
});

describe('Function: drawsInPlace (the run spinner, the replay progress bar)', () => {
  const tty = (columns: number | undefined) =>
    Object.assign(new PassThrough(), { isTTY: true, ...(columns === undefined ? {} : { columns }) });

  it.each([
    ['a terminal 80 wide', tty(80), {}, true],
    ['a terminal of width 0 (stty cols 0)', tty(0), {}, false],
    ['a terminal of unknown width', tty(undefined), {}, false],
    ['a pipe', new PassThrough(), {}, false],
    ['a CI log', tty(80), { CI: 'true' }, false],
    ['a dumb terminal', tty(80), { TERM: 'dumb' }, false],
  ])('on %s', (_name, stderr, env, shows) => {
    expect(drawsInPlace({ stderr, env })).toBe(shows);
  });

  it('draws on a terminal and still ends the run with its summary on stdout', async () => {
    const stderr = fakeTerminal(80);
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const code = await main(
      ['run', '--demo', '--out', join(workdir, 'out'), '--as-of', '2026-11-30T23:00:00Z'],
      { stdout, stderr, env: {}, now: () => new Date('2026-12-01T04:00:00Z') },
    );
    expect(code).toBe(0);
    expect(out).toContain('WorkSpaces seen: 200');
    expect(stderr.drawn()).toContain('Reading the fleet');
  });
});

describe('Command: wco --version, wco run --json and run-summary.json', () => {
  it("prints wco's version, the one in package.json", async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${pkg.version}\n`);
  });

  it('prints the run summary as JSON only, the same document it writes next to the reports', async () => {
    // Act
    const out = join(workdir, 'out');
    const run = await runCli(['run', '--demo', '--out', out, '--as-of', '2026-11-30T23:00:00Z', '--json']);

    // Assert
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      exitCode: 0,
      asOf: '2026-11-30T23:00:00.000Z',
      dryRun: true,
      monthEnd: true,
      workspaces: 200,
      writeFailures: [],
    });
    expect(summary.wcoVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(summary.reportKeys).toContain('reports/daily/2026/11/30/run-summary.json');
    expect(await readFile(join(out, 'reports/daily/2026/11/30/run-summary.json'), 'utf8')).toBe(run.stdout);
  });

  it('fails the run (exit 1) when run-summary.json cannot be written, and says so', async () => {
    // Arrange: a folder where the file should go
    const out = join(workdir, 'out');
    await mkdir(join(out, 'reports/daily/2026/11/30/run-summary.json'), { recursive: true });

    // Act
    const run = await runCli(['run', '--demo', '--out', out, '--as-of', '2026-11-30T23:00:00Z']);

    // Assert
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/WRITE FAILURES: 1\n {2}\S+run-summary\.json: /);
  });
});

describe('Command: wco run --demo without --as-of', () => {
  it("evaluates the last complete month's month-end run, and says which time it used", async () => {
    const out = join(workdir, 'out');
    const run = await runCli(['run', '--demo', '--out', out], { now: new Date('2027-03-01T02:17:00Z') });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Demo without --as-of: the month-end run of the last complete month, 2027-02-28T23:00:00\.000Z/,
    );
    expect(run.stdout).toContain('wco run as of 2027-02-28T23:00:00.000Z (month end)');
    expect(run.stdout).toMatch(/to AUTO_STOP +[1-9]/);
  });
});

describe('Command: wco run --verbose', () => {
  it('lists every decision that is not NONE in a dry run, with its reason, and the unreadable WorkSpaces', async () => {
    // Act
    const out = join(workdir, 'out');
    const run = await runCli([
      'run',
      '--demo',
      '--out',
      out,
      '--as-of',
      '2026-11-30T23:00:00Z',
      '--verbose',
      '--json',
    ]);

    // Assert
    const summary = JSON.parse(run.stdout);
    const rows: Record<string, string>[] = parse(
      await readFile(join(out, 'reports/daily/2026/11/30/aggregated.csv'), 'utf8'),
      { columns: true },
    );
    const decided = rows.filter((row) => row.action !== 'NONE');
    expect(decided.length).toBe(summary.workspaces - summary.actions.NONE);
    const lines = run.stderr.split('\n').filter((line) => /workspaceId=/.test(line) && / action=/.test(line));
    const logged = lines.filter((line) => !line.includes('projected to cost more'));
    expect(logged).toHaveLength(decided.length);
    for (const row of decided)
      expect(logged).toContainEqual(
        expect.stringContaining(
          `workspaceId=${row.workspace_id} region=${row.region} action=${row.action} reason=${row.reason} outcome=${row.outcome}`,
        ),
      );
    expect(logged.filter((line) => line.startsWith('info  would convert (dry run)'))).toHaveLength(
      summary.outcomes.DRY_RUN,
    );
    expect(logged).toContainEqual(
      expect.stringMatching(/^warn {2}not evaluated .*reason=METRICS_UNAVAILABLE .*error=usage: /),
    );
    expect(logged).toContainEqual(
      expect.stringMatching(/^info {2}skipped .*reason=TAGS_UNAVAILABLE .*error=tags: /),
    );
  });
});
