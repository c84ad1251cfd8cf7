/**
 * A faster decode of flat (top-level, non-repeated) Parquet column chunks for per-column readers
 * (`columnChunks`: profiles). hyparquet's page functions still parse headers, decompress and
 * decode levels and values; what changes is the assembly: hyparquet builds each optional column
 * by pushing into a plain array (and reads 64-bit integers as one BigInt per value), which was a
 * third of a profile's time in garbage collection. Here numeric columns go straight into a
 * Float64Array (NaN for null, which every consumer reads as null) and other columns into a
 * preallocated array. Values are those of the hyparquet path after `normalizeColumn`: numbers for
 * integers, decimals, floats, DATE and TIMESTAMP (epoch ms); strings for UTF-8 text.
 * Booleans come as booleans, text as strings, a few thousand rows per slice. Anything else
 * (nested, INT96, FLOAT16, TIME, NANOS timestamps, binary) is read by hyparquet as before.
 */
import type { HyparquetPages } from '../../io/hyparquet';
import { SnappyDecoder } from '../../io/snappy';
import type { ParquetSchemaElement } from './schema';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

/** How a physical value becomes a number, for the column types read into a Float64Array. */
type NumberKind = 'int32' | 'uint32' | 'int64' | 'uint64' | 'float' | { decimal: number } | 'date' | 'micros';

function numberKind(e: ParquetSchemaElement & { scale?: number; logical_type?: Any }): NumberKind | undefined {
  const ct = e.converted_type;
  const lt = e.logical_type;
  if (lt?.type === 'FLOAT16' || lt?.type === 'TIME' || ct === 'TIME_MILLIS' || ct === 'TIME_MICROS') return undefined;
  const unsigned = (ct !== undefined && ct.startsWith('UINT_')) || (lt?.type === 'INTEGER' && lt.isSigned === false);
  switch (e.type) {
    case 'FLOAT':
    case 'DOUBLE':
      return ct === undefined && (lt === undefined || lt.type === undefined) ? 'float' : undefined;
    case 'INT32':
      if (ct === 'DECIMAL') return { decimal: e.scale ?? 0 };
      if (ct === 'DATE' || lt?.type === 'DATE') return 'date';
      if (ct === undefined || ct.startsWith('INT_') || ct.startsWith('UINT_') || lt?.type === 'INTEGER') return unsigned ? 'uint32' : 'int32';
      return undefined;
    case 'INT64':
      if (ct === 'DECIMAL') return { decimal: e.scale ?? 0 };
      if (lt?.type === 'TIMESTAMP') return lt.unit === 'MILLIS' ? 'int64' : lt.unit === 'MICROS' ? 'micros' : undefined;
      if (ct === 'TIMESTAMP_MILLIS') return 'int64';
      if (ct === 'TIMESTAMP_MICROS') return 'micros';
      if (ct === undefined || ct.startsWith('INT_') || ct.startsWith('UINT_') || lt?.type === 'INTEGER') return unsigned ? 'uint64' : 'int64';
      return undefined;
    default:
      return undefined;
  }
}

function isText(e: ParquetSchemaElement & { logical_type?: Any }): boolean {
  return e.type === 'BYTE_ARRAY' && (e.converted_type === 'UTF8' || e.logical_type?.type === 'STRING');
}

/** Whether `decodeFlatColumn` reads this leaf (a top-level, non-repeated column). */
export function flatDecodable(e: ParquetSchemaElement & { logical_type?: Any }): boolean {
  if (e.repetition_type === 'REPEATED') return false;
  return numberKind(e) !== undefined || isText(e) || (e.type === 'BOOLEAN' && e.converted_type === undefined);
}

const TWO_32 = 4294967296;
const V1_FAST_ENCODINGS = new Set(['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY']);
const EMPTY_LEVELS: ArrayLike<number> = new Uint8Array(0);

function grown<T extends Uint8Array | Int32Array | Float64Array>(current: T, n: number, Type: new (n: number) => T): T {
  return current.length >= n ? current : new Type(Math.max(n, current.length * 2));
}

/** A 64-bit integer column with a value past ±(2^53 − 1): the other path keeps those as BigInt. */
export class UnsafeIntegerError extends Error {}

/** Physical values (typed array or array) as numbers of `kind`, into `into` when given (else a new array). */
function toNumbers(values: Any, kind: NumberKind, into?: Float64Array): Float64Array {
  const n = values.length;
  const out = into ? into.subarray(0, n) : new Float64Array(n);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    // Two 32-bit halves per value: no BigInt per value (exact below 2^53, correctly rounded above).
    const halves = new Int32Array(values.buffer, values.byteOffset, n * 2);
    const unsigned = kind === 'uint64';
    for (let i = 0; i < n; i++) {
      const lo = halves[2 * i] >>> 0;
      const hi = halves[2 * i + 1];
      out[i] = (unsigned ? hi >>> 0 : hi) * TWO_32 + lo;
    }
    if (kind === 'int64' || kind === 'uint64') {
      for (let i = 0; i < n; i++) if (!(out[i] <= Number.MAX_SAFE_INTEGER && out[i] >= -Number.MAX_SAFE_INTEGER)) throw new UnsafeIntegerError();
    }
  } else if (kind === 'uint32') {
    for (let i = 0; i < n; i++) out[i] = values[i] >>> 0;
  } else {
    for (let i = 0; i < n; i++) out[i] = Number(values[i]);
  }
  if (typeof kind === 'object') {
    const factor = 10 ** -kind.decimal;
    for (let i = 0; i < n; i++) out[i] *= factor;
  } else if (kind === 'date') {
    for (let i = 0; i < n; i++) out[i] *= 86_400_000;
  } else if (kind === 'micros') {
    // As the BigInt parser: truncated toward zero (exact while |µs| < 2^53, about year 2255).
    for (let i = 0; i < n; i++) out[i] = Math.trunc(out[i] / 1000);
  }
  return out;
}

/**
 * Reused buffers: one set per pass (the chunks of a pass decode one at a time, and a consumer lets
 * go of a chunk before asking for the next): levels, indexes and text offsets; a page's values as
 * numbers; a number column's values; text cells' byte ranges; decompressed Snappy pages. Each is a
 * megabyte apiece for a 122 880-row page when allocated per page or chunk.
 */
export interface FlatScratch {
  defs: Uint8Array;
  indexes: Int32Array;
  starts: Int32Array;
  pageNumbers: Float64Array;
  numbers: Float64Array;
  cellStarts: Int32Array;
  cellEnds: Int32Array;
  rowIndexes: Int32Array;
  /** Snappy pages decompress into its memory (the pass's own: passes may interleave in a thread). */
  snappy?: SnappyDecoder;
}

export function flatScratch(): FlatScratch {
  return { defs: new Uint8Array(0), indexes: new Int32Array(0), starts: new Int32Array(0), pageNumbers: new Float64Array(0), numbers: new Float64Array(0), cellStarts: new Int32Array(0), cellEnds: new Int32Array(0), rowIndexes: new Int32Array(0) };
}

/** Rows per slice of a text or boolean column: its strings stay young-generation garbage (see flatColumnSlices). */
export const TEXT_SLICE_ROWS = 4096;

/**
 * A slice of a column chunk: values, or (`encoded` asked for) plain text as byte ranges of its page
 * (`cells`) or dictionary-encoded values as indexes into the dictionary (`indexes`, −1 missing).
 */
export type FlatSlice =
  | { rowStart: number; length: number; values: ArrayLike<unknown>; cells?: undefined; indexes?: undefined }
  | { rowStart: number; length: number; values?: undefined; cells: { bytes: Uint8Array; starts: Int32Array; ends: Int32Array }; indexes?: undefined }
  | { rowStart: number; length: number; values?: undefined; cells?: undefined; dictionary: ArrayLike<unknown>; indexes: Int32Array };

/**
 * Decodes one flat column chunk (its bytes from the chunk start) of `rows` rows, as slices in row
 * order: a number column as one Float64Array; a text column `sliceRows` rows at a time, decoding
 * each slice's strings only when it is asked for, so a row group's 100 000+ strings are never alive
 * together (they were: each V8 scavenge copied them, and most of them reached the old generation).
 * Throws UnsafeIntegerError for 64-bit integers too large for a number (read those through
 * hyparquet). `decoder` is the object hyparquet's page functions take (element, schemaPath, type,
 * codec, compressors, parsers). With `encoded`, plain-encoded text comes as byte ranges of its page
 * (`cells`), and a dictionary-encoded text page, or a number chunk whose every page is
 * dictionary-encoded, as dictionary indexes: for consumers that hash and measure text from the
 * bytes and count each distinct value once.
 */
export function* flatColumnSlices(hp: HyparquetPages, bytes: Uint8Array, decoder: Any, rows: number, scratch: FlatScratch, sliceRows = TEXT_SLICE_ROWS, encoded = false): Generator<FlatSlice> {
  const element = decoder.element as ParquetSchemaElement & { scale?: number };
  const kind = numberKind(element);
  let numbers: Float64Array | undefined;
  if (kind !== undefined) {
    scratch.numbers = grown(scratch.numbers, rows, Float64Array);
    numbers = scratch.numbers.subarray(0, rows).fill(NaN);
  }
  /** A number chunk's dictionary index per row (−1 missing), kept while every page is dictionary-encoded. */
  let rowIndexes: Int32Array | undefined;
  let allDictionary = encoded && kind !== undefined;
  const stringFromBytes = decoder.parsers.stringFromBytes as (b: Uint8Array) => string;
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  let dictionary: Any;
  let row = 0;
  const optional = element.repetition_type === 'OPTIONAL';
  while (row < rows && reader.offset < bytes.byteLength - 1) {
    const header = hp.parquetHeader(reader);
    const compressed = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      const page = hp.decompressPage(compressed, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors);
      const raw = hp.readPlain({ view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }, decoder.type, header.dictionary_page_header.num_values, element.type_length);
      dictionary = kind !== undefined ? toNumbers(raw, kind) : hp.convert(raw, decoder);
      continue;
    }
    let levels: ArrayLike<number>;
    let data: Any;
    let encoding: string;
    let pageRows: number;
    /** Plain text of a V1 page: value k is page[starts[k], starts[k+1] - 4). */
    let plainText: Uint8Array | undefined;
    /** Plain booleans of a V1 page: value k is bit k (LSB first) from page[bitsAt]. */
    let plainBits: Uint8Array | undefined;
    let bitsAt = 0;
    if (header.type === 'DATA_PAGE' && (!optional || header.data_page_header.definition_level_encoding === 'RLE') && V1_FAST_ENCODINGS.has(header.data_page_header.encoding)) {
      // Levels, dictionary indexes and text offsets into reused typed arrays (hyparquet allocates
      // a plain array per page for each, a megabyte apiece for a 122 880-row page).
      const daph = header.data_page_header;
      // Snappy pages decompress in place (a view valid until the next page): nothing allocated per page.
      const size = Number(header.uncompressed_page_size);
      const page = decoder.codec === 'SNAPPY' ? (scratch.snappy ??= new SnappyDecoder()).decompressView(compressed, size) : hp.decompressPage(compressed, size, decoder.codec, decoder.compressors);
      const pageReader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
      pageRows = daph.num_values;
      encoding = daph.encoding;
      let present = pageRows;
      if (optional) {
        scratch.defs = grown(scratch.defs, pageRows, Uint8Array);
        const defs = scratch.defs.subarray(0, pageRows);
        hp.readRleBitPackedHybrid(pageReader, 1, defs);
        present = 0;
        for (let i = 0; i < pageRows; i++) present += defs[i];
        levels = present === pageRows ? EMPTY_LEVELS : defs;
      } else {
        levels = EMPTY_LEVELS;
      }
      if (encoding === 'PLAIN' && element.type === 'BOOLEAN') {
        plainBits = page;
        bitsAt = pageReader.offset;
      } else if (encoding === 'PLAIN' && kind === undefined) {
        scratch.starts = grown(scratch.starts, present + 1, Int32Array);
        const starts = scratch.starts;
        const view = pageReader.view;
        let pos = pageReader.offset;
        for (let k = 0; k < present; k++) {
          starts[k] = pos + 4;
          pos += 4 + view.getUint32(pos, true);
        }
        starts[present] = pos + 4;
        plainText = page;
      } else if (encoding === 'PLAIN') {
        data = hp.readPlain(pageReader, decoder.type, present, element.type_length);
      } else {
        const width = pageReader.view.getUint8(pageReader.offset++);
        scratch.indexes = grown(scratch.indexes, present, Int32Array);
        data = scratch.indexes.subarray(0, present);
        if (width) hp.readRleBitPackedHybrid(pageReader, width, data, pageReader.view.byteLength - pageReader.offset);
        else data.fill(0);
      }
    } else if (header.type === 'DATA_PAGE') {
      const page = hp.decompressPage(compressed, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors);
      ({ definitionLevels: levels, dataPage: data } = hp.readDataPage(page, header.data_page_header, decoder));
      encoding = header.data_page_header.encoding;
      pageRows = header.data_page_header.num_values;
    } else if (header.type === 'DATA_PAGE_V2') {
      ({ definitionLevels: levels, dataPage: data } = hp.readDataPageV2(compressed, header, decoder));
      encoding = header.data_page_header_v2.encoding;
      pageRows = header.data_page_header_v2.num_values;
    } else {
      continue; // index pages
    }
    const dictionaryIndexes = encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY';
    if (dictionaryIndexes && !dictionary) throw new Error('parquet dictionary page missing before dictionary-encoded data');
    const end = Math.min(rows, row + pageRows);
    if (numbers) {
      if (allDictionary && !dictionaryIndexes) allDictionary = false;
      if (allDictionary && !rowIndexes) {
        scratch.rowIndexes = grown(scratch.rowIndexes, rows, Int32Array);
        rowIndexes = scratch.rowIndexes.subarray(0, rows).fill(-1);
      }
      if (allDictionary) {
        let w = 0;
        for (let r = row, i = 0; r < end; r++, i++) if (levels.length === 0 || levels[i] !== 0) rowIndexes![r] = data[w++];
      }
      let values = data;
      if (!dictionaryIndexes) {
        scratch.pageNumbers = grown(scratch.pageNumbers, data.length, Float64Array);
        values = toNumbers(data, kind!, scratch.pageNumbers);
      }
      let v = 0;
      for (let r = row, i = 0; r < end; r++, i++) {
        if (levels.length > 0 && levels[i] === 0) continue; // null: NaN already there
        numbers[r] = dictionaryIndexes ? dictionary[values[v++]] : values[v++];
      }
      row = end;
      continue;
    }
    // Text: strings made slice by slice.
    const converted = plainText || plainBits || dictionaryIndexes ? undefined : hp.convertWithDictionary(data, undefined, encoding, decoder);
    const starts = scratch.starts;
    let v = 0;
    for (let sliceStart = row; sliceStart < end; sliceStart += sliceRows) {
      const length = Math.min(sliceRows, end - sliceStart);
      if (dictionaryIndexes && encoded) {
        scratch.cellStarts = grown(scratch.cellStarts, length, Int32Array);
        const indexes = scratch.cellStarts.subarray(0, length);
        for (let k = 0, i = sliceStart - row; k < length; k++, i++) indexes[k] = levels.length > 0 && levels[i] === 0 ? -1 : data[v++];
        yield { rowStart: sliceStart, length, dictionary, indexes };
        continue;
      }
      if (plainText && encoded) {
        // Byte ranges of the page (valid until the next slice is asked for): no string per value.
        scratch.cellStarts = grown(scratch.cellStarts, length, Int32Array);
        scratch.cellEnds = grown(scratch.cellEnds, length, Int32Array);
        const cellStarts = scratch.cellStarts.subarray(0, length);
        const cellEnds = scratch.cellEnds.subarray(0, length);
        for (let k = 0, i = sliceStart - row; k < length; k++, i++) {
          if (levels.length > 0 && levels[i] === 0) {
            cellStarts[k] = -1;
            cellEnds[k] = -1;
          } else {
            cellStarts[k] = starts[v];
            cellEnds[k] = starts[v + 1] - 4;
            v++;
          }
        }
        yield { rowStart: sliceStart, length, cells: { bytes: plainText, starts: cellStarts, ends: cellEnds } };
        continue;
      }
      const out = new Array<unknown>(length);
      for (let k = 0, i = sliceStart - row; k < length; k++, i++) {
        if (levels.length > 0 && levels[i] === 0) {
          out[k] = null;
          continue;
        }
        if (plainText) {
          out[k] = stringFromBytes(plainText.subarray(starts[v], starts[v + 1] - 4));
          v++;
        } else if (plainBits) {
          out[k] = ((plainBits[bitsAt + (v >> 3)] >> (v & 7)) & 1) === 1;
          v++;
        } else if (dictionaryIndexes) out[k] = dictionary[data[v++]];
        else out[k] = converted[v++];
      }
      yield { rowStart: sliceStart, length, values: out };
    }
    row = end;
  }
  if (numbers && rowIndexes && allDictionary) yield { rowStart: 0, length: rows, dictionary, indexes: rowIndexes };
  else if (numbers) yield { rowStart: 0, length: rows, values: numbers };
  else if (row < rows) yield { rowStart: row, length: rows - row, values: new Array<unknown>(rows - row).fill(null) };
}

/** The whole chunk as one array (sampled passes gather rows from it), valid until the next decode with `scratch`. */
export function decodeFlatColumn(hp: HyparquetPages, bytes: Uint8Array, decoder: Any, rows: number, scratch: FlatScratch): ArrayLike<unknown> {
  let whole: ArrayLike<unknown> | undefined;
  let parts: unknown[] | undefined;
  for (const slice of flatColumnSlices(hp, bytes, decoder, rows, scratch, rows)) {
    const values = slice.values!; // nothing encoded asked for
    if (slice.rowStart === 0 && slice.length === rows) whole = values;
    else {
      parts ??= new Array<unknown>(rows).fill(null);
      for (let i = 0; i < slice.length; i++) parts[slice.rowStart + i] = values[i];
    }
  }
  return whole ?? parts ?? new Array<unknown>(rows).fill(null);
}
