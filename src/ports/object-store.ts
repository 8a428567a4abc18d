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
