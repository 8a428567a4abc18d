import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ICruiseResult } from 'dependency-cruiser';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const LAYERS = '.dependency-cruiser.cjs';
const DEMO = '.dependency-cruiser-demo.cjs';

/** Cruises `entries` under `baseDir` with one of the lint configs; one line per violation. */
async function violations(config: string, entries: string[], baseDir = ROOT): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(ROOT, config));
  const { output } = await cruise(entries, { ...options, baseDir }, undefined, {
    tsConfig: extractTSConfig(join(ROOT, 'tsconfig.json')),
  });
  return (output as ICruiseResult).summary.violations.map(
    (violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`,
  );
}

async function cruiseSrc(): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(join(ROOT, LAYERS));
  const { output } = await cruise(['src'], { ...options, baseDir: ROOT }, undefined, {
    tsConfig: extractTSConfig(join(ROOT, 'tsconfig.json')),
  });
  return output as ICruiseResult;
}

// A small tree with one breach of each kind, inside the repository (test-artifacts/ is
// git-ignored) so that @aws-sdk/* resolves from its node_modules.
const PLANTED: Record<string, string> = {
  'src/app/run.ts': 'export const run = 1;\n',
  // billing may import nothing internal.
  'src/billing/planted.ts': "import { run } from '../app/run.js';\nexport const planted = run;\n",
  'src/app/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
  'src/app/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
  // The CLI entry: a static path to the SDK (a breach), a dynamic one and a type-only one (both fine).
  'src/cli/wco.ts': [
    "import type { Targets } from '../compose/targets.js';",
    "import { format } from '../report/format.js';",
    'export const parts: [Targets | undefined, unknown] = [undefined, format];',
    "export const loadAws = () => import('../compose/aws.js');",
    '',
  ].join('\n'),
  'src/report/format.ts': "import { S3Client } from '@aws-sdk/client-s3';\nexport const format = S3Client;\n",
  'src/compose/aws.ts': "import { S3Client } from '@aws-sdk/client-s3';\nexport const aws = S3Client;\n",
  'src/compose/targets.ts':
    "import type { S3Client } from '@aws-sdk/client-s3';\nexport type Targets = S3Client;\n",
};

describe('Architecture: the layers of src/', () => {
  let planted: string;

  beforeAll(async () => {
    await mkdir(join(ROOT, 'test-artifacts'), { recursive: true });
    planted = await mkdtemp(join(ROOT, 'test-artifacts', 'planted-'));
    for (const [path, text] of Object.entries(PLANTED)) {
      await mkdir(dirname(join(planted, path)), { recursive: true });
      await writeFile(join(planted, path), text);
    }
  });

  afterAll(async () => {
    await rm(planted, { recursive: true, force: true });
  });

  it('reports a planted import against the layers and a planted cycle', async () => {
    // Act
    const found = await violations(LAYERS, ['src'], planted);

    // Assert
    expect(found).toContain('layer-billing: src/billing/planted.ts -> src/app/run.ts');
    expect(found.filter((line) => line.startsWith('no-circular: src/app/'))).toHaveLength(1);
  });

  it('reports the SDK statically reachable from the CLI entry, not behind import() or import type', async () => {
    // Act
    const found = await violations(DEMO, ['src/cli/wco.ts'], planted);

    // Assert
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^no-sdk-in-static-cli-graph: src\/report\/format\.ts -> .*node_modules\/@aws-sdk\/client-s3\//,
    );
  });

  it('finds src/ itself within its layers, without a cycle', async () => {
    // Act & Assert
    expect(await violations(LAYERS, ['src'])).toEqual([]);
  });

  it('finds no AWS SDK module statically reachable from src/cli/wco.ts', async () => {
    // Act & Assert
    expect(await violations(DEMO, ['src/cli/wco.ts'])).toEqual([]);
  });

  it('finds no cycle between the folders of src/ either', async () => {
    // Arrange
    const folderOf = (path: string) => /^src\/([^/]+)\//.exec(path)?.[1];
    const edges = new Map<string, Set<string>>();
    for (const module of (await cruiseSrc()).modules) {
      const from = folderOf(module.source);
      for (const dependency of module.dependencies) {
        const to = folderOf(dependency.resolved);
        if (from === undefined || to === undefined || from === to) continue;
        edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }

    // Act: depth-first search for a folder that reaches itself.
    const cycles: string[] = [];
    const visit = (folder: string, path: readonly string[]) => {
      if (path.includes(folder)) return void cycles.push([...path, folder].join(' -> '));
      for (const next of edges.get(folder) ?? []) visit(next, [...path, folder]);
    };
    for (const folder of edges.keys()) visit(folder, []);

    // Assert
    expect(edges.size).toBeGreaterThan(5);
    expect(cycles).toEqual([]);
  });
});
