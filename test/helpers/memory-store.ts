import type {
  DocumentStore,
  StoredDocument,
  StoredVersion,
  WriteAnswer,
} from '../../src/ports/document-store.js';
import type { StreamingObjectStore } from '../../src/ports/object-store.js';
import { StoreError } from '../../src/ports/object-store.js';

/**
 * An object (and document) store in memory; writes to keys under any of
 * `failingPrefixes` are refused. Versions are a per-store counter, so a
 * replace with a stale version loses as it would on S3.
 */
export class MemoryStore implements StreamingObjectStore, DocumentStore {
  readonly objects = new Map<string, { body: string; contentType: string; version?: string }>();
  private versions = 0;
  /** Refuses the next N writes under a prefix (each refusal counts one down). */
  readonly failNext = new Map<string, number>();
  /** Every key a write was attempted for, in order, refused ones included. */
  readonly puts: string[] = [];
  failingPrefixes: string[];

  constructor(...failingPrefixes: string[]) {
    this.failingPrefixes = failingPrefixes;
  }

  async put(key: string, body: string, contentType: string): Promise<void> {
    this.refuseIfFailing(key);
    this.objects.set(key, { body, contentType, version: this.nextVersion() });
  }

  async listVersions(prefix: string): Promise<StoredVersion[]> {
    this.listings.push(prefix);
    return (await this.list(prefix)).map((key) => ({ key, version: this.objects.get(key)!.version ?? 'v0' }));
  }

  /** Every prefix listed with versions, in order (what a ledger read cost). */
  readonly listings: string[] = [];
  /** Every key read as a document, in order. */
  readonly documentReads: string[] = [];

  async putStream(key: string, body: AsyncIterable<string>, contentType: string): Promise<void> {
    let text = '';
    for await (const piece of body) text += piece;
    await this.put(key, text, contentType);
  }

  /** In small pieces, so that readers are tested on text split anywhere. */
  async getStream(key: string): Promise<AsyncIterable<string> | undefined> {
    const body = this.objects.get(key)?.body;
    if (body === undefined) return undefined;
    return (async function* () {
      for (let start = 0; start < body.length; start += 61) yield body.slice(start, start + 61);
    })();
  }

  async read(key: string): Promise<StoredDocument | undefined> {
    this.documentReads.push(key);
    const stored = this.objects.get(key);
    return stored === undefined ? undefined : { body: stored.body, version: stored.version ?? 'v0' };
  }

  async create(key: string, body: string): Promise<WriteAnswer> {
    this.refuseIfFailing(key);
    if (this.objects.has(key)) return { written: false };
    const version = this.nextVersion();
    this.objects.set(key, { body, contentType: 'application/json', version });
    return { written: true, version };
  }

  async replace(key: string, body: string, expected: string): Promise<WriteAnswer> {
    this.refuseIfFailing(key);
    const stored = this.objects.get(key);
    if (stored === undefined || (stored.version ?? 'v0') !== expected) return { written: false };
    const version = this.nextVersion();
    this.objects.set(key, { body, contentType: stored.contentType, version });
    return { written: true, version };
  }

  async remove(key: string): Promise<void> {
    this.objects.delete(key);
  }

  private refuseIfFailing(key: string): void {
    this.puts.push(key);
    if (this.failingPrefixes.some((prefix) => key.startsWith(prefix))) {
      throw new StoreError(`AccessDenied: cannot write ${key}`, key);
    }
    for (const [prefix, left] of this.failNext)
      if (key.startsWith(prefix) && left > 0) {
        this.failNext.set(prefix, left - 1);
        throw new StoreError(`AccessDenied: cannot write ${key}`, key);
      }
  }

  private nextVersion(): string {
    this.versions += 1;
    return `v${this.versions}`;
  }

  async get(key: string): Promise<string | undefined> {
    return this.objects.get(key)?.body;
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  locate(key: string): string {
    return `memory://${key}`;
  }

  /** Every NDJSON line of every object under `prefix`, parsed. */
  records(prefix = 'audit/'): Record<string, unknown>[] {
    return [...this.objects]
      .filter(([key]) => key.startsWith(prefix))
      .flatMap(([, object]) => object.body.split('\n').filter((line) => line !== ''))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
