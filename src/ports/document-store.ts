/**
 * Small documents that several runs may write at once (the conversion ledger):
 * every write is conditional, so two runs can never both believe they won.
 * S3 does it with `If-None-Match: *` and `If-Match: <etag>`; a local folder with
 * an exclusive create and a lock file. Lost races are answers, not errors;
 * anything else (access denied, a full disk) rejects with `StoreError`.
 */
export interface DocumentStore {
  /** The document and its version (an S3 ETag), or `undefined` when there is none. */
  read(key: string): Promise<StoredDocument | undefined>;
  /** Writes `body` only if nothing is stored at `key` yet. */
  create(key: string, body: string): Promise<WriteAnswer>;
  /** Writes `body` only if the stored document is still at `version`. */
  replace(key: string, body: string, version: string): Promise<WriteAnswer>;
  /** Removes `key`; removing a missing key is not an error. */
  remove(key: string): Promise<void>;
  /** Every key under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /**
   * Every key under `prefix` with its current version (S3 lists ETags), sorted
   * by key: what lets a reader skip documents it already holds at that version.
   */
  listVersions(prefix: string): Promise<StoredVersion[]>;
  /** Where a key lives, for people: `s3://bucket/key` or a file path. */
  locate(key: string): string;
}

export interface StoredVersion {
  readonly key: string;
  readonly version: string;
}

export interface StoredDocument {
  readonly body: string;
  readonly version: string;
}

/** `written: false` means another writer got there first: read again and decide. */
export type WriteAnswer = { readonly written: true; readonly version: string } | { readonly written: false };
