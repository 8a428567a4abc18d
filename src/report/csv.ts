import { stringify } from 'csv-stringify/sync';

/** One CSV column: its header and how a row becomes its cell. */
export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => string;
}

/**
 * Rows -> CSV text: header first, RFC 4180 quoting (a field with a comma,
 * quote or line break is quoted, quotes doubled) and CRLF line endings.
 */
export function toCsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  return cellsToCsv(
    columns.map((column) => column.header),
    rows.map((row) => columns.map((column) => column.cell(row))),
  );
}

const CSV_OPTIONS = {
  record_delimiter: 'windows',
  // With CRLF records csv-stringify only quotes a field holding the full CRLF;
  // a lone LF or CR must be quoted too or spreadsheets split the row.
  quoted_match: /[\r\n]/,
} as const;

/** Rows of cells under `headers`, with the quoting and line ends of `toCsv`. */
export function cellsToCsv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify(
    rows.map((row) => [...row]),
    { ...CSV_OPTIONS, header: true, columns: [...headers] },
  );
}

/**
 * One record as a CSV line, CRLF included, quoted as `cellsToCsv` quotes it:
 * a header line followed by such lines is byte for byte what `cellsToCsv`
 * writes, so a large report can be written a line at a time.
 */
export function csvLine(cells: readonly string[]): string {
  return stringify([[...cells]], CSV_OPTIONS);
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
