import { describe, expect, it } from 'vitest';
import { ConversionLedger } from '../../../src/app/ledger/conversion-ledger.js';
import { S3ObjectStore } from '../../../src/aws/s3-object-store.js';
import { StoreError } from '../../../src/ports/object-store.js';
import { ledgerEntry } from '../../unit/app/ledger/ledger-fixtures.js';
import { testClients, useEmulator } from '../../helpers/aws-test-kit.js';

const emulator = useEmulator(() => ({ buckets: ['reports'] }));
const store = () => new S3ObjectStore(testClients()('us-east-1').s3, 'reports');

describe('Class: S3ObjectStore as a DocumentStore (conditional writes on the emulator)', () => {
  it('creates with If-None-Match: * and loses when the key exists', async () => {
    // Arrange
    const s3 = store();

    // Act
    const first = await s3.create('ledger/doc.json', '{"a":1}');
    const second = await s3.create('ledger/doc.json', '{"a":2}');

    // Assert
    expect(first.written).toBe(true);
    expect(second).toEqual({ written: false });
    expect((await s3.read('ledger/doc.json'))?.body).toBe('{"a":1}');
  });

  it('replaces with If-Match: the current ETag wins, a stale one or a missing key loses', async () => {
    // Arrange
    const s3 = store();
    const created = await s3.create('ledger/replace.json', 'one');
    if (!created.written) throw new Error('not created');

    // Act
    const fresh = await s3.replace('ledger/replace.json', 'two', created.version);
    const stale = await s3.replace('ledger/replace.json', 'three', created.version);
    const missing = await s3.replace('ledger/none.json', 'x', created.version);

    // Assert
    expect(fresh.written).toBe(true);
    expect(fresh.written && fresh.version).toBe((await s3.read('ledger/replace.json'))?.version);
    expect(stale).toEqual({ written: false });
    expect(missing).toEqual({ written: false });
    expect((await s3.read('ledger/replace.json'))?.body).toBe('two');
  });

  it('removes a key, and a missing key quietly', async () => {
    // Arrange
    const s3 = store();
    await s3.create('ledger/gone.json', 'x');

    // Act
    await s3.remove('ledger/gone.json');
    await s3.remove('ledger/gone.json');

    // Assert
    expect(await s3.read('ledger/gone.json')).toBeUndefined();
  });

  it('rejects a write S3 refuses for another reason (access denied) with StoreError', async () => {
    // Arrange
    emulator.current.state.faults = { putObjectFailsUnder: ['ledger/denied/'] };

    // Act / Assert
    await expect(store().create('ledger/denied/x.json', 'x')).rejects.toBeInstanceOf(StoreError);
    emulator.current.state.faults = {};
  });

  it('lets exactly one of ten concurrent runs claim a conversion', async () => {
    // Arrange
    const ledgers = Array.from({ length: 10 }, () => new ConversionLedger(store()));

    // Act
    const answers = await Promise.all(
      ledgers.map((ledger, index) =>
        ledger.claim(ledgerEntry({ workspaceId: 'ws-race', runId: `run-${index}` }), undefined),
      ),
    );

    // Assert
    expect(answers.filter((answer) => answer.kind === 'claimed')).toHaveLength(1);
  });
});
