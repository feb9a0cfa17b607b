/**
 * Logging. A pino logger whose output is scrubbed of every configured secret (see createLogger in
 * this module once the config issue lands); connectors receive a `Logger` through their deps.
 */
import type { Logger as PinoLogger } from 'pino';

export type Logger = Pick<PinoLogger, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child' | 'level'>;
