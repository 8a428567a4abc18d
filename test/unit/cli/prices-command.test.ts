import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const HEADER =
  'region,compute_type,os,licence,root_gib,user_gib,alwayson_monthly,autostop_monthly_fee,autostop_hourly,currency,plus';
let workdir: string;

beforeEach(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'wco-prices-'));
});

const priceFile = async (lines: string[]) => {
  const file = join(workdir, 'prices.csv');
  await writeFile(file, [HEADER, ...lines, ''].join('\n'));
  return file;
};

describe('Command: wco prices --prices FILE', () => {
  it("prints the file's prices of the region with break-even, table threshold and line", async () => {
    // Arrange
    const file = await priceFile([
      'us-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD,',
      'us-east-1,STANDARD,WINDOWS,INCLUDED,80,50,50,24.75,0.30,USD,yes',
      'us-east-1,GRAPHICS_G6_XLARGE,WINDOWS,INCLUDED,*,*,700,66,2.5,USD,',
      'eu-west-1,STANDARD,WINDOWS,INCLUDED,80,50,38.50,10.75,0.33,USD,',
    ]);
    // Act
    const run = await runCli(['prices', '--region', 'us-east-1', '--prices', file]);
    // Assert
    expect(run.code).toBe(0);
    const rows = run.stdout
      .split('\n')
      .slice(2, 5)
      .map((line) => line.split(/\s{2,}/));
    expect(rows).toEqual([
      ['STANDARD', 'WINDOWS', 'INCLUDED', '80/50', 'USD', '35', '9.75', '0.3', '84', '85', `${file} line 2`],
      [
        'STANDARD PLUS',
        'WINDOWS',
        'INCLUDED',
        '80/50',
        'USD',
        '50',
        '24.75',
        '0.3',
        '84',
        '85',
        `${file} line 3`,
      ],
      // A compute type in no table: '-'
      [
        'GRAPHICS_G6_XLARGE',
        'WINDOWS',
        'INCLUDED',
        '*/*',
        'USD',
        '700',
        '66',
        '2.5',
        '253',
        '-',
        `${file} line 4`,
      ],
    ]);
    expect(run.stdout).toMatch(/^Prices in us-east-1 from the price file: 3 configuration\(s\)\n/);
  });

  it('takes the region from AWS_REGION and filters by compute type', async () => {
    const file = await priceFile([
      'eu-west-1,STANDARD,WINDOWS,INCLUDED,80,50,38.50,10.75,0.33,USD,',
      'eu-west-1,VALUE,WINDOWS,INCLUDED,80,10,27.50,8,0.24,USD,',
    ]);
    const run = await runCli(['prices', '--prices', file, '--compute-type', 'value'], {
      env: { AWS_REGION: 'eu-west-1' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('eu-west-1 from the price file: 1 configuration(s)');
    expect(run.stdout).toMatch(/\nVALUE +WINDOWS/);
  });

  it.each([
    [['--prices', 'x.csv', '--price-list'], '--prices: give either --price-list or --prices FILE, not both'],
    [['--os', 'BEOS'], '--os: must be one of WINDOWS, AMAZON_LINUX, UBUNTU, ROCKY_LINUX, RHEL'],
    [['--licence', 'free'], '--licence: must be one of INCLUDED, BYOL'],
    [['--format', 'xml'], '--format: must be table, csv, json'],
    [['--region', 'Mars'], '--region: must be an AWS region name like us-east-1'],
  ])('exits 2 for %j, naming the option', async (args, message) => {
    const run = await runCli(['prices', '--region', 'us-east-1', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('exits 2 for a bad price file, naming its line', async () => {
    const file = await priceFile(['us-east-1,STANDARD,WINDOWS,INCLUDED,80,50,9.75,35,0.30,USD,']);
    const run = await runCli(['prices', '--region', 'us-east-1', '--prices', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--prices: price file');
    expect(run.stderr).toContain('line 2: alwayson_monthly 9.75 is below autostop_monthly_fee 35');
  });
});
