// The summary table of `npm run test:faults`: one row per scenario, aligned, in Markdown so it can be pasted.
import { failed, type ScenarioResult } from './rig';

const COLUMNS: readonly (readonly [string, (r: ScenarioResult) => string])[] = [
  ['scenario', (r) => r.scenario],
  ['operations', (r) => String(r.operations)],
  ['faults injected', (r) => String(r.faults)],
  ['lost', (r) => String(r.lost)],
  ['duplicated', (r) => String(r.duplicated)],
  ['leaked', (r) => String(r.leaked)],
  ['undelivered', (r) => String(r.undelivered)],
  ['late', (r) => String(r.late)],
  ['errors seen by users', (r) => String(r.userErrors)],
  ['lost responses', (r) => String(r.lostResponses)],
  ['in doubt', (r) => String(r.inDoubt)],
  ['s', (r) => r.seconds.toFixed(0)],
  ['result', (r) => (failed(r) ? 'FAIL' : 'ok')],
];

export function formatTable(results: readonly ScenarioResult[]): string {
  const rows = [COLUMNS.map(([h]) => h), ...results.map((r) => COLUMNS.map(([, f]) => f(r)))];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string =>
    `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const [head, ...body] = rows;
  return [line(head ?? []), rule, ...body.map(line)].join('\n');
}
