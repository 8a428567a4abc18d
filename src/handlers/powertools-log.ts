import type { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../shared/log.js';

// Powertools drops attributes with these names (with a warning), and the core's
// failures carry a `message`: renamed, they stay in the log line.
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'level',
  'message',
  'sampling_rate',
  'service',
  'timestamp',
]);

/**
 * The core's `Log` on a Powertools `Logger`: each attribute becomes a top-level
 * key of the JSON log line; a reserved name like `message` becomes `detailMessage`.
 */
export function powertoolsLog(logger: Logger): Log {
  return {
    info: (message, attributes) => logger.info(message, safeKeys(attributes)),
    warn: (message, attributes) => logger.warn(message, safeKeys(attributes)),
    error: (message, attributes) => logger.error(message, safeKeys(attributes)),
  };
}

function safeKeys(attributes: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes).map(([key, value]) => [
      RESERVED_KEYS.has(key) ? `detail${key[0]!.toUpperCase()}${key.slice(1)}` : key,
      value,
    ]),
  );
}
