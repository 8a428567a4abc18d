import type { ObjectStore } from '../../src/ports/object-store.js';
import { StoreError } from '../../src/ports/object-store.js';

/** An object store in memory; writes to keys under any of `failingPrefixes` are refused. */
export class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, { body: string; contentType: string }>();
  /** Every key a write was attempted for, in order, refused ones included. */
  readonly puts: string[] = [];
  failingPrefixes: string[];

  constructor(...failingPrefixes: string[]) {
    this.failingPrefixes = failingPrefixes;
  }

  async put(key: string, body: string, contentType: string): Promise<void> {
    this.puts.push(key);
    if (this.failingPrefixes.some((prefix) => key.startsWith(prefix))) {
      throw new StoreError(`AccessDenied: cannot write ${key}`, key);
    }
    this.objects.set(key, { body, contentType });
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
