// The `deadlines` command: one ticket from flags, or one JSON request per line on stdin, answered as one
// JSON line each. Thin: validates with zod, asks SlaEngine, formats with isoInZone; no SLA rule lives here.
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import type { Policy } from '../domain/policy/schema';
import { SlaEngine, type SlaResult, type TargetResult } from '../domain/sla/engine';
import { isoInZone, parseInstant, parseLocalDate } from '../domain/sla/format';
import {
  PRIORITIES,
  type Clock,
  type Instant,
  type Pause,
  type Priority,
  type TargetName,
} from '../domain/sla/types';
import { oneLine, parseFlags, splitSpan, UsageError } from './args';
import type { CliContext } from './context';
import { answerEachLine } from './lines';

/** One validated request: a ticket's priority, dispatch instant, pauses and extra holidays. */
export interface DeadlineRequest {
  readonly priority: Priority;
  readonly dispatched: Instant;
  readonly pauses: readonly Pause[];
  readonly holidays: readonly string[];
}

export interface NoticeAnswer {
  readonly percent: number;
  readonly firesAt: string;
  readonly deliverAt: string;
}

/** One target as printed; `null` times cannot be reached while an open pause stops the clock. */
export interface TargetAnswer {
  readonly due: string | null;
  readonly clock: Clock;
  readonly budgetMinutes: number;
  readonly warnings: Readonly<Record<string, string | null>>;
  readonly notices?: readonly NoticeAnswer[];
}

export interface DeadlineAnswer {
  readonly priority: Priority;
  readonly window: SlaResult['window'];
  readonly response: TargetAnswer;
  readonly workaround: TargetAnswer;
}

// --- validation -------------------------------------------------------------------------------------------

/** A readable name for a field path: "dispatched", "pause 2 end", "holiday 1". */
function label(path: readonly (string | number)[]): string {
  const [field, index, part] = path;
  if (field === 'pauses' && typeof index === 'number') {
    return `pause ${index + 1}${part === 0 ? ' start' : part === 1 ? ' end' : ''}`;
  }
  if (field === 'holidays' && typeof index === 'number') return `holiday ${index + 1}`;
  return field === undefined ? 'request' : String(field);
}

/** Issues whose message already names the field (they come from parseInstant / parseLocalDate). */
const NAMED = { named: true } as const;

function instantAt(
  text: string,
  path: readonly (string | number)[],
  ctx: z.RefinementCtx,
): Instant | undefined {
  try {
    return parseInstant(text, label(path));
  } catch (e) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: oneLine(e), params: NAMED });
    return undefined;
  }
}

const isoText = z.string({
  required_error: 'is required',
  invalid_type_error: 'must be an ISO 8601 date-time string',
});

const pauseSchema = z
  .array(isoText.nullable(), { invalid_type_error: 'must be a pair [start, end] (end null while it lasts)' })
  .min(1, 'must be a pair [start, end] (end null while it lasts)')
  .max(2, 'must be a pair [start, end] (end null while it lasts)')
  .transform((pair, ctx): Pause => {
    const [startText, endText] = pair;
    if (startText === null || startText === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'needs a start' });
      return z.NEVER;
    }
    const start = instantAt(startText, [...ctx.path, 0], ctx);
    const open = endText === null || endText === undefined || endText === '';
    const end = open ? undefined : instantAt(endText, [...ctx.path, 1], ctx);
    if (start === undefined || (!open && end === undefined)) return z.NEVER;
    if (end !== undefined && end < start) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `ends (${endText ?? ''}) before it starts (${startText})`,
      });
      return z.NEVER;
    }
    return end === undefined ? { start } : { start, end };
  });

const holidaySchema = z
  .string({ invalid_type_error: 'must be a date string like 2026-11-26' })
  .transform((text, ctx) => {
    try {
      return parseLocalDate(text, label(ctx.path));
    } catch (e) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: oneLine(e), params: NAMED });
      return z.NEVER;
    }
  });

const requestSchema = z
  .object(
    {
      priority: z.enum(PRIORITIES, {
        errorMap: (issue, ctx) => ({
          message:
            issue.code === z.ZodIssueCode.invalid_type && ctx.data === undefined
              ? 'is required'
              : `must be P1, P2 or P3, got ${JSON.stringify(ctx.data)}`,
        }),
      }),
      dispatched: isoText.transform((text, ctx) => instantAt(text, ctx.path, ctx) ?? z.NEVER),
      pauses: z
        .array(pauseSchema, { invalid_type_error: 'must be a list of [start, end] pairs' })
        .max(10_000)
        .optional(),
      holidays: z
        .array(holidaySchema, { invalid_type_error: 'must be a list of dates' })
        .max(10_000)
        .optional(),
    },
    {
      invalid_type_error:
        'must be a JSON object like {"priority":"P2","dispatched":"2026-11-27T23:10:00-05:00"}',
    },
  )
  .strict();

function describe(issue: z.ZodIssue): string {
  if (issue.code === z.ZodIssueCode.custom && issue.params?.['named'] === true) return issue.message;
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return `${label(issue.path)} ${issue.message}`;
}

/**
 * Validates one request (parsed JSON or flags); throws RangeError naming every problem.
 * @example parseRequest({ priority: 'P4', dispatched: '2026-11-27T23:10' })
 *   // RangeError: priority must be P1, P2 or P3, got "P4"; dispatched "2026-11-27T23:10" has no UTC offset; …
 */
export function parseRequest(raw: unknown): DeadlineRequest {
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) throw new RangeError(parsed.error.issues.map(describe).join('; '));
  const { priority, dispatched, pauses, holidays } = parsed.data;
  return { priority, dispatched, pauses: pauses ?? [], holidays: holidays ?? [] };
}

// --- answering --------------------------------------------------------------------------------------------

/** SlaEngines by holiday set, so many requests share compiled calendars. Bounded; oldest set goes first. */
export class EngineCache {
  private readonly engines = new Map<string, SlaEngine>();

  constructor(
    readonly policy: Policy,
    private readonly max = 64,
  ) {}

  get(holidays: readonly string[]): SlaEngine {
    const unique = holidays.length === 0 ? [] : [...new Set(holidays)].sort();
    const key = unique.join(',');
    let engine = this.engines.get(key);
    if (engine === undefined) {
      if (this.engines.size >= this.max) {
        const oldest = this.engines.keys().next();
        if (oldest.done !== true) this.engines.delete(oldest.value);
      }
      engine = new SlaEngine(this.policy, unique);
      this.engines.set(key, engine);
    }
    return engine;
  }
}

function targetAnswer(
  engine: SlaEngine,
  result: SlaResult,
  target: TargetName,
  delivery: boolean,
): TargetAnswer {
  const zone = engine.policy.timeZone;
  const iso = (t: Instant | null): string | null => (t === null ? null : isoInZone(t, zone));
  const r: TargetResult = result[target];
  const warnings: Record<string, string | null> = {};
  for (const w of r.warnings) warnings[String(w.percent)] = iso(w.at);
  const answer = { due: iso(r.due), clock: r.basis.clock, budgetMinutes: r.basis.budgetMinutes, warnings };
  if (!delivery) return answer;
  const notices = engine.notices(result, target).map((n) => ({
    percent: n.percent,
    firesAt: isoInZone(n.firesAt, zone),
    deliverAt: isoInZone(n.deliverAt, zone),
  }));
  return { ...answer, notices };
}

/**
 * The printed answer for one request: window, then each target's due time, clock, budget and warnings.
 * @example answer(cache, { priority: 'P2', dispatched: Date.parse('2026-11-27T23:10-05:00'), pauses: [], holidays: [] }, false)
 *   // { priority: 'P2', window: 'after-hours', response: { due: '2026-11-30T05:10:00.000-05:00', … }, … }
 */
export function answer(cache: EngineCache, request: DeadlineRequest, delivery: boolean): DeadlineAnswer {
  const engine = cache.get(request.holidays);
  const result = engine.evaluate({
    dispatched: request.dispatched,
    priority: request.priority,
    pauses: request.pauses,
  });
  return {
    priority: result.priority,
    window: result.window,
    response: targetAnswer(engine, result, 'response', delivery),
    workaround: targetAnswer(engine, result, 'workaround', delivery),
  };
}

/** The JSON line answering one stdin line: the answer, or {"error": "…"}. */
export function answerLine(cache: EngineCache, line: string, delivery: boolean): string {
  try {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new RangeError(`request is not valid JSON (${oneLine(e)})`, { cause: e });
    }
    return JSON.stringify(answer(cache, parseRequest(raw), delivery));
  } catch (e) {
    return JSON.stringify({ error: oneLine(e) });
  }
}

/** Answers one JSON request per input line, in order, one JSON line each; blank lines are skipped. */
export function answerStream(
  input: Readable,
  output: Writable,
  cache: EngineCache,
  delivery: boolean,
): Promise<void> {
  return answerEachLine(input, output, (line) => answerLine(cache, line, delivery));
}

// --- the command ------------------------------------------------------------------------------------------

const FLAGS = {
  priority: 'value',
  dispatched: 'value',
  pause: 'repeat',
  holiday: 'repeat',
  policy: 'value',
  delivery: 'switch',
} as const;

/** `deadlines …`: flags describe one ticket; without --priority, requests come one per line on stdin. */
export async function deadlinesCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const flags = parseFlags('deadlines', FLAGS, argv);
  const delivery = flags.delivery === true;
  if (flags.priority === undefined) {
    if (flags.dispatched !== undefined || flags.pause !== undefined || flags.holiday !== undefined) {
      throw new UsageError(
        'deadlines: --dispatched, --pause and --holiday describe one ticket and need --priority (without it, requests are read from stdin)',
      );
    }
    const cache = new EngineCache(ctx.policy(flags.policy));
    await answerStream(ctx.stdin, ctx.stdout, cache, delivery);
    return 0;
  }
  if (flags.dispatched === undefined)
    throw new UsageError('deadlines: missing --dispatched (like 2026-11-27T23:10:00-05:00)');
  const pauses = (flags.pause ?? []).map((text) => {
    const { start, end } = splitSpan(text, 'deadlines: --pause');
    return [start, end === '' ? null : end];
  });
  let request: DeadlineRequest;
  try {
    request = parseRequest({
      priority: flags.priority,
      dispatched: flags.dispatched,
      pauses,
      holidays: flags.holiday ?? [],
    });
  } catch (e) {
    throw new UsageError(`deadlines: ${oneLine(e)}`);
  }
  const cache = new EngineCache(ctx.policy(flags.policy), 1);
  ctx.stdout.write(JSON.stringify(answer(cache, request, delivery)) + '\n');
  return 0;
}
