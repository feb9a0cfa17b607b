/** A row of the benchmark table, and number formatting. */

export interface Row {
  /** e.g. "1. initial catalog sync shop→ERP, 100,000 variants (sqlite): API calls" */
  figure: string;
  value: string;
  baseline?: string;
  /** baseline ÷ Tandem (or Tandem ÷ floor): how many times better/worse; explained in `note`. */
  ratio?: string;
  note?: string;
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 10_000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${ms.toFixed(0)} ms`;
}

export function ratio(a: number, b: number, digits = 1): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return `${(a / b).toFixed(digits)}×`;
}
