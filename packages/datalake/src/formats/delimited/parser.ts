/**
 * The one CSV/TSV parser of this package: relaxed like csv-parse's `{bom, relax_column_count,
 * relax_quotes, skip_empty_lines}` (the correctness reference in formats.md, used as the oracle in
 * our tests): quoted fields with the delimiter, `""` escapes, LF/CRLF/CR inside quotes, ragged rows,
 * blank lines skipped, a bare `"` inside an unquoted field kept as text. Incremental: the text
 * arrives in chunks and only the incomplete last record is carried to the next chunk. The schema
 * sampler (`parseDelimited`) and the row readers (`rows/csv.ts`) both use it.
 *
 * Speed: a line without `"` or a stray CR (the common case) is split with `String#split`, which V8
 * does natively; only lines with quotes go through the character state machine. Measured in
 * bench/datalake-rows.mjs against papaparse and DuckDB.
 */
import { FileReadError } from '../../io/errors';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
/** With no LF in this much carried text, records are looked for with the full parser (CR-only files). */
const LONG_LINE = 64 * 1024;
/** One record may not exceed this (a runaway quote would otherwise buffer the whole file). */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

interface Parsed {
  /** null for a blank line (skipped). */
  fields: string[] | null;
  next: number;
}

/** Receives parsed records: a line without quotes or CR as text, others as fields. */
export interface RecordSink {
  /** A non-blank line with no `"` and no CR: its fields are `line.split(delimiter)`. */
  line(line: string): void;
  fields(fields: string[]): void;
}

function arraySink(out: string[][], delimiter: string): RecordSink {
  return { line: (line) => out.push(line.split(delimiter)), fields: (f) => out.push(f) };
}

export class DelimitedStreamParser {
  private carry = '';
  private readonly d: number;

  constructor(private readonly delimiter: string) {
    this.d = delimiter.charCodeAt(0);
  }

  /** Appends the complete records of `chunk` (plus the carried tail) to `out`. */
  push(chunk: string, out: string[][]): void {
    this.pushTo(chunk, arraySink(out, this.delimiter));
  }

  /** The last record, once the text has ended. */
  end(out: string[][]): void {
    this.endTo(arraySink(out, this.delimiter));
  }

  /** Like `push`, handing each record to `sink` (simple lines unsplit). */
  pushTo(chunk: string, sink: RecordSink): void {
    const text = this.carry.length > 0 ? this.carry + chunk : chunk;
    const pos = this.parse(text, false, sink);
    this.carry = pos >= text.length ? '' : text.slice(pos);
    if (this.carry.length > MAX_RECORD_CHARS) {
      throw new FileReadError(`a record is longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?)`);
    }
  }

  /**
   * Every complete record of `text`, a prefix of the file (a sample cut at a byte limit): the
   * record the cut runs into is left out. Unlike `push`, short CR-only lines count as complete.
   */
  prefix(text: string, out: string[][]): void {
    this.prefixTo(text, arraySink(out, this.delimiter));
  }

  /** Like `prefix`, handing each record to `sink` (simple lines unsplit). */
  prefixTo(text: string, sink: RecordSink): void {
    this.parse(text, false, sink, true);
  }

  endTo(sink: RecordSink): void {
    if (this.carry.length > 0) this.parse(this.carry, true, sink);
    this.carry = '';
  }

  private parse(text: string, final: boolean, sink: RecordSink, prefix = false): number {
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) {
        if (!final && !prefix && n - pos < LONG_LINE) break;
        const r = this.record(text, pos, final);
        if (!r) break;
        if (r.fields) sink.fields(r.fields);
        pos = r.next;
        continue;
      }
      let lineEnd = nl;
      if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
      const line = text.slice(pos, lineEnd);
      if (line.indexOf('"') === -1 && line.indexOf('\r') === -1) {
        if (line.length > 0) sink.line(line);
        pos = nl + 1;
        continue;
      }
      const r = this.record(text, pos, final);
      if (!r) break;
      if (r.fields) sink.fields(r.fields);
      pos = r.next;
    }
    return pos;
  }

  /** One record from `pos` with the full state machine; undefined when the text ends inside it. */
  private record(text: string, pos: number, final: boolean): Parsed | undefined {
    const n = text.length;
    const d = this.d;
    const row: string[] = [];
    let field = '';
    let inQuotes = false;
    let quoted = false;
    let i = pos;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === QUOTE) {
          if (i + 1 >= n && !final) return undefined; // `""` may continue in the next chunk
          if (text.charCodeAt(i + 1) === QUOTE) {
            field += '"';
            i += 2;
            continue;
          }
          inQuotes = false;
          i++;
          continue;
        }
        const next = text.indexOf('"', i);
        if (next === -1) {
          if (!final) return undefined;
          field += text.slice(i);
          i = n;
          continue;
        }
        field += text.slice(i, next);
        i = next;
        continue;
      }
      if (c === d) {
        row.push(field);
        field = '';
        quoted = false;
        i++;
      } else if (c === LF || c === CR) {
        if (c === CR && i + 1 >= n && !final) return undefined; // may be half of CRLF
        const next = i + (c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1);
        row.push(field);
        return { fields: row.length === 1 && row[0] === '' && !quoted ? null : row, next };
      } else if (c === QUOTE && field === '' && !quoted) {
        inQuotes = true;
        quoted = true;
        i++;
      } else {
        let j = i + 1;
        while (j < n) {
          const cj = text.charCodeAt(j);
          if (cj === d || cj === LF || cj === CR || cj === QUOTE) break;
          j++;
        }
        field += text.slice(i, j);
        i = j;
        // A bare quote inside an unquoted field is text.
        if (j < n && text.charCodeAt(j) === QUOTE && field !== '') {
          field += '"';
          i = j + 1;
        }
      }
    }
    if (!final) return undefined;
    row.push(field);
    return { fields: row.length === 1 && row[0] === '' && !quoted ? null : row, next: n };
  }
}

/**
 * Record ends in `bytes`, UTF-8 text that starts at a record start: the index just after an LF that
 * is outside quotes; `first` gives the first such index, otherwise the last; -1 when there is none.
 * Where this splits, `DelimitedStreamParser` also ends a record (a `"` opens quotes only at the
 * start of a field; `""` inside quotes is an escaped quote; a quote elsewhere is text), so a file
 * cut at these points parses, part by part, into the same records as in one piece. Bytes between
 * quotes are searched with Buffer's `indexOf`, so text without quotes costs one memchr.
 */
export function recordEnd(bytes: Uint8Array, delimiter: number, first = false): number {
  // Buffer's indexOf is memchr; a Uint8Array's reads byte by byte, many times slower.
  const text = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let last = -1;
  let i = 0;
  while (i < n) {
    const q = text.indexOf(QUOTE, i);
    const segmentEnd = q === -1 ? n : q;
    if (segmentEnd > i) {
      if (first) {
        const lf = text.indexOf(LF, i);
        if (lf !== -1 && lf < segmentEnd) return lf + 1;
      } else {
        const lf = text.lastIndexOf(LF, segmentEnd - 1);
        if (lf >= i) last = lf + 1;
      }
    }
    if (q === -1) break;
    const prev = q === 0 ? LF : bytes[q - 1];
    if (prev !== delimiter && prev !== LF && prev !== CR) {
      i = q + 1; // a quote inside an unquoted field is text
      continue;
    }
    // Inside quotes up to the closing quote (`""` is an escaped quote).
    let j = q + 1;
    for (;;) {
      const close = text.indexOf(QUOTE, j);
      // Text ends inside quotes, or on a quote that may be half of `""`: the rest is one open record.
      if (close === -1 || close + 1 >= n) return last;
      if (bytes[close + 1] === QUOTE) {
        j = close + 2;
        continue;
      }
      i = close + 1;
      break;
    }
  }
  return last;
}
