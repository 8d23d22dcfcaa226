// Structured logs (pino): JSON lines in production, short text lines locally. Every line carries the
// correlation fields of the turn or job it belongs to (withLogContext), and never a token or secret (redact).
import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

export const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LEVELS)[number];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  /** Pass the error itself as `err`: it is written with its type, message and stack. */
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Correlation fields of a turn or a job: activity, conversation, tenant, ticket, outbox entry, watcher pass.
 * Ids only: never message text, names or titles.
 */
export type LogContext = Record<string, string | number | undefined>;

const context = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `fields` added to every log line written during it (and the work it starts). */
export function withLogContext<T>(fields: LogContext, work: () => T): T {
  return context.run({ ...context.getStore(), ...defined(fields) }, work);
}

/**
 * Runs `work` with only `fields` as its context, for a job of its own (a watcher pass, an outbox delivery)
 * that must not inherit the activity and conversation of the turn that happened to start it. That turn is
 * kept as `cause` (its activity id), never as the job's own activity or conversation.
 */
export function withOwnLogContext<T>(fields: LogContext, work: () => T): T {
  const caller = context.getStore();
  return context.run(defined({ cause: caller?.['activity'] ?? caller?.['cause'], ...fields }), work);
}

/**
 * The context for background work started now: the caller's ticket, tenant and other ids, but not what
 * belongs to its turn alone (activity, conversation); the turn is named as `cause`.
 */
export function jobLogContext(fields: LogContext): LogContext {
  const { activity, conversation: _conversation, cause, ...rest } = context.getStore() ?? {};
  return defined({ ...rest, cause: activity ?? cause, ...fields });
}

/** Runs `work` with exactly `fields` as its context (see `jobLogContext`). */
export function withExactLogContext<T>(fields: LogContext, work: () => T): T {
  return context.run(defined(fields), work);
}

/** Adds fields to the current turn's or job's context once they are known (the ticket a turn filed). */
export function addLogContext(fields: LogContext): void {
  const store = context.getStore();
  if (store !== undefined) Object.assign(store, defined(fields));
}

/** The current correlation fields (for spans and tests). */
export function logContext(): LogContext {
  return { ...context.getStore() };
}

function defined(fields: LogContext): LogContext {
  const out: LogContext = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** Fields whose values never reach a log line, at the top level or one object down. */
const SECRET_KEYS = [
  'authorization',
  'token',
  'accessToken',
  'access_token',
  'secret',
  'clientSecret',
  'password',
  'connectionString',
  'cookie',
];
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`]);

/** A text line for local mode: `[sla-desk] WARN msg {fields}` (info has no level word). */
function textLine(json: string): { line: string; level: Level } {
  const { level, time: _time, msg, ...fields } = JSON.parse(json) as Record<string, unknown>;
  const lvl = (LEVELS as readonly unknown[]).includes(level) ? (level as Level) : 'info';
  const err = fields['err'] as { stack?: unknown } | undefined;
  if (err !== undefined) delete fields['err'];
  const extra = Object.keys(fields).length === 0 ? '' : ` ${JSON.stringify(fields)}`;
  const stack = typeof err?.stack === 'string' ? `\n${err.stack}` : '';
  return {
    line: `[sla-desk] ${lvl === 'info' ? '' : `${lvl.toUpperCase()} `}${String(msg)}${extra}${stack}`,
    level: lvl,
  };
}

/** A logger writing warn and error to stderr and the rest to stdout, or each line to `sink`. */
export function createLogger(options: {
  json: boolean;
  level?: Level;
  sink?: (line: string, level: Level) => void;
}): Logger {
  const sink =
    options.sink ??
    ((line: string, level: Level) => {
      (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    });
  const destination = {
    write(chunk: string): void {
      const json = chunk.replace(/\n$/, '');
      if (options.json) {
        const level = (JSON.parse(json) as { level?: Level }).level ?? 'info';
        sink(json, level);
      } else {
        const { line, level } = textLine(json);
        sink(line, level);
      }
    },
  };
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...context.getStore() }),
      // Fields written at the call win over the context's (mixin first, then the call's fields).
      mixinMergeStrategy: (mergeObject: object, mixinObject: object) =>
        Object.assign(mixinObject, mergeObject),
      serializers: { err: pino.stdSerializers.err },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  return {
    debug: (m, f) => {
      logger.debug(f ?? {}, m);
    },
    info: (m, f) => {
      logger.info(f ?? {}, m);
    },
    warn: (m, f) => {
      logger.warn(f ?? {}, m);
    },
    error: (m, f) => {
      logger.error(f ?? {}, m);
    },
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
