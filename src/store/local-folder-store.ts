import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { DocumentStore, StoredDocument, StoredVersion, WriteAnswer } from '../ports/document-store.js';
import type { StreamingObjectStore } from '../ports/object-store.js';
import { StoreError } from '../ports/object-store.js';
import { makeFolders } from './make-folders.js';

/** A lock older than this was left by a process that died: it is broken. */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/**
 * An object store in a local folder: key `a/b/c.csv` is the file `<root>/a/b/c.csv`.
 * As a `DocumentStore` (the demo's conversion ledger) a document's version is the
 * SHA-256 of its bytes; a create is an atomic hard link (it fails when the file
 * exists) and a replace happens under a lock file, so two processes sharing the
 * folder never both win.
 */
export class LocalFolderStore implements StreamingObjectStore, DocumentStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, body: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await makeFolders(dirname(path));
      // Write then rename so a reader never sees half a report.
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, body, 'utf8');
      await rename(temporary, path);
    } catch (error) {
      throw new StoreError(`could not write ${path}: ${(error as Error).message}`, key, { cause: error });
    }
  }

  async putStream(key: string, body: AsyncIterable<string>): Promise<void> {
    const path = this.pathOf(key);
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await pipeline(Readable.from(body), createWriteStream(temporary, { encoding: 'utf8' }));
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw new StoreError(`could not write ${path}: ${(error as Error).message}`, key, { cause: error });
    }
  }

  async getStream(key: string): Promise<AsyncIterable<string> | undefined> {
    const path = this.pathOf(key);
    try {
      // Opened first, so a missing file is `undefined` rather than an error while streaming.
      const handle = await open(path, 'r');
      return handle.createReadStream({ encoding: 'utf8' }) as AsyncIterable<string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreError(`could not read ${path}: ${(error as Error).message}`, key, { cause: error });
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
      .filter((key) => key.startsWith(prefix) && !key.endsWith('.tmp') && !key.endsWith('.lock'))
      .sort();
  }

  locate(key: string): string {
    return this.pathOf(key);
  }

  /** Reads every file to hash it: a local folder (the demo, tests) is small and its reads are cheap. */
  async listVersions(prefix: string): Promise<StoredVersion[]> {
    const keys = await this.list(prefix);
    const read = await Promise.all(keys.map(async (key) => ({ key, document: await this.read(key) })));
    return read.flatMap(({ key, document }) => (document ? [{ key, version: document.version }] : []));
  }

  async read(key: string): Promise<StoredDocument | undefined> {
    const body = await this.get(key);
    return body === undefined ? undefined : { body, version: versionOf(body) };
  }

  async create(key: string, body: string): Promise<WriteAnswer> {
    const path = this.pathOf(key);
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await makeFolders(dirname(path));
      await writeFile(temporary, body, 'utf8');
      // link() fails with EEXIST when the target exists: an exclusive, atomic create of a complete file.
      await link(temporary, path);
      return { written: true, version: versionOf(body) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { written: false };
      throw new StoreError(`could not create ${path}: ${(error as Error).message}`, key, { cause: error });
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }

  async replace(key: string, body: string, version: string): Promise<WriteAnswer> {
    const path = this.pathOf(key);
    const release = await this.lock(key, path);
    try {
      const current = await this.read(key);
      if (current === undefined || current.version !== version) return { written: false };
      await this.put(key, body);
      return { written: true, version: versionOf(body) };
    } finally {
      await release();
    }
  }

  async remove(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new StoreError(`could not remove ${this.pathOf(key)}: ${(error as Error).message}`, key, {
        cause: error,
      });
    }
  }

  private async lock(key: string, path: string): Promise<() => Promise<void>> {
    const lockPath = `${path}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await makeFolders(dirname(path));
        const handle = await open(lockPath, 'wx');
        await handle.close();
        return () => unlink(lockPath).catch(() => undefined);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new StoreError(`could not lock ${path}: ${(error as Error).message}`, key, { cause: error });
        const age = await stat(lockPath).then(
          (info) => Date.now() - info.mtimeMs,
          () => 0,
        );
        if (age > STALE_LOCK_MS) await unlink(lockPath).catch(() => undefined);
        else if (Date.now() > deadline) throw new StoreError(`${path} stayed locked by another run`, key);
        else await sleep(20);
      }
    }
  }

  private pathOf(key: string): string {
    const path = join(this.root, key);
    if (relative(this.root, path).startsWith('..'))
      throw new StoreError(`key escapes the folder: ${key}`, key);
    return path;
  }
}

function versionOf(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
