/**
 * Rows as aligned columns for a terminal: every column padded to its widest
 * cell but the last, which runs free; two spaces between columns.
 * @example textTable(['A', 'B'], [['x', 'long text']]) // 'A  B\nx  long text\n'
 */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}
