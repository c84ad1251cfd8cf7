/**
 * The worker-thread protocol of a split table pass: what a source hands out (parts) and what a
 * worker thread loads to decode them. Its own subpath (`@om/core/worker-protocol`): a worker
 * imports only this, never the workflow engine.
 */
import type { ColumnChunk } from './columns';

/**
 * One part of a split pass: a payload for the part decoder (structured-cloneable), and the
 * ArrayBuffers in it that may be moved to the worker instead of copied.
 */
export interface TablePart {
  payload: unknown;
  transfer?: ArrayBuffer[];
  /** Bytes of the file this part covers (progress and flow control). */
  bytes: number;
  /**
   * Parts of one lane go to the same worker (lane mod workers), in order: a columnar file split by
   * columns keeps each column on one worker. Without lanes, parts go round-robin.
   */
  lane?: number;
  /**
   * Rows this part adds to the pass, when parts split by columns (then the parts of one block
   * cover the same rows, and exactly one of them counts them). Without it, the decoded rows count.
   */
  rows?: number;
}

/** What a consumer tells `TableDataRequest.parts` about its reading. */
export interface TablePartsOptions {
  /** Workers that will decode the parts: a columnar file may split its columns into this many lanes. */
  lanes?: number;
  /** The columns that will be asked for (others need not be read); default all. */
  columns?: string[];
}

/**
 * A whole, unsampled pass split into parts that decode independently, so a consumer can spread
 * them over worker threads. The parts, decoded in order and concatenated, are the same rows as
 * `batches()`. A worker thread loads `decoderModule` (an absolute path to a CommonJS module whose
 * `openPartDecoder(decoderOptions)` returns a `PartDecoder`) and decodes the parts it is given.
 */
export interface TablePartsPass {
  decoderModule: string;
  /** Structured-cloneable (sent to each worker once). */
  decoderOptions: unknown;
  parts: AsyncIterable<TablePart>;
  /** Stops reading (the consumer ends early or fails). */
  close(): Promise<void>;
  /**
   * Optional: a part's `transfer` buffers, handed back once the part is decoded (from a worker, moved
   * back), for the pass to read later parts into instead of allocating new ones.
   */
  recycle?(buffers: ArrayBuffer[]): void;
}

/**
 * One column's text cells for rows `[rowStart, rowStart + length)` as byte ranges of the part's
 * UTF-8 text, not strings: cell i is `bytes[starts[i], ends[i])`, and `starts[i] < 0` is a row
 * without that cell (a missing value). The same cells a `ColumnChunk` would hold as strings.
 * Consumers must not keep a chunk after asking for the next one (the offsets are reused).
 */
export interface TextCellChunk {
  column: string;
  rowStart: number;
  length: number;
  cells: { bytes: Uint8Array; starts: Int32Array; ends: Int32Array };
}

/**
 * One column's values for rows `[rowStart, rowStart + length)` as indexes into the distinct values
 * of its dictionary (Parquet dictionary pages): row i's value is `dictionary[indexes[i]]`, and
 * `indexes[i] < 0` is a missing value. The same values a `ColumnChunk` would hold (a number
 * dictionary is a Float64Array), for consumers that count each distinct value once per chunk.
 * Consumers must not keep a chunk after asking for the next one (the indexes are reused).
 */
export interface DictionaryChunk {
  column: string;
  rowStart: number;
  length: number;
  dictionary: ArrayLike<unknown>;
  indexes: Int32Array;
}

/** A chunk of `PartDecoder.encodedChunks`. */
export type EncodedChunk = ColumnChunk | TextCellChunk | DictionaryChunk;

/** Decodes parts in a worker thread (see `TablePartsPass`). */
export interface PartDecoder {
  /**
   * The part's rows one column chunk at a time, for the requested columns (rowStart relative to
   * the part), with the same ordering rules as `TableDataRequest.columnChunks`.
   */
  columnChunks(payload: unknown, columns: string[]): AsyncIterable<ColumnChunk> | Iterable<ColumnChunk>;
  /**
   * Optional: the same chunks as `columnChunks`, except that a run of plain text cells may come as
   * byte ranges (`TextCellChunk`) and dictionary-encoded values as dictionary indexes
   * (`DictionaryChunk`), for consumers that read numbers and hashes straight from the bytes and
   * count each distinct value once.
   */
  encodedChunks?(payload: unknown, columns: string[]): AsyncIterable<EncodedChunk> | Iterable<EncodedChunk>;
}

export type { ColumnBatch, ColumnChunk } from './columns';
