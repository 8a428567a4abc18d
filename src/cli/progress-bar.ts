import type { CliIo } from './io.js';

/**
 * Whether stderr can take a line redrawn in place (a spinner, a progress
 * bar): a terminal whose width is known (ora divides by it; a width of 0 made
 * it loop forever) and that is not a CI log or a dumb terminal.
 */
export function drawsInPlace(io: Pick<CliIo, 'stderr' | 'env'>): boolean {
  const columns = io.stderr.columns ?? 0;
  return io.stderr.isTTY === true && columns > 0 && io.env.TERM !== 'dumb' && io.env.CI === undefined;
}

export interface ProgressBar {
  /** Redraws the bar at `done` of its total, with `text` after it. */
  update(done: number, text: string): void;
  /** Clears the line. */
  stop(): void;
}

/**
 * A one-line progress bar on stderr, `[#######-------]  45/182  text`, redrawn
 * in place. Only where `drawsInPlace` (a pipe, a file or a CI log gets none:
 * `undefined`), and never wider than the terminal.
 */
export function progressBar(io: Pick<CliIo, 'stderr' | 'env'>, total: number): ProgressBar | undefined {
  if (!drawsInPlace(io) || total <= 0) return undefined;
  const stream = io.stderr;
  const columns = stream.columns ?? 0;
  let drawn = '';
  return {
    update(done, text) {
      const counter = `${String(done).padStart(String(total).length)}/${total}`;
      const barWidth = Math.max(10, Math.min(40, columns - counter.length - text.length - 8));
      const filled = Math.round((Math.min(done, total) / total) * barWidth);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${counter}  ${text}`.slice(
        0,
        columns - 1,
      );
      if (line === drawn) return;
      drawn = line;
      stream.write(`\r${line}\u001b[K`);
    },
    stop() {
      if (drawn !== '') stream.write('\r\u001b[K');
      drawn = '';
    },
  };
}
