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
}

/**
 * Bytes the splitter stops at, per byte value: the delimiter, LF, CR and quote (1), anything else
 * cell text (0). One table look-up per byte, each byte read once: the native `indexOf` per line
 * and per part (for LF, CR and quotes) read the bytes three more times.
 */
function stopBytes(d: number): Uint8Array {
  const stop = new Uint8Array(256);
  stop[d] = stop[LF] = stop[CR] = stop[QUOTE] = 1;
  return stop;
}

/**
 * Splits plain lines from `state.pos` into rows `state.rows…` of the flat offset arrays (column
 * slot k of row r at `k * CELL_BATCH_ROWS + r`) until the batch is full, the part ends, or a line
 * needs the text parser (a quote, or a CR not right before its LF). A plain function (not the
 * generator), so V8 optimizes the byte loop.
 */
function scanPlainLines(bytes: Uint8Array, d: number, stop: Uint8Array, slotOf: Int32Array, lastWanted: number, starts: Int32Array, ends: Int32Array, state: ScanState): void {
  const n = bytes.length;
  let pos = state.pos;
  let rows = state.rows;
  let special = false;
  // Bytes above every stop byte are text: one comparison for most of them.
  const top = Math.max(d, LF, CR, QUOTE);
  const stopsAtEnd = n > 0 && stop[bytes[n - 1]] === 1;
  lines: while (pos < n && rows < CELL_BATCH_ROWS) {
    let s = pos;
    let e = pos;
    let c = 0;
    // Where the line's text ends (its LF, or the CR of its CRLF) and where the next line starts.
    let lineEnd = n;
    let next = n;
    while (e < n) {
      // A part that ends with a stop byte (an LF, as all but a file's last part do) needs no bound.
      if (stopsAtEnd) while (bytes[e] > top || stop[bytes[e]] === 0) e++;
      else while (e < n && (bytes[e] > top || stop[bytes[e]] === 0)) e++;
      if (e === n) break;
      const b = bytes[e];
      if (b === d) {
        if (c <= lastWanted && slotOf[c] >= 0) {
          starts[slotOf[c] * CELL_BATCH_ROWS + rows] = s;
          ends[slotOf[c] * CELL_BATCH_ROWS + rows] = e;
        }
        c++;
        s = ++e;
      } else if (b === LF) {
        lineEnd = e;
        next = e + 1;
        break;
      } else if (b === CR && e + 1 < n && bytes[e + 1] === LF) {
        lineEnd = e;
        next = e + 2;
        break;
      } else {
        // A quote, or a stray CR: the text parser reads from this line on.
        special = true;
        break lines;
      }
    }
    // A blank line is skipped, as the text parser skips it.
    if (lineEnd > pos) {
      if (c <= lastWanted && slotOf[c] >= 0) {
        starts[slotOf[c] * CELL_BATCH_ROWS + rows] = s;
        ends[slotOf[c] * CELL_BATCH_ROWS + rows] = lineEnd;
      }
      for (c++; c <= lastWanted; c++) if (slotOf[c] >= 0) starts[slotOf[c] * CELL_BATCH_ROWS + rows] = -1;
      rows++;
    }
    pos = next;
  }
  state.pos = pos;
  state.rows = rows;
  state.special = special;
}

/**
 * The part's cells as byte ranges (see `TextCellChunk`): each line without a quote or a stray CR
 * is split at the delimiter byte, as `ColumnSink.line` splits its text (blank lines skipped, cells
 * past the header dropped, missing cells null). From the first line with a quote or a stray CR,
 * the rest of the part goes through the text parser (`delimitedChunks`), whose records may span
 * lines. Only the delimiter, LF, CR and quote bytes are looked at, all ASCII, so multi-byte UTF-8
 * text splits exactly as its decoded string does (a non-ASCII delimiter: the text parser throughout).
 */
function* delimitedCellChunks(payload: DelimitedPartPayload, columns: string[], delimiter: string, names: string[]): Generator<ColumnChunk | TextCellChunk> {
  const { bytes } = payload;
  // A delimiter that is not one ASCII byte is not a byte the splitter can look for.
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) >= 0x80) {
    yield* delimitedChunks(payload, columns, delimiter, names);
    return;
  }
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
  const state: ScanState = { pos: 0, rows: 0, special: false };
  const d = delimiter.charCodeAt(0);
  const stop = stopBytes(d);
  let rowStart = 0;
  while (state.pos < n && !state.special) {
    scanPlainLines(bytes, d, stop, slotOf, lastWanted, starts, ends, state);
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
