import type { Log } from '../shared/log.js';

/** A readable one-line-per-event log for people at a terminal (the Lambda uses Powertools). */
export function stderrLog(stderr: NodeJS.WritableStream): Log {
  const write = (level: string) => (message: string, attributes?: Record<string, unknown>) => {
    const detail = attributes
      ? Object.entries(attributes)
          .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join(' ')
      : '';
    stderr.write(`${level} ${message}${detail ? ` ${detail}` : ''}\n`);
  };
  return { info: write('info '), warn: write('warn '), error: write('error') };
}
