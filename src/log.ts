// A small structured logger: one line per event, text locally, JSON in production.
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A logger writing to stderr (warn, error) and stdout (the rest). */
export function createLogger(options: {
  json: boolean;
  level?: Level;
  sink?: (line: string, level: Level) => void;
}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const sink =
    options.sink ??
    ((line: string, level: Level) => {
      (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    });
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    if (options.json) {
      sink(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }), level);
    } else {
      const extra = fields === undefined ? '' : ` ${JSON.stringify(fields)}`;
      sink(`[sla-desk] ${level === 'info' ? '' : `${level.toUpperCase()} `}${msg}${extra}`, level);
    }
  };
  return {
    debug: (m, f) => {
      write('debug', m, f);
    },
    info: (m, f) => {
      write('info', m, f);
    },
    warn: (m, f) => {
      write('warn', m, f);
    },
    error: (m, f) => {
      write('error', m, f);
    },
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = createLogger({ json: false, sink: () => undefined, level: 'error' });
