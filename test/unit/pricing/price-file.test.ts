import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { breakEvenHours } from '../../../src/billing/index.js';
import { loadPriceFile } from '../../../src/pricing/load-price-file.js';
import { parsePriceFile, PriceFileError } from '../../../src/pricing/price-file.js';
import { PriceTable } from '../../../src/pricing/price-table.js';
import type { ObjectStore } from '../../../src/ports/object-store.js';
import { priceKey } from '../../helpers/price-key.js';

const HEADER =
  'region,compute_type,os,licence,root_gib,user_gib,alwayson_monthly,autostop_monthly_fee,autostop_hourly,currency';
const key = priceKey;

function problemsOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(PriceFileError);
    return (error as PriceFileError).problems;
  }
  throw new Error('expected a PriceFileError');
}

describe('Function: parsePriceFile', () => {
  it('reads a CSV with comments into exact decimal prices', () => {
    // Arrange
    const body = `# illustrative\n${HEADER}\nus-east-1,standard,Windows,included,80,50,35,9.75,0.30,usd\n`;
    // Act
    const [entry, ...rest] = parsePriceFile(body, 'prices.csv');
    // Assert
    expect(rest).toHaveLength(0);
    expect(entry).toMatchObject({ computeType: 'STANDARD', os: 'WINDOWS', licence: 'INCLUDED', rootGib: 80 });
    expect(entry!.prices.currency).toBe('USD');
    expect(entry!.prices.autoStopHourly.toString()).toBe('0.3');
    expect(breakEvenHours(entry!.prices)).toBe(84);
  });

  it('names every bad line and keeps nothing', () => {
    // Arrange: line 3 good, 4 one field too many, 5 bad OS, 6 bad region and volume, 7 bad money
    const body = [
      HEADER,
      '# a comment line still counts',
      'us-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD',
      'us-east-1,VALUE,WINDOWS,INCLUDED,80,10,25,7,25,0.22,USD',
      'us-east-1,POWER,BEOS,INCLUDED,175,100,68,19,0.68,USD',
      'Mars,POWER,WINDOWS,INCLUDED,big,100,68,19,0.68,USD',
      'us-east-1,POWERPRO,WINDOWS,INCLUDED,175,100,124,19,1.5.3,USD',
    ].join('\n');
    // Act
    const problems = problemsOf(() => parsePriceFile(body, 'prices.csv'));
    // Assert
    expect(problems).toEqual([
      'line 4: has 11 fields, the header has 10',
      expect.stringMatching(/^line 5: os must be one of WINDOWS/),
      expect.stringMatching(/^line 6: region must be a region.*root_gib must be a whole number/),
      expect.stringMatching(/^line 7: autostop_hourly must be a non-negative decimal amount/),
    ]);
  });

  it('names a repeated configuration with both lines', () => {
    const row = 'us-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD';
    const problems = problemsOf(() => parsePriceFile(`${HEADER}\n${row}\n${row}\n`, 'p.csv'));
    expect(problems).toEqual(['line 3: repeats the configuration of line 2']);
  });

  it('names the line of a row with the wrong number of fields', () => {
    const problems = problemsOf(() => parsePriceFile(`${HEADER}\nus-east-1,STANDARD\n`, 'p.csv'));
    expect(problems).toEqual(['line 2: has 2 fields, the header has 10']);
  });

  it('refuses a header with missing or unknown columns', () => {
    const problems = problemsOf(() =>
      parsePriceFile('region,compute_type,os,license\nus-east-1,STANDARD,WINDOWS,INCLUDED\n', 'p.csv'),
    );
    expect(problems[0]).toContain('missing column(s) licence, root_gib');
    expect(problems[1]).toContain('unknown column(s) license');
  });

  it('counts the first line of a row with a quoted line break', () => {
    const body = `${HEADER}\n"us-east-1\nx",STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD\n`;
    const problems = problemsOf(() => parsePriceFile(body, 'p.csv'));
    expect(problems[0]).toMatch(/^line 2: region/);
  });

  it('reads the JSON form and names bad entries', () => {
    // Arrange
    const good = {
      region: 'eu-west-1',
      compute_type: 'VALUE',
      os: 'AMAZON_LINUX',
      licence: 'INCLUDED',
      root_gib: '*',
      user_gib: 10,
      alwayson_monthly: 21,
      autostop_monthly_fee: '7.25',
      autostop_hourly: 0.17,
      currency: 'USD',
    };
    // Act
    const [entry] = parsePriceFile(JSON.stringify({ note: 'illustrative', prices: [good] }), 'p.json');
    const problems = problemsOf(() =>
      parsePriceFile(JSON.stringify({ prices: [good, { ...good, currency: 'dollars' }] }), 'p.json'),
    );
    // Assert
    expect(entry!.rootGib).toBeUndefined();
    expect(entry!.prices.autoStopHourly.toString()).toBe('0.17');
    expect(problems).toEqual([expect.stringMatching(/^entry 2 \(prices\[1\]\): currency must be/)]);
  });

  it('refuses a row whose AlwaysOn price is below its AutoStop fee (a negative break-even), naming the line', () => {
    // Arrange: line 3 has the two monthly figures swapped
    const body = [
      HEADER,
      'us-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD',
      'us-east-1,VALUE,WINDOWS,INCLUDED,80,10,7.25,25,0.22,USD',
      'us-east-1,POWER,WINDOWS,INCLUDED,175,100,19,19,0.68,USD',
    ].join('\n');
    // Act
    const problems = problemsOf(() => parsePriceFile(body, 'prices.csv'));
    // Assert: equal figures are possible (a break-even of 0 hours), below is not
    expect(problems).toEqual([
      'line 3: alwayson_monthly 7.25 is below autostop_monthly_fee 25, so AutoStop would cost more at any usage (a negative break-even); are the columns swapped?',
    ]);
  });

  it.each([
    ['a CSV with only a header', `${HEADER}\n`, 'prices.csv'],
    ['a CSV with only comments and a header', `# nothing yet\n${HEADER}\n# still nothing\n`, 'prices.csv'],
    ['a JSON object with no prices', '{"prices":[]}', 'prices.json'],
    ['an empty JSON array', '[]', 'prices.json'],
  ])('refuses %s, naming the file', (_, body, file) => {
    // Act
    const problems = problemsOf(() => parsePriceFile(body, file));
    // Assert
    expect(problems).toEqual(['has no price rows: it would price nothing (remove the setting instead)']);
    expect(() => parsePriceFile(body, file)).toThrow(`price file ${file} is not valid`);
  });

  it('reads the optional plus column: Plus rows price only Plus bundles', async () => {
    // Arrange
    const body = [
      `${HEADER},plus`,
      'us-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD,',
      'us-east-1,STANDARD,WINDOWS,INCLUDED,80,50,50,24.75,0.30,USD,yes',
      'us-east-1,VALUE,WINDOWS,INCLUDED,80,10,25,7.25,0.22,USD,no',
    ].join('\n');
    // Act
    const table = new PriceTable(parsePriceFile(body, 'prices.csv'), 'file');
    // Assert
    expect((await table.lookup(key()))?.prices.alwaysOnMonthly.toString()).toBe('35');
    expect((await table.lookup(key({ plus: true })))?.prices.alwaysOnMonthly.toString()).toBe('50');
    expect(await table.lookup(key({ computeType: 'VALUE', userVolumeGib: 10, plus: true }))).toBeUndefined();
    expect((await table.lookup(key()))?.origin).toEqual({
      alwaysOnMonthly: 'prices.csv line 2',
      autoStopMonthlyFee: 'prices.csv line 2',
      autoStopHourly: 'prices.csv line 2',
    });
    expect(
      problemsOf(() =>
        parsePriceFile(
          `${HEADER},plus\nus-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD,maybe\n`,
          'p.csv',
        ),
      ),
    ).toEqual(['line 2: plus must be yes or no (or blank for no)']);
  });

  it('parses the shipped sample price file', async () => {
    const table = await loadPriceFile('data/sample-prices.csv');
    expect(table.size).toBeGreaterThan(30);
  });
});

describe('Function: loadPriceFile', () => {
  it('reads s3:// locations through the object store', async () => {
    // Arrange
    const body = `${HEADER}\nus-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD\n`;
    const opened: string[] = [];
    const store = (bucket: string): ObjectStore => {
      opened.push(bucket);
      return {
        get: async (wanted) => (wanted === 'config/prices.csv' ? body : undefined),
        put: async () => {},
        list: async () => [],
        locate: (wanted) => `s3://${bucket}/${wanted}`,
      };
    };
    // Act
    const table = await loadPriceFile('s3://finance-bucket/config/prices.csv', store);
    // Assert
    expect(opened).toEqual(['finance-bucket']);
    expect((await table.lookup(key()))?.prices.alwaysOnMonthly.toString()).toBe('35');
    await expect(loadPriceFile('s3://finance-bucket/missing.csv', store)).rejects.toThrow(/does not exist/);
  });

  it('names a local file that cannot be read', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'wco-prices-'));
    await expect(loadPriceFile(join(folder, 'absent.csv'))).rejects.toThrow(PriceFileError);
    const bad = join(folder, 'bad.csv');
    await writeFile(bad, `${HEADER}\nus-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,x,0.30,USD\n`);
    await expect(loadPriceFile(bad)).rejects.toThrow(/line 2: autostop_monthly_fee/);
  });
});

describe('Class: PriceTable', () => {
  const entries = parsePriceFile(
    [
      HEADER,
      'us-east-1,STANDARD,WINDOWS,INCLUDED,*,*,40,9.75,0.30,USD',
      'us-east-1,STANDARD,WINDOWS,INCLUDED,80,50,35,9.75,0.30,USD',
      'us-east-1,STANDARD,WINDOWS,BYOL,80,50,31,9.75,0.26,USD',
    ].join('\n'),
    'p.csv',
  );
  const table = new PriceTable(entries, 'file');

  it.each([
    [key(), '35'], // the size-specific row beats the any-size one
    [key({ rootVolumeGib: 175, userVolumeGib: 100 }), '40'],
    [key({ rootVolumeGib: undefined }), '40'], // unknown size: only any-size rows
    [key({ licence: 'BYOL' }), '31'],
    [key({ region: 'eu-west-1' }), undefined],
    [key({ os: 'UBUNTU' }), undefined],
  ])('prices %o at %s', async (wanted, expected) => {
    const quote = await table.lookup(wanted);
    expect(quote?.prices.alwaysOnMonthly.toString()).toBe(expected);
    if (quote) expect(quote.source).toBe('file');
  });
});
