import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalFolderStore } from '../../../src/store/local-folder-store.js';
import { runNovember } from '../../helpers/month-fixture.js';
import { runCli } from '../../helpers/cli.js';
import { filesUnder } from '../../helpers/files.js';

let workdir: string;

beforeEach(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'wco-report-'));
});

describe('Command: wco report', () => {
  it('regenerates the month-end summary from the stored daily reports', async () => {
    // Arrange: November's runs wrote reports and the summary; finance lost the summary
    const out = join(workdir, 'out');
    await runNovember(new LocalFolderStore(out));
    const csvPath = join(out, 'reports/monthly/2026-11/summary.csv');
    const htmlPath = join(out, 'reports/monthly/2026-11/summary.html');
    const [csv, html] = [await readFile(csvPath, 'utf8'), await readFile(htmlPath, 'utf8')];
    await rm(csvPath);
    await rm(htmlPath);
    // Act
    const run = await runCli(['report', '--month', '2026-11', '--out', out]);
    // Assert
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await readFile(csvPath, 'utf8')).toBe(csv);
    expect(await readFile(htmlPath, 'utf8')).toBe(html);
    // Two figures, never added: ws-heavy's 9.22 this month; from December ws-heavy and ws-idle-on
    expect(run.stdout).toContain('saved this month USD 9.22');
    expect(run.stdout).toContain('saves per month from next month on USD 51.00');
    expect(run.stdout).toContain(`wrote ${csvPath}`);
  });

  it.each([
    [['--month', 'November'], '--month'],
    [['--month', '2026-13'], '--month'],
    [['--month', '2026-11', '--from', 'bucket-name'], '--from'],
    [['--month', '2026-11', '--from', 's3://b/c', '--out', 'x'], 'either --from'],
    [[], "required option '--month"],
  ])('exits 2 for %j naming %s', async (args, named) => {
    const run = await runCli(['report', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(named);
  });

  it('exits 2 for a month without reports, saying so in words, and writes nothing', async () => {
    const run = await runCli(['report', '--month', '2026-10', '--out', workdir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `wco: no reports for 2026-10 under ${join(workdir, 'reports')}/ (wco run writes them)\n`,
    );
    expect(await filesUnder(workdir)).toEqual([]);
  });

  it('reads ./out by default, as wco audit and wco ledger do', async () => {
    // Arrange: November's reports under ./out of the working folder
    await runNovember(new LocalFolderStore(join(workdir, 'out')));
    const before = process.cwd();
    process.chdir(workdir);
    try {
      // Act
      const run = await runCli(['report', '--month', '2026-11']);
      // Assert
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`wrote ${join(workdir, 'out/reports/monthly/2026-11/summary.csv')}`);
      process.chdir(await mkdtemp(join(tmpdir(), 'wco-empty-')));
      const missing = await runCli(['report', '--month', '2026-11']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--out: ./out is not a folder');
    } finally {
      process.chdir(before);
    }
  });
});

describe('Command: wco run with prices', () => {
  it('prices the demo with the sample prices by default', async () => {
    const out = join(workdir, 'out');
    const run = await runCli(['run', '--demo', '--out', out, '--as-of', '2026-11-20T12:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Prices: \d+ WorkSpace\(s\) priced \(file \d+\), \d+ without a price/);
    expect(run.stdout).toMatch(
      /Savings of this run's conversions, this month: USD 0\.00 applied, USD [\d,]+\.\d\d not applied\n {2}and per month from next month on: USD 0\.00 applied, USD [\d,]+\.\d\d not applied/,
    );
    const rows: Record<string, string>[] = parse(
      await readFile(join(out, 'reports/daily/2026/11/20/aggregated.csv'), 'utf8'),
      { columns: true },
    );
    expect(rows.filter((row) => row.currency === 'USD').length).toBeGreaterThan(rows.length / 2);
    expect(rows.some((row) => row.threshold_source === 'price')).toBe(true);
    expect(rows.some((row) => row.currency === '' && row.threshold_source === 'default')).toBe(true);
  });

  it('exits 2 naming the bad line of a price file, and writes nothing', async () => {
    // Arrange
    const prices = join(workdir, 'prices.csv');
    await writeFile(
      prices,
      [
        'region,compute_type,os,licence,root_gib,user_gib,alwayson_monthly,autostop_monthly_fee,autostop_hourly,currency',
        'us-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD',
        'us-east-1,VALUE,WINDOWS,INCLUDED,80,10,25,7.25,twenty cents,USD',
      ].join('\n'),
    );
    const out = join(workdir, 'out');
    // Act
    const run = await runCli(['run', '--demo', '--out', out, '--prices', prices]);
    // Assert
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('line 3: autostop_hourly');
    expect(await filesUnder(workdir)).toEqual(['prices.csv']);
  });

  it('refuses --price-list on the demo', async () => {
    const run = await runCli(['run', '--demo', '--out', join(workdir, 'out'), '--price-list']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--price-list');
  });
});
