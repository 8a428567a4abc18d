import type { Log } from '../../src/shared/log.js';

/** A `Log` that keeps every line: `[level, message, attributes]`, for tests that check what a run says. */
export function recordingLog(): Log & { readonly lines: [string, string, Record<string, unknown>?][] } {
  const lines: [string, string, Record<string, unknown>?][] = [];
  return {
    lines,
    info: (message, attributes) => lines.push(['info', message, attributes]),
    warn: (message, attributes) => lines.push(['warn', message, attributes]),
    error: (message, attributes) => lines.push(['error', message, attributes]),
  };
}
