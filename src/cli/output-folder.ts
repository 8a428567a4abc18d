import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../config/settings.js';

/**
 * Checks, without creating anything, that reports can be written under
 * `folder`: it is a writable directory, or the nearest existing ancestor is.
 */
export async function assertWritableFolder(folder: string, flag = '--out'): Promise<string> {
  const target = resolve(folder);
  let candidate = target;
  for (;;) {
    const info = await stat(candidate).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (info) {
      if (!info.isDirectory()) throw new UsageError(`${flag}: ${candidate} exists and is not a folder`);
      try {
        await access(candidate, constants.W_OK | constants.X_OK);
      } catch (error) {
        throw new UsageError(`${flag}: ${candidate} is not writable`, { cause: error });
      }
      return target;
    }
    const parent = dirname(candidate);
    if (parent === candidate) throw new UsageError(`${flag}: no existing folder above ${target}`);
    candidate = parent;
  }
}
