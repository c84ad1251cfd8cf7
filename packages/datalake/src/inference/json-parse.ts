/**
 * A small JSON parser for sampled text. Unlike JSON.parse it:
 * - keeps whether a number was written as a float (`1.0` is FLOAT, `1` is INT), via `JsonFloat`;
 * - keeps object keys in the order written (objects are Maps, so `"2"` does not jump ahead, and a
 *   `__proto__` key is just a key);
 * - can parse a prefix of a document cut by the sample cap: containers return what was complete.
 */

export class JsonFloat {
  constructor(readonly value: number) {}
}

export type JsonValue = null | boolean | number | JsonFloat | string | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Thrown when the text ends inside a value. */
class Truncated extends Error {}

const MAX_DEPTH = 512;
const SIMPLE_ESCAPES: Record<string, string | undefined> = Object.assign(Object.create(null) as Record<string, string>, {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
});

export class JsonCursor {
  pos = 0;
  /** True once a container was returned incomplete because the text ended. */
  truncated = false;
  private depth = 0;

  constructor(
    readonly text: string,
    /** The text is a cut prefix of the document: return partial containers at its end. */
    readonly partial = false,
  ) {}

  skipWs(): void {
    const t = this.text;
    let p = this.pos;
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) p++;
      else break;
    }
    this.pos = p;
  }

  atEnd(): boolean {
    this.skipWs();
    return this.pos >= this.text.length;
  }

  peek(): string {
    this.skipWs();
    if (this.pos >= this.text.length) throw new Truncated();
    return this.text[this.pos];
  }

  error(message: string, at = this.pos): JsonSyntaxError {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return new JsonSyntaxError(`invalid JSON at line ${line}, column ${column}: ${message}`, at);
  }

  /** Parses one value; throws JsonSyntaxError, or (internally) Truncated at the end of the text. */
  value(): JsonValue {
    const c = this.peek();
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        throw this.error(`unexpected ${JSON.stringify(c)}`);
    }
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw this.error(`nested deeper than ${MAX_DEPTH} levels`);
  }

  private object(): JsonObject {
    this.enter();
    this.pos++; // {
    const out: JsonObject = new Map();
    try {
      if (this.peek() === '}') {
        this.pos++;
        return out;
      }
      for (;;) {
        if (this.peek() !== '"') throw this.error('expected a property name in double quotes');
        const key = this.string();
        if (this.peek() !== ':') throw this.error('expected ":" after a property name');
        this.pos++;
        const v = this.value();
        out.set(key, v);
        const sep = this.peek();
        this.pos++;
        if (sep === '}') return out;
        if (sep !== ',') throw this.error('expected "," or "}"', this.pos - 1);
      }
    } catch (err) {
      return this.keepPartial(err, out);
    } finally {
      this.depth--;
    }
  }

  /** In a cut sample, a container the cut runs into keeps what was read so far; else rethrow. */
  private keepPartial<T>(err: unknown, partialValue: T): T {
    if (!(err instanceof Truncated) || !this.partial) throw err;
    this.truncated = true;
    this.pos = this.text.length;
    return partialValue;
  }

  private array(): JsonValue[] {
    this.enter();
    this.pos++; // [
    const out: JsonValue[] = [];
    try {
      if (this.peek() === ']') {
        this.pos++;
        return out;
      }
      for (;;) {
        out.push(this.value());
        const sep = this.peek();
        this.pos++;
        if (sep === ']') return out;
        if (sep !== ',') throw this.error('expected "," or "]"', this.pos - 1);
      }
    } catch (err) {
      return this.keepPartial(err, out);
    } finally {
      this.depth--;
    }
  }

  string(): string {
    const t = this.text;
    const start = ++this.pos;
    let p = start;
    // Fast path: no escapes.
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c === 0x22) {
        this.pos = p + 1;
        return t.slice(start, p);
      }
      if (c === 0x5c) break;
      if (c < 0x20) throw this.error('control character in a string', p);
      p++;
    }
    let out = t.slice(start, p);
    while (p < t.length) {
      const ch = t[p];
      if (ch === '"') {
        this.pos = p + 1;
        return out;
      }
      if (ch === '\\') {
        if (p + 1 >= t.length) throw new Truncated();
        const e = t[p + 1];
        const simple = SIMPLE_ESCAPES[e];
        if (simple !== undefined) {
          out += simple;
          p += 2;
        } else if (e === 'u') {
          if (p + 6 > t.length) throw new Truncated();
          const hex = t.slice(p + 2, p + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('bad \\u escape', p);
          out += String.fromCharCode(parseInt(hex, 16));
          p += 6;
        } else throw this.error(`bad escape \\${e}`, p);
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) throw this.error('control character in a string', p);
      out += ch;
      p++;
    }
    throw new Truncated();
  }

  private literal<T>(word: string, value: T): T {
    const got = this.text.slice(this.pos, this.pos + word.length);
    if (got === word) {
      this.pos += word.length;
      return value;
    }
    if (word.startsWith(got) && this.pos + got.length >= this.text.length) throw new Truncated();
    throw this.error(`unexpected ${JSON.stringify(got.split(/[\s,\]}]/)[0] || got)}`);
  }

  /**
   * `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` from `pos`, by character codes: a number
   * whose fraction or exponent was written is a JsonFloat.
   */
  private number(): number | JsonFloat {
    const t = this.text;
    const start = this.pos;
    let p = start;
    const negative = t.charCodeAt(p) === 0x2d;
    if (negative) p++;
    const intStart = p;
    // The integer part's value, exact up to 15 digits (no string-to-number conversion for them).
    let int = 0;
    const first = t.charCodeAt(p);
    if (first === 0x30) p++;
    else if (first >= 0x31 && first <= 0x39) {
      int = first - 0x30;
      p++;
      for (let c = t.charCodeAt(p); isDigitCode(c); c = t.charCodeAt(++p)) int = int * 10 + (c - 0x30);
    } else {
      if (start + 1 >= t.length) throw new Truncated();
      throw this.error('bad number');
    }
    let float = false;
    if (t.charCodeAt(p) === 0x2e && isDigitCode(t.charCodeAt(p + 1))) {
      p += 2;
      while (isDigitCode(t.charCodeAt(p))) p++;
      float = true;
    }
    const e = t.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      let q = p + 1;
      const sign = t.charCodeAt(q);
      if (sign === 0x2b || sign === 0x2d) q++;
      if (isDigitCode(t.charCodeAt(q))) {
        q++;
        while (isDigitCode(t.charCodeAt(q))) q++;
        p = q;
        float = true;
      }
    }
    const end = p;
    // A number running to the end of a cut text may be incomplete.
    if (this.partial && end >= t.length) throw new Truncated();
    const next = t.charCodeAt(end);
    if (next === 0x2e || next === 0x65 || next === 0x45) {
      if (end + 1 >= t.length) throw new Truncated();
      throw this.error('bad number', end);
    }
    this.pos = end;
    if (!float && end - intStart <= 15) return negative ? -int : int;
    const written = t.slice(start, end);
    const n = Number(written);
    if (float) return new JsonFloat(n);
    if (!Number.isSafeInteger(n)) {
      const big = BigInt(written);
      if (big > 9223372036854775807n || big < -9223372036854775808n) return new JsonFloat(n);
    }
    return n;
  }

}

export type JsonDocument =
  | { kind: 'array'; rows: JsonValue[]; truncated: boolean }
  | { kind: 'object'; value: JsonObject; truncated: boolean }
  /** Several top-level values (JSON Lines saved as `.json`). */
  | { kind: 'sequence'; rows: JsonValue[]; truncated: boolean };

/**
 * Parses a sampled `.json` text: an array of rows (at most `maxRows` are parsed), one object, or
 * several concatenated values. `cut` says the text is a prefix of the file.
 */
export function parseJsonDocument(text: string, cut: boolean, maxRows: number): JsonDocument {
  const cursor = new JsonCursor(text, cut);
  if (cursor.atEnd()) return { kind: 'sequence', rows: [], truncated: cut };
  if (cursor.peek() === '[') {
    cursor.pos++;
    const rows: JsonValue[] = [];
    try {
      if (cursor.peek() === ']') return { kind: 'array', rows, truncated: false };
      while (rows.length < maxRows) {
        rows.push(cursor.value());
        const sep = cursor.peek();
        cursor.pos++;
        if (sep === ']') return trailing(cursor, { kind: 'array', rows, truncated: cursor.truncated });
        if (sep !== ',') throw cursor.error('expected "," or "]"', cursor.pos - 1);
      }
      return { kind: 'array', rows, truncated: true };
    } catch (err) {
      if (err instanceof Truncated && cut) return { kind: 'array', rows, truncated: true };
      if (err instanceof Truncated) throw cursor.error('unexpected end of the file');
      throw err;
    }
  }
  const rows: JsonValue[] = [];
  try {
    while (!cursor.atEnd() && rows.length < maxRows) {
      rows.push(cursor.value());
      if (cursor.truncated) break;
    }
  } catch (err) {
    if (!(err instanceof Truncated)) throw err;
    if (!cut) throw cursor.error('unexpected end of the file');
  }
  const truncated = cut || cursor.truncated || !cursor.atEnd();
  if (rows.length === 1 && rows[0] instanceof Map) return { kind: 'object', value: rows[0], truncated };
  return { kind: 'sequence', rows, truncated };
}

function trailing(cursor: JsonCursor, doc: JsonDocument): JsonDocument {
  if (!cursor.atEnd()) throw cursor.error('unexpected text after the end of the JSON array');
  return doc;
}

/** Parses one complete JSON value (a JSON Lines line). */
export function parseJsonValue(text: string): JsonValue {
  const cursor = new JsonCursor(text, false);
  try {
    const v = cursor.value();
    if (!cursor.atEnd()) throw cursor.error('unexpected text after the value');
    return v;
  } catch (err) {
    if (err instanceof Truncated) throw cursor.error('unexpected end of the line');
    throw err;
  }
}
