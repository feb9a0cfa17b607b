/** Laravel-style validation: errors collected per field, thrown as a 422 `{message, errors}`. */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string[]>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { message: string; errors?: Record<string, string[]> } {
    return { message: this.message, ...(this.errors && { errors: this.errors }) };
  }
}

export function notFound(model: string, id: unknown): HttpError {
  return new HttpError(404, `No query results for model [App\\Models\\${model}] ${String(id)}`);
}

export class Validator {
  readonly errors: Record<string, string[]> = {};

  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  has(field: string): boolean {
    return field in this.errors;
  }

  get failed(): boolean {
    return Object.keys(this.errors).length > 0;
  }

  required(field: string, v: unknown): boolean {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) {
      this.add(field, `The ${field} field is required.`);
      return false;
    }
    return true;
  }

  string(field: string, v: unknown, max = 255): void {
    if (v === undefined || v === null) return;
    if (typeof v !== 'string') this.add(field, `The ${field} field must be a string.`);
    else if (v.length > max) this.add(field, `The ${field} field must not be greater than ${max} characters.`);
  }

  /** Decimal amount as a string or number, ≥ 0, at most 2 decimals. */
  money(field: string, v: unknown): void {
    if (v === undefined || v === null) return;
    const text = typeof v === 'number' ? String(v) : v;
    if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text.trim())) this.add(field, `The ${field} field must be a number.`);
    else if (text.trim().startsWith('-')) this.add(field, `The ${field} field must be at least 0.`);
    else if (/\.\d{3,}$/.test(text.trim())) this.add(field, `The ${field} field must have 0-2 decimal places.`);
  }

  integer(field: string, v: unknown, min?: number): void {
    if (v === undefined || v === null) return;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.add(field, `The ${field} field must be an integer.`);
    else if (min !== undefined && v < min) this.add(field, `The ${field} field must be at least ${min}.`);
  }

  email(field: string, v: unknown): void {
    if (typeof v === 'string' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim())) this.add(field, `The ${field} field must be a valid email address.`);
  }

  in(field: string, v: unknown, allowed: readonly unknown[]): void {
    if (v !== undefined && v !== null && !allowed.includes(v)) this.add(field, `The selected ${field} is invalid.`);
  }

  /** Throws 422 when anything failed. */
  check(): void {
    if (!this.failed) return;
    const all = Object.values(this.errors).flat();
    const more = all.length - 1;
    const message = `${all[0] as string}${more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''})` : ''}`;
    throw new HttpError(422, message, this.errors);
  }
}
