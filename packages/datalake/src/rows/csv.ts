/**
 * Streaming CSV/TSV rows. Same dialect as the schema reader's `parseDelimited` (relaxed like
 * csv-parse `{bom, relax_column_count, relax_quotes, skip_empty_lines}`), but incremental: the text
 * arrives in chunks and only the incomplete last record is carried to the next chunk.
 *
 * Speed: a line without `"` or a stray CR (the common case) is split with `String#split`, which V8
 * does natively; only lines with quotes go through the character state machine. Measured in
 * bench/datalake-rows.mjs against papaparse and DuckDB.
 */
import type { ColumnBatch } from '@om/core';
import { columnName } from '../inference/tree';
import { headerNames } from '../readers/csv';
import { FileReadError } from '../readers/errors';

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

  endTo(sink: RecordSink): void {
    if (this.carry.length > 0) this.parse(this.carry, true, sink);
    this.carry = '';
  }

  private parse(text: string, final: boolean, sink: RecordSink): number {
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) {
        if (!final && n - pos < LONG_LINE) break;
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

export type RowBuilder = (fields: string[]) => Record<string, unknown>;

/**
 * Builds row objects with a fixed key order (one hidden class for every row, which keeps the
 * consumer's property reads monomorphic). Keys are embedded as JSON string literals, so any header
 * text is safe; `__proto__` becomes an own property. Cells missing from a short row are null;
 * extra cells are dropped.
 */
export function rowBuilder(names: string[]): RowBuilder {
  const props = names.map((name, i) => `${name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name)}: f.length > ${i} ? f[${i}] : null`);
  // eslint-disable-next-line no-new-func
  return new Function('f', `return {${props.join(', ')}};`) as RowBuilder;
}

/** Column names of a header row, as the schema reader names the table's columns. */
export function rowKeys(header: string[]): string[] {
  return headerNames(header).map((n) => columnName(n).name);
}

/** Rows of delimited text chunks: the first record is the header. */
export async function* delimitedRows(chunks: AsyncIterable<string>, delimiter: string): AsyncGenerator<Record<string, unknown>> {
  const parser = new DelimitedStreamParser(delimiter);
  let build: RowBuilder | undefined;
  let batch: string[][] = [];
  const drain = function* (records: string[][]): Generator<Record<string, unknown>> {
    for (let r = 0; r < records.length; r++) {
      if (!build) {
        build = rowBuilder(rowKeys(records[r]));
        continue;
      }
      yield build(records[r]);
    }
  };
  for await (const chunk of chunks) {
    parser.push(chunk, batch);
    if (batch.length > 0) {
      const records = batch;
      batch = [];
      yield* drain(records);
    }
  }
  parser.end(batch);
  yield* drain(batch);
}

/** Rows per batch of `delimitedBatches`. */
export const CSV_BATCH_ROWS = 8_192;

/**
 * Writes records straight into per-column arrays (no array or object per row). The first record
 * is the header. Cells missing from a short row are null; extra cells are dropped.
 */
class ColumnSink implements RecordSink {
  names: string[] | undefined;
  private cols: (string | null)[][] = [];
  length = 0;
  readonly ready: ColumnBatch[] = [];

  constructor(
    private readonly delimiter: string,
    private readonly batchRows: number,
  ) {}

  private start(header: string[]): void {
    this.names = rowKeys(header);
    this.fresh();
  }

  private fresh(): void {
    this.cols = this.names!.map(() => new Array<string | null>(this.batchRows));
    this.length = 0;
  }

  line(line: string): void {
    if (!this.names) return this.start(line.split(this.delimiter));
    const cols = this.cols;
    const ncols = cols.length;
    const d = this.delimiter;
    const r = this.length;
    let s = 0;
    let c = 0;
    for (; c < ncols; c++) {
      const e = line.indexOf(d, s);
      if (e === -1) {
        cols[c++][r] = line.slice(s);
        break;
      }
      cols[c][r] = line.slice(s, e);
      s = e + 1;
    }
    for (; c < ncols; c++) cols[c][r] = null;
    if (++this.length === this.batchRows) this.flush();
  }

  fields(fields: string[]): void {
    if (!this.names) return this.start(fields);
    const cols = this.cols;
    const r = this.length;
    for (let c = 0; c < cols.length; c++) cols[c][r] = c < fields.length ? fields[c] : null;
    if (++this.length === this.batchRows) this.flush();
  }

  flush(): void {
    if (!this.names || this.length === 0) return;
    const columns: Record<string, ArrayLike<unknown>> = {};
    const n = this.length;
    for (let c = 0; c < this.names.length; c++) {
      const col = this.cols[c];
      if (n < col.length) col.length = n;
      const name = this.names[c];
      if (name === '__proto__') Object.defineProperty(columns, name, { value: col, enumerable: true, writable: true, configurable: true });
      else columns[name] = col;
    }
    this.ready.push({ length: n, columns });
    this.fresh();
  }
}

/**
 * Column batches of delimited text chunks (the first record is the header): each cell is written
 * into its column's array; a batch is yielded every `batchRows` rows (and at the end).
 */
export async function* delimitedBatches(chunks: AsyncIterable<string>, delimiter: string, batchRows = CSV_BATCH_ROWS): AsyncGenerator<ColumnBatch> {
  const parser = new DelimitedStreamParser(delimiter);
  const sink = new ColumnSink(delimiter, Math.max(1, Math.floor(batchRows)));
  for await (const chunk of chunks) {
    parser.pushTo(chunk, sink);
    while (sink.ready.length > 0) yield sink.ready.shift()!;
  }
  parser.endTo(sink);
  sink.flush();
  while (sink.ready.length > 0) yield sink.ready.shift()!;
}
