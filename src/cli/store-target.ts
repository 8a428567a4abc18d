import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { StoreTarget } from '../compose/targets.js';
import { homeRegion } from '../config/home-region.js';
import { UsageError } from '../config/settings.js';
import { checkedMonth } from '../report/load-month-reports.js';
import type { CliIo } from './io.js';

/** `--from s3://BUCKET` -> the bucket name. */
export const s3BucketUrlSetting = z
  .string()
  .trim()
  .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/?$/, 'must be s3://BUCKET, like s3://my-wco-reports')
  .transform((url) => url.replace(/^s3:\/\//, '').replace(/\/$/, ''));

/** `--month YYYY-MM`, a real month. */
export const monthSetting = z
  .string()
  .trim()
  .refine((month) => {
    try {
      return checkedMonth(month) === month;
    } catch {
      return false;
    }
  }, 'must be YYYY-MM, like 2026-11');

/**
 * Where a reading command finds its store: the bucket of `--from` (opened in
 * the home region), else the folder of `--out`, which must exist.
 */
export async function storeTargetFor(
  bucket: string | undefined,
  folder: string,
  io: CliIo,
): Promise<StoreTarget> {
  if (bucket !== undefined) return { kind: 'bucket', bucket, region: homeRegion(io.env) };
  if (!(await isFolder(folder)))
    throw new UsageError(`--out: ${folder} is not a folder (run \`npm run demo\` first?)`);
  return { kind: 'folder', folder };
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
