import pino, { type Logger } from 'pino';

/** Longest a log line waits in the buffer before it is written. */
const flushEveryMs = 250;

/**
 * Structured JSON logs, one line per event; silent in tests unless LOG_LEVEL says otherwise.
 * Lines are gathered and written to stdout 4 KiB or 250 ms at a time, so a busy service makes one
 * write per batch rather than one per request; pino writes what is left when the process exits.
 */
export function createLogger(service: string): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), flushEveryMs).unref();
  return pino({ name: service, level, base: { service } }, destination);
}

export type { Logger };
