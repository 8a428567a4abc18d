import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p` one level at a time. Node's `mkdir(path, { recursive: true })`
 * never returns when the kernel answers ENOENT for a parent that exists (it
 * does under `/proc`: `--out /proc/nope` spun at 100 % CPU); here every level
 * is created once and the first refusal is thrown. Resolves to the folders
 * that were created, outermost first, so a caller can take them back.
 */
export async function makeFolders(path: string): Promise<string[]> {
  const missing: string[] = [];
  let candidate = resolve(path);
  for (;;) {
    const info = await stat(candidate).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (info) {
      if (!info.isDirectory())
        throw Object.assign(new Error(`ENOTDIR: ${candidate} is not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(candidate);
    const parent = dirname(candidate);
    if (parent === candidate) break;
    candidate = parent;
  }
  const created: string[] = [];
  for (const folder of missing) {
    try {
      await mkdir(folder);
      created.push(folder);
    } catch (error) {
      // Another process made it in the meantime: as good as made here.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return created;
}
