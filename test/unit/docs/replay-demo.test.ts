import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** Where the sample says the reports went. */
const SAMPLE_OUT = '/home/me/wco/out';
const COMMAND = 'wco replay --demo --from 2026-09 --to 2026-11 --policy forecast';

describe("The replay's figures in the README and docs/replay.md", () => {
  it('are what `wco replay --demo` prints today (prices, thresholds and the fleet move them)', async () => {
    // Arrange
    const out = join(await mkdtemp(join(tmpdir(), 'wco-replay-doc-')), 'out');
    const args = COMMAND.split(' ').slice(1);

    // Act
    const run = await runCli([...args, '--out', out], { now: new Date('2026-12-01T06:00:00Z') });

    // Assert: the sample output is the output
    expect(run.code).toBe(0);
    const doc = await readFile(join(ROOT, 'docs', 'replay.md'), 'utf8');
    const block = new RegExp(`\`\`\`\\n(\\$ ${COMMAND}\\n[\\s\\S]*?)\`\`\``).exec(doc)?.[1];
    expect(block).toBe(`$ ${COMMAND}\n${run.stdout.replaceAll(out, SAMPLE_OUT)}`);

    // ... and the README's headline quotes its totals
    const total = (policy: string) =>
      new RegExp(`^TOTAL +${policy} +\\d+ +USD [\\d,.]+ +USD ([\\d,.]+) +([\\d.]+ %)`, 'm').exec(run.stdout)!;
    const [, wcoSaved, wcoShare] = total('wco');
    const [, optimumSaved] = total('Optimum');
    const [, , forecastShare] = total('Forecast');
    const gain = /beats the contract's rules by (USD [\d,.]+)/.exec(run.stdout)![1];
    const readme = (await readFile(join(ROOT, 'README.md'), 'utf8')).replaceAll(/\s+/g, ' ');
    expect(readme).toContain(
      `capture ${wcoShare} of the achievable savings (USD ${wcoSaved} of USD ${optimumSaved}); the forecast policy ${forecastShare}, ${gain} more.`,
    );
  });
});
