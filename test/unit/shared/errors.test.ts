import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor } from '../../../src/cli/io.js';
import { ConfigError, UsageError } from '../../../src/config/settings.js';
import { StoreError } from '../../../src/ports/object-store.js';
import { PriceFileError } from '../../../src/pricing/price-file.js';
import { errorDisposition, ErrorDisposition, errorMessage, WcoError } from '../../../src/shared/errors.js';

describe('Function: errorDisposition', () => {
  it.each([
    ['a configuration error', new ConfigError(['REGIONS: must name at least one region'])],
    ['a usage error', new UsageError('--seed only applies to --demo')],
    ['a bad price file', new PriceFileError('prices.csv', ['line 2: bad'])],
  ])('calls %s bad input, exit 2', (_, error) => {
    // Act & Assert
    expect(error).toBeInstanceOf(WcoError);
    expect(errorDisposition(error)).toBe(ErrorDisposition.BAD_INPUT);
    expect(exitCodeFor(error)).toBe(ExitCode.USAGE);
  });

  it.each([
    ['a failed write', new StoreError('could not write x', 'x')],
    ['an SDK error', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })],
    ['a thrown string', 'boom'],
  ])('calls %s a run failure, exit 1', (_, error) => {
    // Act & Assert
    expect(errorDisposition(error)).toBe(ErrorDisposition.RUN_FAILURE);
    expect(exitCodeFor(error)).toBe(ExitCode.RUN_FAILED);
  });
});

describe('Class: WcoError', () => {
  it('keeps the subclass name and the cause it wraps', () => {
    // Arrange
    const cause = new Error('EACCES');

    // Act
    const error = new StoreError('could not write x', 'x', { cause });

    // Assert
    expect(error.name).toBe('StoreError');
    expect(error.cause).toBe(cause);
    expect(errorMessage(error)).toBe('StoreError: could not write x');
  });
});
