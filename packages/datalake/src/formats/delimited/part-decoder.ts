/** The worker-side decoder of CSV/TSV parts: each part's bytes parsed into column batches. */
import { StringDecoder } from 'node:string_decoder';
import type { ColumnChunk, PartDecoder, TextCellChunk } from '@om/core';
import { DelimitedStreamParser } from './parser';
import { ColumnSink, CSV_BATCH_ROWS } from './rows';

/** Options a worker's decoder gets (structured-cloneable). */
export interface DelimitedDecoderOptions {
  format: 'delimited';
  delimiter: string;
  names: string[];
}

export interface DelimitedPartPayload {
  bytes: Uint8Array;
}

/**
 * Bytes decoded and parsed at a time: text pieces this small are young-generation strings that a
 * scavenge frees, where one string per part would sit in V8's large-object space until a full GC.
 */
const TEXT_SLICE = 64 * 1024;

function* delimitedChunks(payload: DelimitedPartPayload, columns: string[], delimiter: string, names: string[], firstRow = 0): Generator<ColumnChunk> {
  const { bytes } = payload;
  const utf8 = new StringDecoder('utf8');
  const parser = new DelimitedStreamParser(delimiter);
  const sink = new ColumnSink(delimiter, CSV_BATCH_ROWS, names);
  let rowStart = firstRow;
  function* drain(): Generator<ColumnChunk> {
    while (sink.ready.length > 0) {
      const batch = sink.ready.shift()!;
      for (const column of columns) yield { column, rowStart, length: batch.length, values: batch.columns[column] };
      rowStart += batch.length;
    }
  }
  for (let at = 0; at < bytes.length; at += TEXT_SLICE) {
    const end = Math.min(bytes.length, at + TEXT_SLICE);
    parser.pushTo(utf8.write(Buffer.from(bytes.buffer, bytes.byteOffset + at, end - at)), sink);
    yield* drain();
  }
  const tail = utf8.end();
  if (tail.length > 0) parser.pushTo(tail, sink);
  parser.endTo(sink);
  sink.flush();
  yield* drain();
}

/** Rows per chunk of byte-range cells (no strings are made, so no young-generation limit applies). */
export const CELL_BATCH_ROWS = 4096;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Where a scan stopped: the next line to read, and whether it needs the text parser. */
interface ScanState {
  pos: number;
  rows: number;
  /** The line at `pos` has a quote or a CR that is not a line break. */
  special: boolean;
  nextQuote: number;
  nextCr: number;
}

/**
 * Splits plain lines from `state.pos` into rows `state.rows…` of the flat offset arrays (column
 * slot k of row r at `k * CELL_BATCH_ROWS + r`) until the batch is full, the part ends, or a line
 * needs the text parser. A plain function (not the generator), so V8 optimizes the byte loop.
 */
function scanPlainLines(bytes: Uint8Array, d: number, slotOf: Int32Array, lastWanted: number, starts: Int32Array, ends: Int32Array, state: ScanState): void {
  const n = bytes.length;
  let { pos, rows, nextQuote, nextCr } = state;
  while (pos < n && rows < CELL_BATCH_ROWS) {
    let nl = bytes.indexOf(LF, pos);
    if (nl < 0) nl = n;
    let lineEnd = nl;
    if (nextCr < pos) {
      nextCr = bytes.indexOf(CR, pos);
      if (nextCr < 0) nextCr = n;
    }
    if (nextCr === nl - 1 && nl < n && nl > pos) {
      lineEnd = nl - 1;
      nextCr = bytes.indexOf(CR, nl + 1);
      if (nextCr < 0) nextCr = n;
    }
    if (nextQuote < lineEnd || nextCr < lineEnd) {
      state.special = true;
      break;
    }
    if (lineEnd > pos) {
      let s = pos;
      let c = 0;
      for (; c <= lastWanted; c++) {
        let e = s;
        while (e < lineEnd && bytes[e] !== d) e++;
        const slot = slotOf[c];
        if (slot >= 0) {
          starts[slot * CELL_BATCH_ROWS + rows] = s;
          ends[slot * CELL_BATCH_ROWS + rows] = e;
        }
        if (e >= lineEnd) {
          c++;
          break;
        }
        s = e + 1;
      }
      for (; c <= lastWanted; c++) if (slotOf[c] >= 0) starts[slotOf[c] * CELL_BATCH_ROWS + rows] = -1;
      rows++;
    }
    pos = nl + 1;
  }
  state.pos = pos;
  state.rows = rows;
  state.nextCr = nextCr;
}

/**
 * The part's cells as byte ranges (see `TextCellChunk`): each line without a quote or a stray CR
 * is split at the delimiter byte, as `ColumnSink.line` splits its text (blank lines skipped, cells
 * past the header dropped, missing cells null). From the first line with a quote or a stray CR,
 * the rest of the part goes through the text parser (`delimitedChunks`), whose records may span
 * lines. Only the delimiter, LF, CR and quote bytes are looked at, all ASCII, so multi-byte UTF-8
 * text splits exactly as its decoded string does.
 */
function* delimitedCellChunks(payload: DelimitedPartPayload, columns: string[], delimiter: string, names: string[]): Generator<ColumnChunk | TextCellChunk> {
  const { bytes } = payload;
  const n = bytes.length;
  // The last column of a name wins, as in ColumnSink.flush.
  const indexOf = new Map<string, number>();
  names.forEach((name, i) => indexOf.set(name, i));
  const slotOf = new Int32Array(names.length).fill(-1);
  let slots = 0;
  let lastWanted = -1;
  for (const column of columns) {
    const c = indexOf.get(column);
    if (c === undefined) continue;
    if (slotOf[c] < 0) slotOf[c] = slots++;
    if (c > lastWanted) lastWanted = c;
  }
  const starts = new Int32Array(Math.max(1, slots) * CELL_BATCH_ROWS);
  const ends = new Int32Array(Math.max(1, slots) * CELL_BATCH_ROWS);
  const views = (a: Int32Array, c: number): Int32Array => a.subarray(slotOf[c] * CELL_BATCH_ROWS, (slotOf[c] + 1) * CELL_BATCH_ROWS);
  const cellsOf = new Map<number, { bytes: Uint8Array; starts: Int32Array; ends: Int32Array }>();
  for (const c of indexOf.values()) if (slotOf[c] >= 0 && !cellsOf.has(c)) cellsOf.set(c, { bytes, starts: views(starts, c), ends: views(ends, c) });
  const quote = bytes.indexOf(QUOTE);
  const cr = bytes.indexOf(CR);
  const state: ScanState = { pos: 0, rows: 0, special: false, nextQuote: quote < 0 ? n : quote, nextCr: cr < 0 ? n : cr };
  let rowStart = 0;
  while (state.pos < n && !state.special) {
    scanPlainLines(bytes, delimiter.charCodeAt(0), slotOf, lastWanted, starts, ends, state);
    if (state.rows === 0) continue;
    for (const column of columns) {
      const c = indexOf.get(column);
      if (c === undefined) yield { column, rowStart, length: state.rows, values: undefined };
      else yield { column, rowStart, length: state.rows, cells: cellsOf.get(c)! };
    }
    rowStart += state.rows;
    state.rows = 0;
  }
  // Quotes or a CR that is not a line break: the text parser reads the rest of the part.
  if (state.special) yield* delimitedChunks({ bytes: bytes.subarray(state.pos) }, columns, delimiter, names, rowStart);
}

export function openDelimitedDecoder(options: DelimitedDecoderOptions): PartDecoder {
  return {
    columnChunks: (payload, columns) => delimitedChunks(payload as DelimitedPartPayload, columns, options.delimiter, options.names),
    encodedChunks: (payload, columns) => delimitedCellChunks(payload as DelimitedPartPayload, columns, options.delimiter, options.names),
  };
}
