/**
 * Streaming JSON rows. `.json`: an array of rows (elements cut out one at a time by a small
 * scanner and parsed with JSON.parse, so a 1 GB array never becomes one string), one object, or
 * several top-level values (JSON Lines saved as .json). `.jsonl`: one value per line.
 * A value that is not an object becomes `{value: v}`, as the schema reader names it.
 */
import { FileReadError } from '../../io/errors';
import { MAX_RECORD_CHARS } from '../delimited/parser';

const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

function toRow(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;
}

/**
 * Cuts top-level values out of JSON text arriving in chunks. In array mode (the document starts with
 * `[`), the values are the array's elements; otherwise each top-level value is one.
 */
export class JsonValueSplitter {
  private buf = '';
  /** Scan position in `buf`. */
  private pos = 0;
  /** Start of the value being scanned, or -1 between values. */
  private start = -1;
  private depth = 0;
  private inString = false;
  private mode: 'unknown' | 'array' | 'values' | 'done' = 'unknown';
  private consumedBefore = 0;

  push(chunk: string, out: string[]): void {
    this.buf = this.buf.length > 0 ? this.buf + chunk : chunk;
    this.scan(out);
    this.compact();
  }

  end(out: string[]): void {
    this.scan(out);
    if (this.mode === 'array') {
      throw new FileReadError(`the JSON array is not closed (the text ends at character ${this.consumedBefore + this.buf.length})`);
    }
    if (this.inString || this.depth > 0) throw new FileReadError('the JSON text ends inside a value');
    if (this.start >= 0) {
      const rest = this.buf.slice(this.start).trim();
      if (rest.length > 0) out.push(rest);
    }
    this.buf = '';
  }

  private compact(): void {
    const keep = this.start >= 0 ? this.start : this.pos;
    if (keep > 0) {
      this.buf = this.buf.slice(keep);
      this.consumedBefore += keep;
      this.pos -= keep;
      if (this.start >= 0) this.start -= keep;
    }
    if (this.buf.length > MAX_RECORD_CHARS) throw new FileReadError(`a JSON value is longer than ${MAX_RECORD_CHARS} characters`);
  }

  private scan(out: string[]): void {
    const t = this.buf;
    const n = t.length;
    let i = this.pos;
    // Depth of the values we emit: inside the top array they sit at depth 1.
    while (i < n) {
      if (this.mode === 'done') {
        if (!isWs(t.charCodeAt(i))) throw new FileReadError(`unexpected text after the JSON array at character ${this.consumedBefore + i}`);
        i++;
        continue;
      }
      if (this.inString) {
        // Jump to the next quote; count the backslashes before it.
        const q = t.indexOf('"', i);
        if (q === -1) {
          // Stop before a trailing run of backslashes: it may escape a quote of the next chunk.
          let k = n;
          while (k > i && t.charCodeAt(k - 1) === BACKSLASH) k--;
          i = k;
          break;
        }
        let b = q - 1;
        while (b >= i && t.charCodeAt(b) === BACKSLASH) b--;
        // An odd number of backslashes escapes the quote (a scan never resumes inside such a run).
        if ((q - 1 - b) % 2 === 1) {
          i = q + 1;
          continue;
        }
        this.inString = false;
        i = q + 1;
        continue;
      }
      const c = t.charCodeAt(i);
      if (this.mode === 'unknown') {
        if (isWs(c)) {
          i++;
          continue;
        }
        if (c === OPEN_ARR) {
          this.mode = 'array';
          this.depth = 1;
          i++;
          continue;
        }
        this.mode = 'values';
        continue;
      }
      const base = this.mode === 'array' ? 1 : 0;
      if (this.start < 0) {
        if (isWs(c)) {
          i++;
          continue;
        }
        if (this.mode === 'array' && c === CLOSE_ARR && this.depth === 1) {
          this.depth = 0;
          this.mode = 'done';
          i++;
          continue;
        }
        if (this.mode === 'array' && c === COMMA) {
          i++;
          continue;
        }
        this.start = i;
      }
      if (c === QUOTE) {
        this.inString = true;
        i++;
        continue;
      }
      if (c === OPEN_OBJ || c === OPEN_ARR) {
        this.depth++;
        i++;
        continue;
      }
      if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (this.depth === base) {
          // `]` closing the top array right after a scalar element.
          if (this.mode === 'array' && c === CLOSE_ARR) {
            out.push(t.slice(this.start, i));
            this.start = -1;
            this.depth = 0;
            this.mode = 'done';
            i++;
            continue;
          }
          throw new FileReadError(`unbalanced ${String.fromCharCode(c)} at character ${this.consumedBefore + i}`);
        }
        this.depth--;
        i++;
        if (this.depth === base) {
          out.push(t.slice(this.start, i));
          this.start = -1;
        }
        continue;
      }
      if (this.depth === base) {
        // A scalar value: it ends at a comma (array) or whitespace (values mode).
        if (this.mode === 'array' && c === COMMA) {
          out.push(t.slice(this.start, i));
          this.start = -1;
          i++;
          continue;
        }
        if (this.mode === 'values' && isWs(c)) {
          out.push(t.slice(this.start, i));
          this.start = -1;
          i++;
          continue;
        }
      }
      i++;
    }
    this.pos = i;
  }
}

/** Rows of a `.json` document, streamed. */
export async function* jsonRows(chunks: AsyncIterable<string>): AsyncGenerator<Record<string, unknown>> {
  const splitter = new JsonValueSplitter();
  let values: string[] = [];
  let index = 0;
  const parse = (text: string): Record<string, unknown> => {
    index++;
    try {
      return toRow(JSON.parse(text));
    } catch (err) {
      throw new FileReadError(`row ${index} is not valid JSON: ${(err as Error).message}`);
    }
  };
  for await (const chunk of chunks) {
    splitter.push(chunk, values);
    if (values.length > 0) {
      const batch = values;
      values = [];
      for (const v of batch) yield parse(v);
    }
  }
  splitter.end(values);
  for (const v of values) yield parse(v);
}

/** Rows of JSON Lines: blank lines skipped; a bad line is an error naming its number. */
export async function* jsonLinesRows(chunks: AsyncIterable<string>): AsyncGenerator<Record<string, unknown>> {
  let carry = '';
  let line = 0;
  const parse = (text: string): Record<string, unknown> | undefined => {
    line++;
    if (text.length === 0 || text.trim().length === 0) return undefined;
    try {
      return toRow(JSON.parse(text));
    } catch (err) {
      throw new FileReadError(`line ${line} is not valid JSON: ${(err as Error).message}`);
    }
  };
  for await (const chunk of chunks) {
    const text = carry.length > 0 ? carry + chunk : chunk;
    let pos = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', pos)) {
      const row = parse(text.slice(pos, nl));
      pos = nl + 1;
      if (row) yield row;
    }
    carry = text.slice(pos);
    if (carry.length > MAX_RECORD_CHARS) throw new FileReadError(`line ${line + 1} is longer than ${MAX_RECORD_CHARS} characters`);
  }
  const row = parse(carry);
  if (row) yield row;
}
