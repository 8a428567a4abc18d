import { describe, expect, it } from 'vitest';
import { MemoryDocumentStore } from '../../../src/store/memory-document-store.js';

describe('MemoryDocumentStore: the conditional writes of the port, in memory', () => {
  it('creates a key once; a second create loses', async () => {
    const store = new MemoryDocumentStore();
    const first = await store.create('ledger/a.json', 'one');
    expect(first.written).toBe(true);
    expect(await store.create('ledger/a.json', 'two')).toEqual({ written: false });
    expect((await store.read('ledger/a.json'))?.body).toBe('one');
  });

  it('replaces only the version it read', async () => {
    const store = new MemoryDocumentStore();
    const created = await store.create('k', 'one');
    if (!created.written) throw new Error('not created');
    const replaced = await store.replace('k', 'two', created.version);
    expect(replaced.written).toBe(true);
    expect(await store.replace('k', 'three', created.version)).toEqual({ written: false });
    expect(await store.replace('missing', 'x', created.version)).toEqual({ written: false });
    expect((await store.read('k'))?.body).toBe('two');
  });

  it('lists a prefix sorted, and forgets what is removed', async () => {
    const store = new MemoryDocumentStore();
    for (const key of ['ledger/b', 'ledger/a', 'other/c']) await store.create(key, key);
    expect(await store.list('ledger/')).toEqual(['ledger/a', 'ledger/b']);
    await store.remove('ledger/a');
    await store.remove('ledger/none');
    expect(await store.list('')).toEqual(['ledger/b', 'other/c']);
    expect(await store.read('ledger/a')).toBeUndefined();
  });

  it('lists a prefix with the current version of each key, as the ledger index reads it', async () => {
    const store = new MemoryDocumentStore();
    const a = await store.create('ledger/a', 'one');
    const b = await store.create('ledger/b', 'one');
    await store.create('other/c', 'one');
    if (!a.written || !b.written) throw new Error('not created');
    const replaced = await store.replace('ledger/a', 'two', a.version);
    if (!replaced.written) throw new Error('not replaced');
    expect(replaced.version).not.toBe(a.version);
    expect(await store.listVersions('ledger/')).toEqual([
      { key: 'ledger/a', version: replaced.version },
      { key: 'ledger/b', version: b.version },
    ]);
  });
});
