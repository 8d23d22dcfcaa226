// CSV as spreadsheets expect it (RFC 4180): a header, CRLF line ends, quotes where needed, a UTF-8 byte
// order mark for Excel, and no cell a spreadsheet would run as a formula. Pure.

export type Cell = string | number | boolean | null | undefined;

/** Text cells starting with these are formulas to Excel, LibreOffice and Google Sheets. */
const FORMULA = /^[=+\-@\t\r]/;

/**
 * One CSV cell: numbers as they are, text guarded against formula injection and quoted when needed.
 * @example csvCell('=HYPERLINK("x")') // '"\'=HYPERLINK(""x"")"'
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: BOM, header, rows, CRLF after every line. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
