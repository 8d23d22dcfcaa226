// docs/configuration.md against src/config.ts: every variable of the schema has one row, no row names a variable
// the schema lacks, and each row's default is the schema's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { envSchema } from '../../src/config';

const DOC = 'docs/configuration.md';
const text = readFileSync(join(__dirname, '../..', DOC), 'utf8');

/** The schema's default as the doc writes it (`""` for the empty string), or undefined when it has none. */
function schemaDefault(type: z.ZodTypeAny): string | undefined {
  if (!(type instanceof z.ZodDefault)) return undefined;
  const value: unknown = (type._def as { defaultValue: () => unknown }).defaultValue();
  return value === '' ? '""' : String(value);
}

/** Table rows whose first cell is one backticked variable: name → default cell, with the line. */
const rows = new Map<string, { line: number; cell: string }>();
const twice: string[] = [];
text.split('\n').forEach((row, i) => {
  const m = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]*)\|/.exec(row);
  if (m === null) return;
  const [, name = '', cell = ''] = m;
  if (rows.has(name)) twice.push(`${DOC}:${i + 1} lists ${name} again`);
  rows.set(name, { line: i + 1, cell: cell.trim() });
});
const schema = envSchema.shape as Record<string, z.ZodTypeAny>;

describe(DOC, () => {
  it('has a row for every variable of the schema', () => {
    const missing = Object.keys(schema).filter((k) => !rows.has(k));
    expect(missing.map((k) => `${k} is in envSchema (src/config.ts) but has no row in ${DOC}`)).toEqual([]);
  });

  it('names no variable the schema does not have, and each once', () => {
    const rowNames = [...rows]
      .filter(([k]) => !(k in schema))
      .map(([k, r]) => `${DOC}:${r.line} names ${k}, which envSchema does not have`);
    // Variables named in the prose too, written like `SOME_NAME`.
    const prose = [...text.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)]
      .map((m) => m[1] ?? '')
      .filter((k) => !(k in schema))
      .map((k) => `${DOC} mentions ${k}, which envSchema does not have`);
    expect([...rowNames, ...prose, ...twice]).toEqual([]);
  });

  it("gives each variable the schema's default, and none where the schema has none", () => {
    const wrong: string[] = [];
    for (const [name, type] of Object.entries(schema)) {
      const row = rows.get(name);
      if (row === undefined) continue;
      const expected = schemaDefault(type);
      if (expected === undefined ? !row.cell.startsWith('—') : !row.cell.startsWith(`\`${expected}\``))
        wrong.push(
          `${DOC}:${row.line} ${name}: default "${row.cell}", schema ${expected ?? 'none (write —)'}`,
        );
    }
    expect(wrong).toEqual([]);
  });
});
