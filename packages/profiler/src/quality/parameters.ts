/** Reading test case parameter values (strings, as OpenMetadata writes them). */
import { parseListParameter, PythonLiteralError, type PyValue } from './python-literal';

export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

export class Parameters {
  private readonly values = new Map<string, string>();

  constructor(list: { name: string; value: string | number | boolean }[] | undefined) {
    for (const p of list ?? []) this.values.set(p.name, String(p.value));
  }

  has(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && v.trim() !== '';
  }

  raw(name: string): string | undefined {
    return this.has(name) ? this.values.get(name) : undefined;
  }

  string(name: string): string {
    const v = this.raw(name);
    if (v === undefined) throw new ParameterError(`missing required parameter '${name}'`);
    return v;
  }

  /** A number; missing → `fallback` (−∞ for a lower bound, +∞ for an upper bound). */
  number(name: string, fallback?: number): number {
    const v = this.raw(name);
    if (v === undefined) {
      if (fallback === undefined) throw new ParameterError(`missing required parameter '${name}'`);
      return fallback;
    }
    const t = v.trim();
    const n = /^[+-]?(inf|infinity)$/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t.replace(/_/g, ''));
    if (Number.isNaN(n)) throw new ParameterError(`parameter '${name}' must be a number, got '${v}'`);
    return n;
  }

  /** A bound read by `read` (for date columns: dates), missing → fallback. */
  bound(name: string, fallback: number, read?: (text: string) => number | undefined): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (read) {
      const r = read(v.trim());
      if (r === undefined) throw new ParameterError(`parameter '${name}' must be a number or a date, got '${v}'`);
      return r;
    }
    return this.number(name, fallback);
  }

  integer(name: string, fallback?: number): number {
    const n = this.number(name, fallback);
    if (Number.isFinite(n) && !Number.isInteger(n)) throw new ParameterError(`parameter '${name}' must be an integer, got '${this.raw(name)}'`);
    return n;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === '1' || t === 'yes') return true;
    if (t === 'false' || t === '0' || t === 'no') return false;
    throw new ParameterError(`parameter '${name}' must be true or false, got '${v}'`);
  }

  list(name: string, required: boolean): PyValue[] {
    const v = this.raw(name);
    if (v === undefined) {
      if (required) throw new ParameterError(`missing required parameter '${name}'`);
      return [];
    }
    try {
      return parseListParameter(v);
    } catch (err) {
      if (err instanceof PythonLiteralError) {
        throw new ParameterError(`parameter '${name}' must be a Python list literal like ['a', 'b'] (${err.message}), got ${JSON.stringify(v)}`);
      }
      throw err;
    }
  }
}
