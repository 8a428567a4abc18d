import { ConversionLedger } from '../../src/app/ledger/conversion-ledger.js';
import { StoredReports } from '../../src/report/stored-reports.js';
import type { DocumentStore } from '../../src/ports/document-store.js';
import type { StreamingObjectStore } from '../../src/ports/object-store.js';
import { MemoryStore } from './memory-store.js';

/** The reports and the conversion ledger of a run, both in one store (a bucket or a folder in production). */
export function storeBacked(store: StreamingObjectStore & DocumentStore = new MemoryStore()): {
  reports: StoredReports;
  ledger: ConversionLedger;
} {
  return { reports: new StoredReports(store), ledger: new ConversionLedger(store) };
}
