import { WcoError } from '../shared/errors.js';
/**
 * Where reports (and audit records) are kept: an S3 bucket or a local folder,
 * with the same keys and the same bytes in both.
 */
export interface ObjectStore {
  /** Rejects when the write failed; callers report it, never swallow it. */
  put(key: string, body: string, contentType: string): Promise<void>;
  /** `undefined` when there is no such key. */
  get(key: string): Promise<string | undefined>;
  /** Every key under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Where a key lives, for people: `s3://bucket/key` or a file path. */
  locate(key: string): string;
}

/**
 * A store that also writes and reads an object piece by piece, so a report of
 * 200,000 rows never sits in one string: S3 uploads it in parts when it is
 * large, a folder streams it to disk.
 */
export interface StreamingObjectStore extends ObjectStore {
  /** Writes the pieces of `body` in order as one object; rejects when the write failed (nothing is half-written). */
  putStream(key: string, body: AsyncIterable<string>, contentType: string): Promise<void>;
  /** The object's text, piece by piece; `undefined` when there is no such key. */
  getStream(key: string): Promise<AsyncIterable<string> | undefined>;
}

export class StoreError extends WcoError {
  override readonly name = 'StoreError';
  constructor(
    message: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
