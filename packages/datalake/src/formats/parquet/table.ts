/**
 * Parquet rows through hyparquet, one row group at a time: the footer is read once (≤ 2 range
 * reads), then each row group's column chunks are fetched by range, decoded (hyparquet-compressors
 * for ZSTD, Brotli, LZ4, gzip; our WebAssembly Snappy), turned into rows and dropped before the next
 * group. Memory is one row group's decoded columns, never the file; `columnChunks` goes further and
 * decodes one column of one row group at a time (memory: one decoded column chunk).
 *
 * Values: numbers for INT/FLOAT/DECIMAL (64-bit integers become numbers when they fit exactly,
 * otherwise stay bigint), booleans, strings for STRING/ENUM/JSON-as-text, Uint8Array for binary,
 * **epoch milliseconds** (numbers) for DATE and TIMESTAMP, seconds since midnight for TIME, and
 * plain objects/arrays for structs, lists and maps.
 */
import type { ColumnBatch, ColumnChunk, ColumnProfile, EncodedChunk } from '@om/core';
import type { ObjectStore } from '../../object-store';
import { columnName } from '../../inference/tree';
import { readParquetFooter, type ParquetFooter, type ParquetSchemaElement, type ParquetSchemaNode } from './schema';
import { parquetCompressors } from '../../io/compressors';
import { hyparquet, hyparquetPages } from '../../io/hyparquet';
import { decodeFlatColumn, flatColumnSlices, flatDecodable, flatScratch, UnsafeIntegerError, type FlatScratch, type FlatSlice } from './flat';
import { gather, rowSelector, type SamplingOptions } from '../sampling';
import { abortError } from '../../io/text-stream';
import { FileReadError } from '../../io/errors';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** hyparquet parsers giving epoch milliseconds as numbers (cheaper than Date objects, and what profiles report). */
export const EPOCH_MS_PARSERS = {
  timestampFromMilliseconds: (v: bigint | number): number => Number(v),
  timestampFromMicroseconds: (v: bigint | number): number => (typeof v === 'bigint' ? Number(v / 1000n) : Math.floor(v / 1000)),
  timestampFromNanoseconds: (v: bigint | number): number => (typeof v === 'bigint' ? Number(v / 1000000n) : Math.floor(v / 1e6)),
  dateFromDays: (days: number): number => days * 86_400_000,
};

interface RowGroupMeta {
  num_rows: bigint | number;
  columns: {
    meta_data?: {
      path_in_schema: string[];
      statistics?: StatsMeta;
      type?: string;
      codec?: string;
      data_page_offset?: bigint | number;
      dictionary_page_offset?: bigint | number;
      total_compressed_size?: bigint | number;
    };
  }[];
}
interface StatsMeta {
  min_value?: unknown;
  max_value?: unknown;
  min?: unknown;
  max?: unknown;
  null_count?: bigint | number;
}
interface FileMeta {
  num_rows: bigint | number;
  row_groups: RowGroupMeta[];
}

export interface ParquetTable {
  footer: ParquetFooter;
  numRows: number;
  /** min/max/nullCount per top-level column from the footer statistics (where every row group has them). */
  columnStats: Record<string, Partial<ColumnProfile>>;
  rows(signal?: AbortSignal): AsyncGenerator<Record<string, unknown>>;
  /** One batch per row group: the decoded column arrays as hyparquet gives them (no row objects). */
  batches(signal?: AbortSignal): AsyncGenerator<ColumnBatch>;
  /**
   * The `columns` (by column name, as in `batches`) one row group and one column at a time: each
   * chunk is fetched, decoded and yielded before the next column is read, so only one decoded
   * column chunk is alive (`TableDataRequest.columnChunks`). With `sampling`, every column keeps the
   * rows `sampleBatches` keeps over `batches()` (one selection per row group, applied to each column).
   */
  columnChunks(columns: string[], signal?: AbortSignal, options?: ColumnChunkOptions): AsyncGenerator<ColumnChunk>;
  /**
   * `columnChunks`, except that plain-encoded UTF-8 text may come as byte ranges of its page
   * (`TextCellChunk`), and dictionary-encoded values as dictionary indexes (`DictionaryChunk`).
   */
  encodedChunks(columns: string[], signal?: AbortSignal, options?: ColumnChunkOptions): AsyncGenerator<EncodedChunk>;
}

export interface ColumnChunkOptions {
  sampling?: SamplingOptions;
  /** Only row groups `[from, to)` (a part of a split pass: rowStart counts from the first of them). */
  rowGroups?: [number, number];
  /**
   * Instrumentation: `decoded` for every piece hyparquet hands over (its column), `released` when the
   * consumer asks for the chunk after the one built from them.
   */
  trace?: (event: { type: 'decoded' | 'released'; column: string; rowGroup: number }) => void;
  /** Decode buffers to reuse, for a caller whose passes run one after another (a part decoder); default: the pass's own. */
  scratch?: FlatScratch;
}

/** The bytes of a column chunk, as hyparquet reads them: from the dictionary page when there is one. */
export function columnChunkRange(meta: { dictionary_page_offset?: bigint | number; data_page_offset?: bigint | number; total_compressed_size?: bigint | number }): { start: number; end: number } {
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  return { start, end: start + Number(meta.total_compressed_size) };
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  return undefined;
}

function timeUnit(e: ParquetSchemaElement): number | undefined {
  const lt = e.logical_type;
  if (lt?.type === 'TIME') return lt.unit === 'MILLIS' ? 1e3 : lt.unit === 'NANOS' ? 1e9 : 1e6;
  if (e.converted_type === 'TIME_MILLIS') return 1e3;
  if (e.converted_type === 'TIME_MICROS') return 1e6;
  return undefined;
}

/** Statistics worth reporting: numeric and temporal primitives (not INT96, whose order is undefined, nor TIME). */
function statsUsable(node: ParquetSchemaNode): boolean {
  const e = node.element;
  if (node.children.length > 0 || !e.type) return false;
  if (e.type === 'INT96' || e.type === 'BYTE_ARRAY' || e.type === 'FIXED_LEN_BYTE_ARRAY' || e.type === 'BOOLEAN') return false;
  if (timeUnit(e) !== undefined) return false;
  return true;
}

/** Aggregates footer statistics over the row groups. */
export function footerColumnStats(root: ParquetSchemaNode, metadata: FileMeta): Record<string, Partial<ColumnProfile>> {
  const out: Record<string, Partial<ColumnProfile>> = {};
  for (const child of root.children) {
    if (!statsUsable(child)) continue;
    const name = child.element.name;
    let min: number | undefined;
    let max: number | undefined;
    let nulls: number | undefined = 0;
    let minOk = true;
    let maxOk = true;
    for (const rg of metadata.row_groups) {
      const chunk = rg.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name);
      const st = chunk?.meta_data?.statistics;
      if (Number(rg.num_rows) === 0) continue;
      if (!st) {
        minOk = maxOk = false;
        nulls = undefined;
        break;
      }
      const n = numberOf(st.null_count);
      nulls = n === undefined || nulls === undefined ? undefined : nulls + n;
      const allNull = n !== undefined && n === Number(rg.num_rows);
      if (allNull) continue;
      const lo = numberOf(st.min_value ?? st.min);
      const hi = numberOf(st.max_value ?? st.max);
      if (lo === undefined) minOk = false;
      else if (min === undefined || lo < min) min = lo;
      if (hi === undefined) maxOk = false;
      else if (max === undefined || hi > max) max = hi;
    }
    const stats: Partial<ColumnProfile> = {};
    if (minOk && min !== undefined) stats.min = min;
    if (maxOk && max !== undefined) stats.max = max;
    if (nulls !== undefined) stats.nullCount = nulls;
    if (Object.keys(stats).length > 0) out[columnName(name).name] = stats;
  }
  return out;
}

const utf8 = new TextDecoder();

/** Nested values: 64-bit integers that fit become numbers, all the way down. */
function deepNumbers(v: unknown): unknown {
  if (typeof v === 'bigint') return v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : v;
  if (Array.isArray(v)) return v.map(deepNumbers);
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepNumbers(x);
    return out;
  }
  return v;
}

function normalizeColumn(data: ArrayLike<unknown>, node: ParquetSchemaNode): ArrayLike<unknown> {
  const e = node.element;
  if (node.children.length > 0) return Array.from(data, deepNumbers);
  if (e.logical_type?.type === 'ENUM' || e.converted_type === 'ENUM') {
    return Array.from(data, (v) => (v instanceof Uint8Array ? utf8.decode(v) : v));
  }
  const unit = timeUnit(e);
  if (unit !== undefined) {
    const out = new Array<unknown>(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      out[i] = v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) / unit : typeof v === 'number' ? v / unit : v;
    }
    return out;
  }
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    // Numbers when every value fits exactly (the common case): a Float64Array, 8 bytes a value.
    let fits = true;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v > MAX_SAFE || v < MIN_SAFE) {
        fits = false;
        break;
      }
    }
    if (fits) {
      const out = new Float64Array(data.length);
      for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
      return out;
    }
  }
  if (Array.isArray(data)) {
    // hyparquet's plain arrays (nullable columns) are fresh per read: converted in place, no copy.
    for (let i = 0; i < data.length; i++) {
      const v: unknown = data[i];
      if (typeof v === 'bigint' && v <= MAX_SAFE && v >= MIN_SAFE) data[i] = Number(v);
    }
    return data;
  }
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = new Array<unknown>(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      out[i] = typeof v === 'bigint' && v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : v;
    }
    return out;
  }
  return data;
}

type TypedArrayCtor = new (n: number) => { [i: number]: unknown; length: number; set(a: ArrayLike<unknown>, offset: number): void };

/** One column of a row group from its page chunks: the chunk itself when it is the whole group. */
function joinChunks(chunks: { rowStart: number; data: ArrayLike<unknown> }[], n: number): ArrayLike<unknown> {
  if (chunks.length === 1 && chunks[0].rowStart === 0 && chunks[0].data.length >= n) return chunks[0].data;
  const first = chunks[0]?.data;
  const typed = first !== undefined && ArrayBuffer.isView(first) && chunks.every((ch) => ch.data.constructor === first.constructor);
  if (typed) {
    const out = new (first.constructor as TypedArrayCtor)(n);
    for (const ch of chunks) out.set(ch.rowStart + ch.data.length > n ? Array.prototype.slice.call(ch.data, 0, n - ch.rowStart) : ch.data, ch.rowStart);
    return out as unknown as ArrayLike<unknown>;
  }
  const out = new Array<unknown>(n);
  for (const ch of chunks) {
    const m = Math.min(ch.data.length, n - ch.rowStart);
    for (let i = 0; i < m; i++) out[ch.rowStart + i] = ch.data[i];
  }
  return out;
}

type ColumnRowBuilder = (cols: ArrayLike<unknown>[], i: number) => Record<string, unknown>;

function columnRowBuilder(names: string[]): ColumnRowBuilder {
  const props = names.map((name, i) => `${name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name)}: c[${i}][i] ?? null`);
  // eslint-disable-next-line no-new-func
  return new Function('c', 'i', `return {${props.join(', ')}};`) as ColumnRowBuilder;
}

export async function openParquetTable(store: ObjectStore, bucket: string, key: string, size: number): Promise<ParquetTable> {
  const footer = await readParquetFooter(store, bucket, key, size, { parsers: EPOCH_MS_PARSERS });
  const metadata = footer.metadata as FileMeta;
  const top = footer.root.children;
  const names = top.map((c) => c.element.name);
  const keys = names.map((n) => columnName(n).name);
  const build = columnRowBuilder(keys);
  const file = {
    byteLength: size,
    slice: async (start: number, end?: number): Promise<ArrayBuffer> => {
      const bytes = await store.readRange(bucket, key, start, end ?? size);
      // The bytes' own buffer when they fill it (no copy), else a copy of just them.
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
  /** Rows [start, start + rows) of `columns` (default all) through hyparquet; each decoded piece to `onChunk`, its rowStart counted from `start`. */
  const readRowRange = async (start: number, rows: number, onChunk: (name: string, rowStart: number, data: ArrayLike<unknown>) => void, columns?: string[]): Promise<void> => {
    const [hp, compressors] = await Promise.all([hyparquet(), parquetCompressors()]);
    await hp.parquetRead({
      file,
      metadata: metadata as never,
      ...(columns ? { columns } : {}),
      rowStart: start,
      rowEnd: start + rows,
      compressors: compressors as never,
      utf8: false,
      parsers: EPOCH_MS_PARSERS as never,
      onChunk: ({ columnName: name, columnData, rowStart }: { columnName: string; columnData: ArrayLike<unknown>; rowStart: number }) => onChunk(name, rowStart - start, columnData),
    });
  };
  const table: ParquetTable = {
    footer,
    numRows: footer.numRows,
    columnStats: footerColumnStats(footer.root, metadata),
    async *rows(signal?: AbortSignal) {
      for await (const batch of table.batches(signal)) {
        const cols = keys.map((k) => batch.columns[k]);
        for (let i = 0; i < batch.length; i++) yield build(cols, i);
      }
    },
    async *batches(signal?: AbortSignal) {
      const index = new Map(names.map((n, i) => [n, i]));
      let groupStart = 0;
      for (const rg of metadata.row_groups) {
        if (signal?.aborted) throw abortError(signal);
        const groupRows = Number(rg.num_rows);
        if (groupRows === 0) continue;
        const start = groupStart;
        groupStart += groupRows;
        const chunks: { rowStart: number; data: ArrayLike<unknown> }[][] = names.map(() => []);
        await readRowRange(start, groupRows, (name, rowStart, data) => chunks[index.get(name)!].push({ rowStart, data }));
        const columns: Record<string, ArrayLike<unknown>> = {};
        for (let c = 0; c < names.length; c++) {
          const values = normalizeColumn(joinChunks(chunks[c], groupRows), top[c]);
          chunks[c] = [];
          if (keys[c] === '__proto__') Object.defineProperty(columns, keys[c], { value: values, enumerable: true, writable: true, configurable: true });
          else columns[keys[c]] = values;
        }
        yield { length: groupRows, columns };
      }
    },
    columnChunks(columns: string[], signal?: AbortSignal, options: ColumnChunkOptions = {}) {
      return chunks(columns, signal, options, false) as AsyncGenerator<ColumnChunk>;
    },
    encodedChunks(columns: string[], signal?: AbortSignal, options: ColumnChunkOptions = {}) {
      return chunks(columns, signal, options, true);
    },
  };
  async function* chunks(columns: string[], signal: AbortSignal | undefined, options: ColumnChunkOptions, encoded: boolean): AsyncGenerator<EncodedChunk> {
    if (columns.length === 0) return;
    const [compressors, pages] = await Promise.all([parquetCompressors(), hyparquetPages()]);
    const parsers = { ...pages.DEFAULT_PARSERS, ...EPOCH_MS_PARSERS };
    const scratch = options.scratch ?? flatScratch();
    const byKey = new Map(keys.map((k, i) => [k, i]));
    const totalRows = metadata.row_groups.reduce((n, rg) => n + Number(rg.num_rows), 0);
    const selector = rowSelector(options.sampling, totalRows);
    const trace = options.trace;
    const [firstGroup, endGroup] = options.rowGroups ?? [0, metadata.row_groups.length];
    let groupStart = 0;
    for (let g = 0; g < firstGroup; g++) groupStart += Number(metadata.row_groups[g].num_rows);
    let passRow = 0;
    for (let g = firstGroup; g < Math.min(endGroup, metadata.row_groups.length); g++) {
      if (signal?.aborted) throw abortError(signal);
      const groupRows = Number(metadata.row_groups[g].num_rows);
      if (groupRows === 0) continue;
      const start = groupStart;
      groupStart += groupRows;
      const picked = selector.select(groupRows);
      const length = picked ? picked.length : groupRows;
      if (length === 0) continue;
      // A copy: the selector reuses its buffer on the next group, and this one is used per column.
      const rows = picked ? Int32Array.from(picked) : undefined;
      for (const column of columns) {
        if (signal?.aborted) throw abortError(signal);
        const c = byKey.get(column);
        if (c === undefined) {
          yield { column, rowStart: passRow, length, values: undefined };
          continue;
        }
        // Flat columns: our own assembly over hyparquet's page decoding (see parquet-flat.ts).
        const leaf = top[c];
        const meta = leaf.children.length === 0 && flatDecodable(leaf.element) ? metadata.row_groups[g].columns.find((col) => col.meta_data?.path_in_schema.length === 1 && col.meta_data.path_in_schema[0] === names[c])?.meta_data : undefined;
        if (meta && meta.total_compressed_size !== undefined) {
          const { start: from, end: to } = columnChunkRange(meta);
          const bytes = await store.readRange(bucket, key, from, to);
          if (bytes.length !== to - from) throw new FileReadError(`short read of column ${names[c]} in row group ${g} (${bytes.length} of ${to - from} bytes)`);
          const decoder = { pathInSchema: [names[c]], element: leaf.element, schemaPath: [footer.root, leaf], type: meta.type, codec: meta.codec, compressors, parsers, utf8: false };
          // Sampled passes gather rows from the whole chunk; others take it slice by slice (a
          // slice is decoded when asked for). Only a number column can throw UnsafeIntegerError,
          // and it is decoded whole by the first `next()`.
          const slices = rows ? undefined : flatColumnSlices(pages, bytes, decoder, groupRows, scratch, undefined, encoded);
          let first: IteratorResult<FlatSlice> | undefined;
          let whole: ArrayLike<unknown> | undefined;
          try {
            if (slices) first = slices.next();
            else whole = decodeFlatColumn(pages, bytes, decoder, groupRows, scratch);
          } catch (err) {
            if (!(err instanceof UnsafeIntegerError)) throw err;
          }
          if (first || whole) {
            trace?.({ type: 'decoded', column: names[c], rowGroup: g });
            if (whole) yield { column, rowStart: passRow, length, values: normalizeColumn(gather(whole, rows!, length), leaf) };
            for (let r = first; r && !r.done; r = slices!.next()) {
              const slice = r.value;
              if (slice.cells) yield { column, rowStart: passRow + slice.rowStart, length: slice.length, cells: slice.cells };
              else if (slice.indexes) yield { column, rowStart: passRow + slice.rowStart, length: slice.length, dictionary: slice.dictionary, indexes: slice.indexes };
              else yield { column, rowStart: passRow + slice.rowStart, length: slice.length, values: normalizeColumn(slice.values, leaf) };
            }
            trace?.({ type: 'released', column: names[c], rowGroup: g });
            continue;
          }
        }
        let parts: { rowStart: number; data: ArrayLike<unknown> }[] = [];
        await readRowRange(
          start,
          groupRows,
          (name, rowStart, data) => {
            trace?.({ type: 'decoded', column: name, rowGroup: g });
            if (name === names[c]) parts.push({ rowStart, data });
          },
          [names[c]],
        );
        let raw = joinChunks(parts, groupRows);
        parts = [];
        if (rows) raw = gather(raw, rows, length);
        const values = normalizeColumn(raw, top[c]);
        raw = [];
        yield { column, rowStart: passRow, length, values };
        trace?.({ type: 'released', column: names[c], rowGroup: g });
      }
      passRow += length;
    }
  }
  return table;
}
