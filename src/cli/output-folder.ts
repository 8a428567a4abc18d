import { rmdir, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../config/settings.js';
import { errorMessage } from '../shared/errors.js';
import { makeFolders } from '../store/make-folders.js';

export interface OutputFolder {
  readonly path: string;
  /** Removes the folders `prepareOutputFolder` made (when still empty): for bad input found later. */
  readonly takeBack: () => Promise<void>;
}

/**
 * Makes sure reports can be written under `folder` by doing it: the folder is
 * created and a probe file written and removed. Permission bits say nothing
 * for root, and some file systems (`/proc`) refuse what `access()` allows.
 * When the probe fails, the folders made for it are removed again, so bad
 * input leaves nothing behind.
 * @throws UsageError naming `flag` and what the file system answered.
 */
export async function prepareOutputFolder(folder: string, flag = '--out'): Promise<OutputFolder> {
  const path = resolve(folder);
  let created: string[] = [];
  const takeBack = async () => {
    for (const made of [...created].reverse()) await rmdir(made).catch(() => undefined);
  };
  try {
    created = await makeFolders(path);
    const probe = join(path, `.wco-write-check-${process.pid}`);
    await writeFile(probe, '');
    await unlink(probe);
    return { path, takeBack };
  } catch (error) {
    await takeBack();
    throw new UsageError(`${flag}: cannot write reports under ${path}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
