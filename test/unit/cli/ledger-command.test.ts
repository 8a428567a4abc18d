import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

let out: string;
const AS_OF = '2026-11-30T23:00:00Z';

beforeAll(async () => {
  out = join(await mkdtemp(join(tmpdir(), 'wco-ledger-cli-')), 'out');
  const applied = await runCli(['run', '--demo', '--out', out, '--as-of', AS_OF, '--apply']);
  expect(applied.code).toBe(0);
}, 60_000);

describe('Command: wco run --demo --apply, run again the same day', () => {
  it('changes nothing the second time and still reports every conversion as applied', async () => {
    // Act
    const rerun = await runCli(['run', '--demo', '--out', out, '--as-of', '2026-11-30T23:40:00Z', '--apply']);

    // Assert
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('applied 89');
    // Only the conversion an SCP refuses is tried again; its second failed attempt goes to the audit trail.
    expect(rerun.stdout).toContain('FAILED 1');
    expect(rerun.stdout).toContain('Conversion events: 1 published from the ledger');
  });

  it('finds the simulated fleet in the modes the ledger says it was switched to, the next day', async () => {
    // Act
    const nextDay = await runCli([
      'run',
      '--demo',
      '--out',
      out,
      '--as-of',
      '2026-12-01T23:00:00Z',
      '--apply',
    ]);

    // Assert
    expect(nextDay.code).toBe(0);
    expect(nextDay.stdout).toMatch(/to ALWAYS_ON\s+0/);
    expect(nextDay.stdout).toMatch(/to AUTO_STOP\s+0/);
  });
});

describe('Command: wco ledger', () => {
  it('prints the month as a table, counting what was applied and what reached the audit trail', async () => {
    // Act
    const run = await runCli(['ledger', '--out', out, '--month', '2026-11']);

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^T\s+WORKSPACE\s+USER\s+REGION\s+CHANGE\s+HOURS \/ THRESHOLD\s+AUDITED\s+STATUS$/,
    );
    expect(run.stdout).toContain('110 conversion(s) in 2026-11: 109 applied, 1 failed, 0 in progress');
    expect(run.stdout).toContain('Every applied or failed conversion reached the audit trail.');
  });

  it('writes CSV and JSON with one line or object per conversion', async () => {
    // Act
    const csv = await runCli(['ledger', '--out', out, '--month', '2026-11', '--format', 'csv']);
    const json = await runCli(['ledger', '--out', out, '--month', '2026-11', '--format', 'json']);

    // Assert
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(110);
    expect(rows[0]).toMatchObject({
      status: 'APPLIED',
      event_published: 'yes',
      record_id: expect.stringMatching(/^2026-11\//),
    });
    const entries = JSON.parse(json.stdout) as { id: string }[];
    expect(entries.map((entry) => entry.id)).toEqual(rows.map((row) => row.record_id));
  });

  it('defaults to the current month, and says when it holds nothing', async () => {
    // Act
    const run = await runCli(['ledger', '--out', out], { now: new Date('2027-01-15T00:00:00Z') });

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('No conversion recorded in 2027-01.\n');
  });

  it.each([
    [['--month', '2026-13'], '--month'],
    [['--format', 'xml'], '--format'],
    [['--from', 'bucket-without-scheme'], '--from'],
  ])('exits 2 for %j naming %s', async (args, named) => {
    // Act
    const run = await runCli(['ledger', '--out', out, ...args]);

    // Assert
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(named);
  });

  it('exits 2 for a folder that does not exist', async () => {
    // Act
    const run = await runCli(['ledger', '--out', join(out, 'nope')]);

    // Assert
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a folder');
  });
});
