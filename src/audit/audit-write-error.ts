import type { AuditWriteFailure } from './write-audit-records.js';
import { WcoError } from '../shared/errors.js';

/** Audit objects that could not be written; names every one. */
export class AuditWriteError extends WcoError {
  override readonly name = 'AuditWriteError';
  constructor(readonly failures: readonly AuditWriteFailure[]) {
    super(
      `${failures.length} audit object(s) could not be written: ${failures
        .map((failure) => `${failure.key} (${failure.error})`)
        .join('; ')}`,
    );
  }
}
