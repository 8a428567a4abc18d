import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** Where the README's sample says the reports went. */
const README_OUT = '/home/me/wco/out';

describe("README's quick start", () => {
  it("shows exactly what `npm run demo` prints (npm's own lines included), whatever the date", async () => {
    // Arrange: the demo script's arguments, as npm runs them
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      scripts: Record<string, string>;
    };
    const script = pkg.scripts.demo!;
    const [runner, entry, ...args] = script.split(' ');
    expect([runner, entry]).toEqual(['tsx', 'src/cli/wco.ts']);
    const out = join(await mkdtemp(join(tmpdir(), 'wco-readme-')), 'out');
    const outIndex = args.indexOf('--out');
    expect(outIndex).toBeGreaterThanOrEqual(0);
    args[outIndex + 1] = out;

    // Act: on a day the demo used to show nothing (the 1st of a month)
    const run = await runCli(args, { now: new Date('2027-04-01T00:30:00Z') });

    // Assert
    expect(run.code).toBe(0);
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const block = /```\n(\$ npm run demo\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const printed = `$ npm run demo\n\n> ${pkg.name}@${pkg.version} demo\n> ${script}\n\n${run.stdout}`;
    expect(block).toBe(printed.replaceAll(out, README_OUT));
  });
});
