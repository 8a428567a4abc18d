import { existsSync } from 'node:fs';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalFolderStore } from '../../../src/store/local-folder-store.js';
import { makeFolders } from '../../../src/store/make-folders.js';

describe('Function: makeFolders', () => {
  it('creates the missing levels, outermost first, and reports only those', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wco-mkdir-'));
    const created = await makeFolders(join(root, 'a', 'b', 'c'));
    expect(created).toEqual([join(root, 'a'), join(root, 'a', 'b'), join(root, 'a', 'b', 'c')]);
    expect((await stat(join(root, 'a', 'b', 'c'))).isDirectory()).toBe(true);
    expect(await makeFolders(join(root, 'a', 'b'))).toEqual([]);
  });

  it('refuses a path through a file', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wco-mkdir-'));
    await writeFile(join(root, 'file'), '');
    await expect(makeFolders(join(root, 'file', 'x'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  // Node's recursive mkdir loops forever here: the kernel answers ENOENT for /proc/nope although /proc exists.
  it.runIf(existsSync('/proc/self'))('gives up at once under /proc instead of spinning', async () => {
    await expect(makeFolders('/proc/nope/reports')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(new LocalFolderStore('/proc/nope').put('reports/x.csv', 'x')).rejects.toThrow(
      /could not write \/proc\/nope\/reports\/x\.csv/,
    );
  });
});
