/** A terminal's output stream: its width, when it is one. */
export type TerminalStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ProgressBar {
  /** Redraws the bar at `done` of its total, with `text` after it. */
  update(done: number, text: string): void;
  /** Clears the line. */
  stop(): void;
}

/**
 * A one-line progress bar, `[#######-------]  45/182  text`, redrawn in place.
 * Only at a terminal with a real width (a pipe, a file or a CI log gets none:
 * `undefined`), and never wider than the terminal.
 */
export function progressBar(stream: TerminalStream, total: number): ProgressBar | undefined {
  const columns = stream.columns ?? 0;
  if (stream.isTTY !== true || !(columns > 0) || total <= 0) return undefined;
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
