import type { ObjectStore } from '../../src/store/object-store.js';
import { StoreError } from '../../src/store/object-store.js';

/** An object store in memory; keys under `failingPrefix` refuse writes. */
export class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, { body: string; contentType: string }>();

  constructor(private readonly failingPrefix?: string) {}

  async put(key: string, body: string, contentType: string): Promise<void> {
    if (this.failingPrefix !== undefined && key.startsWith(this.failingPrefix)) {
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
}
