/** Streaming CSV/TSV rows and column batches, parsed by `readers/delimited.ts`. */
import type { ColumnBatch } from '@om/core';
import { columnName } from '../../inference/tree';
import { headerNames } from './infer';
import { DelimitedStreamParser, type RecordSink } from './parser';

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

/**
 * Rows per batch of `delimitedBatches` (and of a split pass's parts). Small on purpose: a batch's
 * cell strings are alive when V8 scavenges, and what survives two scavenges is copied to the old
 * generation. 1 024 rather than 8 192 profiled the 1 GB CSV of bench/profile-scan.mjs 25 % faster
 * with less heap, in one thread or in workers (512 measured the same as 1 024).
 */
export const CSV_BATCH_ROWS = 1_024;

/**
 * Writes records straight into per-column arrays (no array or object per row). The first record
 * is the header. Cells missing from a short row are null; extra cells are dropped.
 */
export class ColumnSink implements RecordSink {
  names: string[] | undefined;
  private cols: (string | null)[][] = [];
  length = 0;
  readonly ready: ColumnBatch[] = [];

  /** With `names`, every record is data (a part of a file, after its header). */
  constructor(
    private readonly delimiter: string,
    private readonly batchRows: number,
    names?: string[],
  ) {
    if (names) {
      this.names = names;
      this.fresh();
    }
  }

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
