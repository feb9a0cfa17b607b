/**
 * The recorded real traffic (Odoo 17, Odoo 19, WooCommerce 7.9), vendored in test/recordings so the tests
 * run on any machine: a copy of ../shared/recordings (the ground truth the simulators are built to).
 * TANDEM_RECORDINGS points elsewhere (e.g. a newer recording) when set.
 */
import { fileURLToPath } from 'node:url';

export const RECORDINGS_DIR = process.env.TANDEM_RECORDINGS ?? fileURLToPath(new URL('../recordings', import.meta.url));

export function recordingPath(...parts: string[]): string {
  return [RECORDINGS_DIR, ...parts].join('/');
}
