import { parse } from 'csv-parse/sync';
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

/** Rows of cells under `headers`, with the quoting, line ends and formula escaping of `toCsv`. */
export function cellsToCsv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify(
    rows.map((row) => row.map(spreadsheetSafe)),
    { ...CSV_OPTIONS, header: true, columns: headers.map(spreadsheetSafe) },
  );
}

/**
 * One record as a CSV line, CRLF included, quoted and escaped as `cellsToCsv`
 * does it: a header line followed by such lines is byte for byte what
 * `cellsToCsv` writes, so a large report can be written a line at a time.
 */
export function csvLine(cells: readonly string[]): string {
  return stringify([cells.map(spreadsheetSafe)], CSV_OPTIONS);
}

/**
 * Characters a spreadsheet reads as the start of a formula (OWASP, "CSV
 * Injection"): `=`, `+`, `-`, `@`, tab, CR, and the full-width `＝ ＋ － ＠`
 * some spreadsheets normalise to them. After any leading apostrophes, so that
 * escaping can be undone exactly (see `unescapeFormula`).
 */
const FORMULA_START = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain decimal number (`-12.50`): a negative amount, not a formula; it stays a number. */
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A cell made safe for spreadsheets, the OWASP way: a cell that a spreadsheet
 * would run as a formula (`=HYPERLINK(...)`, `+1+1`, `@SUM(...)`, `-2+3`) gets
 * a leading `'`, so Excel, LibreOffice and Google Sheets show it as text.
 * Plain numbers are left alone, negative ones included. A cell already
 * starting with apostrophes before such a character gets one more, so
 * `unescapeFormula` gives back exactly what was written.
 * @example spreadsheetSafe('=HYPERLINK("http://x")') // `'=HYPERLINK("http://x")`
 */
export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
}

/** The inverse of `spreadsheetSafe`, for reading wco's own CSVs back: the raw value. */
export function unescapeFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell) ? cell.slice(1) : cell;
}

/**
 * How wco reads its own CSVs back, whole (`parseCsvRecords`) or streamed
 * (`csv-parse`'s stream API): header first, a BOM tolerated, each record with
 * its line, the formula escaping of `spreadsheetSafe` undone.
 */
export const CSV_READ_OPTIONS = {
  columns: true,
  info: true,
  bom: true,
  cast: (value: string) => unescapeFormula(value),
} as const;

/** A CSV record as wco reads its own reports back: header -> raw cell, and its line. */
export interface CsvRecord {
  readonly record: Record<string, string>;
  readonly line: number;
}

/**
 * Parses a CSV wco wrote (header first, a BOM tolerated) into records with
 * their raw values: the formula escaping of `spreadsheetSafe` undone.
 * Throws what `csv-parse` throws on a malformed file.
 */
export function parseCsvRecords(body: string): CsvRecord[] {
  const records = parse(body, CSV_READ_OPTIONS) as unknown as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  return records.map(({ record, info }) => ({ record, line: info.lines }));
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
