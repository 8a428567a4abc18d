import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ObjectStore } from '../ports/object-store.js';
import { StoreError } from '../ports/object-store.js';

/** An object store in a local folder: key `a/b/c.csv` is the file `<root>/a/b/c.csv`. */
export class LocalFolderStore implements ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, body: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await mkdir(dirname(path), { recursive: true });
      // Write then rename so a reader never sees half a report.
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, body, 'utf8');
      await rename(temporary, path);
    } catch (error) {
      throw new StoreError(`could not write ${path}: ${(error as Error).message}`, key, { cause: error });
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.pathOf(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreError(`could not read ${this.pathOf(key)}: ${(error as Error).message}`, key, {
        cause: error,
      });
    }
  }

  async list(prefix: string): Promise<string[]> {
    let entries: string[];
    try {
      const dirents = await readdir(this.root, { recursive: true, withFileTypes: true });
      entries = dirents
        .filter((dirent) => dirent.isFile())
        .map((dirent) => relative(this.root, join(dirent.parentPath, dirent.name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StoreError(`could not list ${this.root}: ${(error as Error).message}`, prefix, {
        cause: error,
      });
    }
    return entries
      .map((entry) => entry.split(sep).join('/'))
      .filter((key) => key.startsWith(prefix) && !key.endsWith('.tmp'))
      .sort();
  }

  locate(key: string): string {
    return this.pathOf(key);
  }

  private pathOf(key: string): string {
    const path = join(this.root, key);
    if (relative(this.root, path).startsWith('..'))
      throw new StoreError(`key escapes the folder: ${key}`, key);
    return path;
  }
}
