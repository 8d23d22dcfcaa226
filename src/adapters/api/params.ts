// Readers of request input shared by the tab API's routes: each gives the value, or the 400 answer that
// names the field and says what it should look like.
import type { z } from 'zod';
import { localInstant, monthOf } from '../../domain/outages/time';
import { parseInstant, type Instant } from '../../domain/sla';
import { badRequest, type Parsed } from './route';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A `month` parameter like "2026-11", or `fallback` when absent. */
export function monthParam<F extends string | undefined>(
  raw: string | undefined,
  fallback: F,
): Parsed<string | F> {
  if (raw === undefined) return fallback;
  return MONTH.test(raw) ? raw : badRequest('month must look like 2026-11.', 'month');
}

/** The `month` of a report or list: "2026-11", the current month in `zone` when absent or blank. */
export function monthOrCurrent(
  q: Readonly<Record<string, string>>,
  now: Instant,
  zone: string,
): Parsed<string> {
  const raw = q['month'];
  return monthParam(raw === '' ? undefined : raw, monthOf(now, zone));
}

export type Format = 'json' | 'csv' | 'html';

/** The `format` of a report: JSON (the default), a CSV download or a printable page. */
export function formatParam(q: Readonly<Record<string, string>>): Parsed<Format> {
  const f = q['format'] ?? 'json';
  return f === 'json' || f === 'csv' || f === 'html'
    ? f
    : badRequest('format must be json, csv or html.', 'format');
}

/** "P1,P2" → ['P1', 'P2']; blank or absent → []. */
export function listParam(v: string | undefined): string[] {
  return v === undefined || v.trim() === ''
    ? []
    : v
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
}

const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;

/**
 * An ISO time with offset, or a wall time "2026-11-25T12:00" in the policy's zone (what a datetime-local
 * input gives).
 */
export function timeParam(value: string, field: string, zone: string): Parsed<Instant> {
  const local = LOCAL.exec(value);
  if (local !== null) {
    const t = localInstant(local[1] ?? '', local[2] ?? '', zone, field);
    return t.ok ? t.value : badRequest(t.error.message, field);
  }
  try {
    return parseInstant(value, field);
  } catch (e) {
    return badRequest(e instanceof Error ? e.message : `${field} is not valid.`, field);
  }
}

/** A JSON body checked against a schema; the first issue as a 400 naming its field otherwise. */
export function bodyParam<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): Parsed<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  return badRequest(`${field === '' ? 'The request' : field}: ${issue?.message ?? 'is not valid'}.`, field);
}
