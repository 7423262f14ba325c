import type { Logger } from 'pino';
import { pino } from 'pino';
import type { DrainerConfig } from '../config/drainer-config.js';

/**
 * The process logger: JSON lines to `log-file` (or stderr), synchronous so the last lines survive an exit (pino
 * transports run in worker threads and can lose them). Go's `fatal` level maps to pino's `fatal`.
 */
export function createLogger(config: Pick<DrainerConfig, 'logLevel' | 'logFile'>): Logger {
  const dest =
    config.logFile === ''
      ? pino.destination({ fd: 2, sync: true })
      : pino.destination({ dest: config.logFile, sync: true, mkdir: true });
  return pino({ level: config.logLevel, base: { component: 'drainer' } }, dest);
}
