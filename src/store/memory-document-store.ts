import type { DocumentStore, StoredDocument, StoredVersion, WriteAnswer } from '../ports/document-store.js';

/**
 * Documents in memory, with the conditional writes of the port (a create
 * loses to an existing key, a replace to a newer version): the conversion
 * ledger of a replay, which must change nothing real and vanish with it.
 */
export class MemoryDocumentStore implements DocumentStore {
  private readonly documents = new Map<string, StoredDocument>();
  private versions = 0;

  async read(key: string): Promise<StoredDocument | undefined> {
    return this.documents.get(key);
  }

  async create(key: string, body: string): Promise<WriteAnswer> {
    if (this.documents.has(key)) return { written: false };
    return this.write(key, body);
  }

  async replace(key: string, body: string, version: string): Promise<WriteAnswer> {
    if (this.documents.get(key)?.version !== version) return { written: false };
    return this.write(key, body);
  }

  async remove(key: string): Promise<void> {
    this.documents.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.documents.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  async listVersions(prefix: string): Promise<StoredVersion[]> {
    return (await this.list(prefix)).map((key) => ({ key, version: this.documents.get(key)!.version }));
  }

  locate(key: string): string {
    return `memory:${key}`;
  }

  private write(key: string, body: string): WriteAnswer {
    this.versions += 1;
    const version = String(this.versions);
    this.documents.set(key, { body, version });
    return { written: true, version };
  }
}
