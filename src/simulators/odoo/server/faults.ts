/**
 * Fault injection for model calls: random server errors, serialization failures and held responses
 * (timeouts), plus latency. Randomness from node:crypto.
 */
import { randomInt } from 'node:crypto';
import type { OdooFaults } from '../types.js';
import { OdooError } from '../orm/errors.js';

export const DEFAULT_FAULTS: OdooFaults = { errorRate: 0, serializationFailureRate: 0, timeoutRate: 0, timeoutMs: 30_000, latencyMs: 0 };

export function chance(rate: number): boolean {
  if (!(rate > 0)) return false;
  if (rate >= 1) return true;
  return randomInt(0, 1_000_000) < rate * 1_000_000;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** An error the faults decide to inject before the call runs, or null. */
export function injectedError(f: OdooFaults): OdooError | null {
  if (chance(f.serializationFailureRate)) {
    return new OdooError('psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update\n');
  }
  if (chance(f.errorRate)) {
    return new OdooError('werkzeug.exceptions.InternalServerError', 'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.');
  }
  return null;
}
