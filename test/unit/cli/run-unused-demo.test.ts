import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

const demo = (out: string, asOf: string, ...flags: string[]) =>
  runCli(['run', '--demo', '--as-of', asOf, '--out', out, ...flags]);

describe('Command: wco run --demo, unused WorkSpaces', () => {
  it('lists them with their cost, removes them only when asked at month end, and the next process sees them gone', async () => {
    // Arrange
    const out = await mkdtemp(join(tmpdir(), 'wco-unused-'));
    folders.push(out);

    // Act: a listing run the day before, a month-end run with removal (cap 3), then a plain dry run
    const listing = await demo(out, '2026-11-29T23:00:00Z', '--apply');
    const removing = await demo(
      out,
      '2026-11-30T23:00:00Z',
      '--apply',
      '--terminate-unused',
      '--max-removals',
      '3',
    );
    const after = await demo(out, '2026-11-30T23:00:00Z');

    // Assert
    expect(listing.stdout).toMatch(
      /^Unused for 2\+ months: 10, wasting 297\.60 USD per month;.* newly listed: 10/m,
    );
    expect(listing.stdout).toContain('Removal is off (report only)');
    expect(removing.stdout.match(/^ {2}REMOVED: /gm)).toHaveLength(3);
    expect(removing.stdout).toContain(
      '7 more would have been removed: the per-run cap (--max-removals) was reached',
    );
    expect(after.stdout).toContain('WorkSpaces seen: 197 in 2 region(s)');
    expect(after.stdout).not.toMatch(/REMOVED: /);
    const csv = await readFile(join(out, 'reports/monthly/2026-11/unused.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toContain('workspace_id,user_name,directory_id,account,region');
  });
});
