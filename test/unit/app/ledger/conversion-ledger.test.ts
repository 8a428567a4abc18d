import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConversionLedger } from '../../../../src/app/ledger/conversion-ledger.js';
import type { LedgerEntry } from '../../../../src/app/ledger/ledger-entry.js';
import { ledgerKeys } from '../../../../src/app/ledger/ledger-entry.js';
import type { DocumentStore } from '../../../../src/ports/document-store.js';
import { LocalFolderStore } from '../../../../src/store/local-folder-store.js';
import { MemoryStore } from '../../../helpers/memory-store.js';
import { ledgerEntry } from './ledger-fixtures.js';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

const scope = { month: '2026-11', account: '111122223333', region: 'us-east-1' };
const settledAt = new Date('2026-11-10T23:00:07Z');
const ENTRY_KEY = 'ledger/2026-11/111122223333_us-east-1_ws-1.json';
const OUTBOX_KEY = 'ledger/outbox/2026-11/111122223333_us-east-1_ws-1';

const stores: { name: string; make: () => Promise<DocumentStore> }[] = [
  { name: 'MemoryStore', make: async () => new MemoryStore() },
  {
    name: 'LocalFolderStore',
    make: async () => {
      const folder = await mkdtemp(join(tmpdir(), 'wco-ledger-'));
      folders.push(folder);
      return new LocalFolderStore(folder);
    },
  },
];

const published = (entries: readonly LedgerEntry[]) =>
  Promise.resolve({ sent: new Set(entries.map((entry) => entry.id)) });

describe.each(stores)('Class: ConversionLedger on $name', ({ make }) => {
  it('claims a new conversion: outbox marker, remembered timeout, entry', async () => {
    // Arrange
    const store = await make();
    const ledger = new ConversionLedger(store);

    // Act
    const answer = await ledger.claim(ledgerEntry({ idleTimeoutMinutes: 480 }), undefined);

    // Assert
    expect(answer.kind).toBe('claimed');
    expect(await store.list('ledger/')).toEqual([
      ENTRY_KEY,
      OUTBOX_KEY,
      'ledger/timeouts/111122223333_us-east-1/ws-1/2026-11_480',
    ]);
    const view = await ledger.load(scope);
    expect(view.entries.get('ws-1')?.entry.status).toBe('INTENDED');
    expect(view.recordedTimeouts.get('ws-1')).toBe(480);
  });

  it('does not remember a timeout for a switch to AutoStop', async () => {
    // Arrange
    const store = await make();
    const ledger = new ConversionLedger(store);

    // Act
    await ledger.claim(
      ledgerEntry({ fromMode: 'ALWAYS_ON', toMode: 'AUTO_STOP', action: 'TO_AUTO_STOP' }),
      undefined,
    );

    // Assert
    expect(await store.list('ledger/timeouts/')).toEqual([]);
  });

  it('lets only one of two runs claim the same conversion', async () => {
    // Arrange
    const store = await make();
    const first = new ConversionLedger(store);
    const second = new ConversionLedger(store);

    // Act
    const answers = await Promise.all([
      first.claim(ledgerEntry({ runId: 'run-a' }), undefined),
      second.claim(ledgerEntry({ runId: 'run-b' }), undefined),
    ]);

    // Assert
    const kinds = answers.map((answer) => answer.kind).sort();
    expect(kinds).toEqual(['claimed', 'lost']);
    const lost = answers.find((answer) => answer.kind === 'lost');
    const winner = answers.find((answer) => answer.kind === 'claimed');
    expect(lost?.kind === 'lost' && lost.current?.entry.runId).toBe(
      winner?.kind === 'claimed' && winner.claimed.entry.runId,
    );
  });

  it('claims a FAILED conversion again by replacing it, and loses against a newer version', async () => {
    // Arrange
    const store = await make();
    const ledger = new ConversionLedger(store);
    const claimed = await ledger.claim(ledgerEntry(), undefined);
    if (claimed.kind !== 'claimed') throw new Error('not claimed');
    const failed = await ledger.settle(claimed.claimed, {
      status: 'FAILED',
      at: settledAt,
      error: 'AccessDenied',
    });

    // Act
    const retry = await ledger.claim(ledgerEntry({ runId: 'run-2', attempts: 2 }), failed);
    const stale = await ledger.claim(ledgerEntry({ runId: 'run-3', attempts: 2 }), failed);

    // Assert
    expect(retry.kind).toBe('claimed');
    expect(stale.kind).toBe('lost');
    expect((await ledger.load(scope)).entries.get('ws-1')?.entry).toMatchObject({
      runId: 'run-2',
      attempts: 2,
    });
  });

  it('settles a claim APPLIED, and leaves alone an entry another run took over', async () => {
    // Arrange
    const store = await make();
    const ledger = new ConversionLedger(store);
    const claimed = await ledger.claim(ledgerEntry(), undefined);
    if (claimed.kind !== 'claimed') throw new Error('not claimed');

    // Act
    const applied = await ledger.settle(claimed.claimed, { status: 'APPLIED', at: settledAt });
    const again = await ledger.settle(claimed.claimed, { status: 'FAILED', at: settledAt, error: 'late' });

    // Assert
    expect(applied?.entry).toMatchObject({ status: 'APPLIED', settledAt: settledAt.toISOString() });
    expect(again).toBeUndefined();
    expect((await ledger.load(scope)).entries.get('ws-1')?.entry.status).toBe('APPLIED');
  });

  it('names an unreadable entry instead of treating its WorkSpace as never converted', async () => {
    // Arrange
    const store = await make();
    const ledger = new ConversionLedger(store);
    await store.create('ledger/2026-11/111122223333_us-east-1_ws-9.json', '{"schema":1');

    // Act
    const view = await ledger.load(scope);

    // Assert
    expect(view.entries.size).toBe(0);
    expect(view.unreadable.get('ws-9')).toContain('not JSON');
  });

  it('reads only its account and region, and the whole month for the summary', async () => {
    // Arrange
    const store = await make();
    const ledger = new ConversionLedger(store);
    await ledger.claim(ledgerEntry(), undefined);
    await ledger.claim(ledgerEntry({ region: 'eu-west-1', workspaceId: 'ws-2' }), undefined);
    await ledger.claim(ledgerEntry({ month: '2026-10', workspaceId: 'ws-3' }), undefined);

    // Act
    const view = await ledger.load(scope);
    const month = await ledger.entriesOfMonth('2026-11');

    // Assert
    expect([...view.entries.keys()]).toEqual(['ws-1']);
    expect(month.entries.map((entry) => entry.workspaceId).sort()).toEqual(['ws-1', 'ws-2']);
  });

  describe('the outbox', () => {
    async function ledgerWith(statuses: Record<string, 'INTENDED' | 'APPLIED' | 'FAILED'>) {
      const store = await make();
      const ledger = new ConversionLedger(store);
      for (const [workspaceId, status] of Object.entries(statuses)) {
        const claimed = await ledger.claim(ledgerEntry({ workspaceId }), undefined);
        if (claimed.kind !== 'claimed') throw new Error('not claimed');
        if (status !== 'INTENDED')
          await ledger.settle(claimed.claimed, {
            status,
            at: settledAt,
            error: status === 'FAILED' ? 'AccessDeniedException: explicit deny in an SCP' : undefined,
          });
      }
      return { store, ledger };
    }

    it('publishes applied and failed conversions once, marks them and empties the outbox', async () => {
      // Arrange
      const { store, ledger } = await ledgerWith({ 'ws-1': 'APPLIED', 'ws-2': 'FAILED', 'ws-3': 'INTENDED' });
      const sent: string[] = [];

      // Act
      const first = await ledger.drainOutbox(async (entries) => {
        sent.push(...entries.map((entry) => entry.workspaceId));
        return published(entries);
      }, settledAt);
      const second = await ledger.drainOutbox(async (entries) => {
        sent.push(...entries.map((entry) => entry.workspaceId));
        return published(entries);
      }, settledAt);

      // Assert: the failed one too, so a failed conversion leaves a record in the audit trail
      expect(sent.sort()).toEqual(['ws-1', 'ws-2']);
      expect(first.published.map((entry) => [entry.status, entry.event])).toEqual(
        expect.arrayContaining([
          ['APPLIED', { published: true, publishedAt: settledAt.toISOString() }],
          ['FAILED', { published: true, publishedAt: settledAt.toISOString() }],
        ]),
      );
      expect(first.pending).toBe(1);
      expect(second.published).toEqual([]);
      expect(await store.list(ledgerKeys.outboxPrefix)).toEqual([
        'ledger/outbox/2026-11/111122223333_us-east-1_ws-3',
      ]);
    });

    it('keeps what was not published for the next run', async () => {
      // Arrange
      const { store, ledger } = await ledgerWith({ 'ws-1': 'APPLIED', 'ws-2': 'APPLIED' });

      // Act
      const partial = await ledger.drainOutbox(
        async () => ({
          sent: new Set(['2026-11/111122223333/us-east-1/ws-2']),
          problem: 'ws-1: InternalFailure',
        }),
        settledAt,
      );
      const failing = await ledger.drainOutbox(async () => {
        throw new Error('EventBridge is down');
      }, settledAt);

      // Assert
      expect(partial.published.map((entry) => entry.workspaceId)).toEqual(['ws-2']);
      expect(partial.problems).toEqual(['events: ws-1: InternalFailure']);
      expect(failing.problems).toEqual(['events: EventBridge is down']);
      expect(await store.list(ledgerKeys.outboxPrefix)).toEqual([OUTBOX_KEY]);
    });
  });
});

describe('Class: ConversionLedger, failures', () => {
  it('rejects a claim when the outbox marker cannot be written: nothing may be converted then', async () => {
    // Arrange
    const ledger = new ConversionLedger(new MemoryStore('ledger/outbox/'));

    // Act / Assert
    await expect(ledger.claim(ledgerEntry(), undefined)).rejects.toThrow(/AccessDenied/);
  });

  it('leaves a stale lock of a dead process behind it (LocalFolderStore)', async () => {
    // Arrange
    const folder = await mkdtemp(join(tmpdir(), 'wco-ledger-'));
    folders.push(folder);
    const store = new LocalFolderStore(folder);
    const ledger = new ConversionLedger(store);
    const claimed = await ledger.claim(ledgerEntry(), undefined);
    if (claimed.kind !== 'claimed') throw new Error('not claimed');
    await mkdir(join(folder, 'ledger/2026-11'), { recursive: true });
    const lock = join(folder, `${ENTRY_KEY}.lock`);
    await writeFile(lock, '');
    await utimes(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

    // Act
    const settled = await ledger.settle(claimed.claimed, { status: 'APPLIED', at: settledAt });

    // Assert
    expect(settled?.entry.status).toBe('APPLIED');
    expect(await store.list('ledger/2026-11/')).toEqual([ENTRY_KEY]);
  });
});

describe('Class: ConversionLedger, what a load reads', () => {
  async function ledgerWithEntries(count: number) {
    const store = new MemoryStore();
    const ledger = new ConversionLedger(store);
    for (let index = 0; index < count; index += 1) {
      const answer = await ledger.claim(ledgerEntry({ workspaceId: `ws-${index}` }), undefined);
      if (answer.kind !== 'claimed') throw new Error('not claimed');
      await ledger.settle(answer.claimed, { status: 'APPLIED', at: settledAt });
    }
    return { store, ledger };
  }
  const entryReads = (store: MemoryStore) =>
    store.documentReads.filter((key) => key.startsWith('ledger/2026-11/'));

  it('reads every entry once, then only the index while nothing changes', async () => {
    // Arrange
    const { store, ledger } = await ledgerWithEntries(5);

    // Act
    const first = await ledger.load(scope);
    const readsAfterFirst = entryReads(store).length;
    const second = await ledger.load(scope);

    // Assert
    expect(readsAfterFirst).toBe(5);
    expect(entryReads(store)).toHaveLength(5);
    expect([...second.entries.keys()].sort()).toEqual([...first.entries.keys()].sort());
    expect(second.entries.get('ws-3')).toEqual(first.entries.get('ws-3'));
  });

  it('reads again exactly the entries another run changed since the index was written', async () => {
    // Arrange
    const { store, ledger } = await ledgerWithEntries(4);
    await ledger.load(scope);
    const other = new ConversionLedger(store);
    const failed = (await other.load(scope)).entries.get('ws-2')!;
    await other.claim(ledgerEntry({ workspaceId: 'ws-2', runId: 'run-2', attempts: 2 }), failed);
    const before = entryReads(store).length;

    // Act
    const view = await ledger.load(scope);

    // Assert
    expect(entryReads(store).slice(before)).toEqual(['ledger/2026-11/111122223333_us-east-1_ws-2.json']);
    expect(view.entries.get('ws-2')?.entry).toMatchObject({ runId: 'run-2', status: 'INTENDED' });
  });

  it('falls back to reading every entry when the index is not one', async () => {
    // Arrange
    const { store, ledger } = await ledgerWithEntries(3);
    await ledger.load(scope);
    store.objects.set(ledgerKeys.index(scope), {
      body: '{"schema":1,"entries":7}',
      contentType: 'application/json',
    });
    const before = entryReads(store).length;

    // Act
    const view = await ledger.load(scope);

    // Assert
    expect(entryReads(store).length - before).toBe(3);
    expect(view.entries.size).toBe(3);
  });
});
