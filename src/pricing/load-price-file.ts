import { readFile } from 'node:fs/promises';
import type { ObjectStore } from '../ports/object-store.js';
import { errorMessage } from '../shared/errors.js';
import { parseS3Location } from '../shared/s3-location.js';
import { PriceSource } from '../ports/price-catalog.js';
import { parsePriceFile, PriceFileError } from './price-file.js';
import { PriceTable } from './price-table.js';

/** Opens a bucket as an object store (the S3 adapter in AWS, a fake in tests). */
export type BucketOpener = (bucket: string) => ObjectStore | Promise<ObjectStore>;

/**
 * Reads and validates the operator's price file from a local path or
 * `s3://bucket/key`. Rejects with `PriceFileError` (naming every bad line)
 * before anything is priced or written.
 */
export async function loadPriceFile(location: string, openBucket?: BucketOpener): Promise<PriceTable> {
  const body = await readLocation(location, openBucket);
  return new PriceTable(parsePriceFile(body, location), PriceSource.FILE);
}

async function readLocation(location: string, openBucket: BucketOpener | undefined): Promise<string> {
  const s3 = parseS3Location(location);
  if (s3 === undefined) {
    try {
      return await readFile(location, 'utf8');
    } catch (error) {
      throw new PriceFileError(location, [`cannot be read: ${errorMessage(error)}`], { cause: error });
    }
  }
  if (openBucket === undefined)
    throw new PriceFileError(location, ['an s3:// price file needs an S3 client, and none is configured']);
  let body: string | undefined;
  try {
    body = await (await openBucket(s3.bucket)).get(s3.key);
  } catch (error) {
    throw new PriceFileError(location, [`cannot be read: ${errorMessage(error)}`], { cause: error });
  }
  if (body === undefined) throw new PriceFileError(location, ['does not exist']);
  return body;
}
