/**
 * A file's unsampled pass split into parts that decode on their own (`TableDataRequest.parts`), so
 * a profile can spread them over worker threads: CSV/TSV as record-aligned byte ranges of about
 * `PART_BYTES` (found by `recordEnd`, decompressed here when gzip/zip), Parquet as row groups
 * (their column chunks' bytes). The reading stays here, in the calling thread, through the store;
 * the workers only decode (`part-decoder.ts`), so any store plugin works unchanged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TablePart, TablePartsOptions, TablePartsPass } from '@om/core';
import { DelimitedStreamParser, MAX_RECORD_CHARS, recordEnd } from '../readers/delimited';
import { FileReadError } from '../readers/errors';
import { PARQUET_TAIL_FETCH } from '../readers/parquet';
import { abortError, openByteStream } from '../readers/text-stream';
import { columnName } from '../inference/tree';
import { rowKeys } from './csv';
import { columnChunkRange, openParquetTable } from './parquet';
import type { FileLocation } from './index';

/**
 * Bytes per CSV part: big enough that a part is mostly decoding, small enough that the parts in
 * flight stay a few MB (measured in bench/profile-scan.mjs: 2 MiB ≈ 4 MiB in speed, 10 MB less RSS).
 */
export const PART_BYTES = 2 * 1024 * 1024;
/** With no LF in this many leading bytes (CR-only line breaks), the file is read in one piece. */
const HEADER_SEARCH_BYTES = 1024 * 1024;

/** Options a worker's decoder gets (structured-cloneable). */
export type PartDecoderOptions =
  | { format: 'delimited'; delimiter: string; names: string[] }
  | { format: 'parquet'; key: string; size: number; tailStart: number; tail: Uint8Array };

export interface DelimitedPartPayload {
  bytes: Uint8Array;
}
export interface ParquetPartRange {
  offset: number;
  bytes: Uint8Array;
}
export interface ParquetPartPayload {
  rowGroup: number;
  /** The columns (keys) this part holds; the decoder yields only these. */
  columns: string[];
  ranges: ParquetPartRange[];
}

/**
 * The compiled decoder a worker thread loads. A worker runs plain Node, so when this module runs
 * from TypeScript sources (Jest), it is the built file in dist (`pnpm test` builds first).
 */
function decoderModule(): string {
  const here = path.join(__dirname, 'part-decoder.js');
  return fs.existsSync(here) ? here : path.resolve(__dirname, '../../dist/rows/part-decoder.js');
}

/** `bytes` as a TablePart whose ArrayBuffer can be moved (copied first when it is shared). */
function ownedBytes(bytes: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return { bytes, transfer: [bytes.buffer] };
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return { bytes: copy, transfer: [copy.buffer] };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

type Header = { names: string[]; end: number } | { names?: undefined; end: number } | 'unsplittable' | 'more';

/**
 * The header record at the start of `buf` (the file's first bytes, or those after blank lines):
 * its column names and where it ends; `end` alone for a blank line; 'more' when no record has
 * ended yet; 'unsplittable' when records end without LF (CR-only line breaks).
 */
function readHeader(buf: Uint8Array, delimiter: string, atStart: boolean, complete: boolean): Header {
  const end = recordEnd(buf, delimiter.charCodeAt(0), true);
  if (end === -1) return complete || buf.length > HEADER_SEARCH_BYTES ? 'unsplittable' : 'more';
  let text = Buffer.from(buf.buffer, buf.byteOffset, end).toString('utf8');
  if (atStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: string[][] = [];
  const parser = new DelimitedStreamParser(delimiter);
  parser.push(text, records);
  parser.end(records);
  if (records.length > 1) return 'unsplittable';
  return records.length === 1 ? { names: rowKeys(records[0]), end } : { end };
}

function delimitedPass(delimiter: string, names: string[], parts: AsyncGenerator<TablePart>, close: () => Promise<void>): TablePartsPass {
  const decoderOptions: PartDecoderOptions = { format: 'delimited', delimiter, names };
  return { decoderModule: decoderModule(), decoderOptions, parts, close };
}

/**
 * CSV/TSV: the header is read here; parts are whole records after it. Uncompressed files are read
 * by ranges straight into each part's buffer (moved to the worker, so this thread makes no copies
 * and no garbage); compressed files are inflated here as a stream.
 */
export async function delimitedParts(file: FileLocation, delimiter: string, signal?: AbortSignal, partBytes = PART_BYTES): Promise<TablePartsPass | undefined> {
  return file.format.compression === 'none' ? rangedDelimitedParts(file, delimiter, signal, partBytes) : streamedDelimitedParts(file, delimiter, signal, partBytes);
}

async function rangedDelimitedParts(file: FileLocation, delimiter: string, signal: AbortSignal | undefined, partBytes: number): Promise<TablePartsPass | undefined> {
  const { store, bucket, key, size } = file;
  const d = delimiter.charCodeAt(0);
  let offset = 0;
  let names: string[] | undefined;
  let want = Math.min(partBytes, 64 * 1024);
  while (!names) {
    const buf = await store.readRange(bucket, key, offset, Math.min(size, offset + want));
    const header = readHeader(buf, delimiter, offset === 0, offset + buf.length >= size);
    if (header === 'unsplittable') return undefined;
    if (header === 'more') {
      want *= 2;
      continue;
    }
    offset += header.end;
    names = header.names;
  }
  let stopped = false;
  async function* parts(): AsyncGenerator<TablePart> {
    let want = partBytes;
    while (offset < size && !stopped) {
      if (signal?.aborted) throw abortError(signal);
      const bytes = await store.readRange(bucket, key, offset, Math.min(size, offset + want));
      if (bytes.length === 0) return;
      const end = offset + bytes.length >= size ? bytes.length : recordEnd(bytes, d);
      if (end === -1) {
        // A record longer than a part: read a longer range.
        if (want > MAX_RECORD_CHARS) throw new FileReadError(`a record is longer than ${MAX_RECORD_CHARS} bytes (an unclosed quote?)`);
        want *= 2;
        continue;
      }
      want = partBytes;
      offset += end;
      // The whole buffer moves to the worker; the view stops at the record end (the rest is read again).
      const owned = ownedBytes(bytes);
      const payload: DelimitedPartPayload = { bytes: owned.bytes.subarray(0, end) };
      yield { payload, transfer: owned.transfer, bytes: end };
    }
  }
  return delimitedPass(delimiter, names, parts(), async () => {
    stopped = true;
  });
}

async function streamedDelimitedParts(file: FileLocation, delimiter: string, signal: AbortSignal | undefined, partBytes: number): Promise<TablePartsPass | undefined> {
  const stream = openByteStream(file.store, file.bucket, file.key, file.size, file.format.compression, { signal });
  const d = delimiter.charCodeAt(0);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let names: string[] | undefined;
  let atStart = true;
  let done = false;
  const pull = async (): Promise<boolean> => {
    const next = await stream.next();
    if (next.done) {
      done = true;
      return false;
    }
    pending.push(next.value);
    pendingBytes += next.value.length;
    return true;
  };
  try {
    while (!names) {
      const buf = concat(pending, pendingBytes);
      pending = [buf];
      const header = readHeader(buf, delimiter, atStart, done);
      if (header === 'unsplittable') {
        await stream.return(undefined);
        return undefined;
      }
      if (header === 'more') {
        await pull();
        continue;
      }
      atStart = false;
      names = header.names;
      pending = [buf.subarray(header.end)];
      pendingBytes = buf.length - header.end;
    }
  } catch (err) {
    await stream.return(undefined);
    throw err;
  }

  async function* parts(): AsyncGenerator<TablePart> {
    try {
      for (;;) {
        while (!done && pendingBytes < partBytes) await pull();
        if (pendingBytes === 0) return;
        const buf = concat(pending, pendingBytes);
        // The last record end within the first partBytes (parts stay near that size whatever the
        // stream's chunk size), else the first one after it (a record longer than a part).
        let end = done && buf.length <= partBytes ? buf.length : recordEnd(buf.subarray(0, partBytes), d);
        if (end === -1) end = done ? buf.length : recordEnd(buf, d);
        if (end === -1) {
          if (pendingBytes > MAX_RECORD_CHARS) throw new FileReadError(`a record is longer than ${MAX_RECORD_CHARS} bytes (an unclosed quote?)`);
          pending = [buf];
          // Read on until a record ends.
          if (!(await pull())) end = buf.length;
          else continue;
        }
        // The part is copied out (so its buffer can be moved to a worker) unless it is all of buf.
        const rest = buf.subarray(end);
        pending = rest.length > 0 ? [rest] : [];
        pendingBytes = rest.length;
        const owned = ownedBytes(end === buf.length ? buf : buf.slice(0, end));
        const payload: DelimitedPartPayload = { bytes: owned.bytes };
        yield { payload, transfer: owned.transfer, bytes: end };
      }
    } finally {
      await stream.return(undefined);
    }
  }
  const generator = parts();
  return delimitedPass(delimiter, names, generator, async () => {
    await generator.return(undefined);
    await stream.return(undefined);
  });
}

interface ChunkMeta {
  meta_data?: {
    path_in_schema: string[];
    type?: string;
    dictionary_page_offset?: bigint | number;
    data_page_offset: bigint | number;
    total_compressed_size: bigint | number;
    total_uncompressed_size?: bigint | number;
  };
}

/** Byte ranges closer than this are read as one (as hyparquet coalesces its reads). */
const RANGE_GAP = 8 * 1024;

/**
 * Rough decode-and-profile cost of a column chunk: per value (text values cost about 2.5 numbers:
 * UTF-8 decoding and string hashing) plus per byte. Measured on bench/profile-scan.mjs's 11-column
 * file, where splitting by bytes alone left one worker idle a fifth of the time.
 */
function decodeCost(m: NonNullable<ChunkMeta['meta_data']>, rows: number): number {
  const perValue = m.type === 'BYTE_ARRAY' || m.type === 'FIXED_LEN_BYTE_ARRAY' ? 2.5 : 1;
  return rows * perValue + Number(m.total_uncompressed_size ?? m.total_compressed_size) / 16;
}

/**
 * Columns (top-level names) into `lanes` sets of about equal cost (largest first,
 * each to the lightest lane), so workers that each own one lane get about equal work.
 */
export function columnLanes(sizes: Map<string, number>, lanes: number): string[][] {
  const out: string[][] = Array.from({ length: Math.max(1, lanes) }, () => []);
  const load = out.map(() => 0);
  for (const [name, size] of [...sizes].sort((a, b) => b[1] - a[1])) {
    let lightest = 0;
    for (let l = 1; l < out.length; l++) if (load[l] < load[lightest]) lightest = l;
    out[lightest].push(name);
    load[lightest] += size;
  }
  return out.filter((lane) => lane.length > 0);
}

/**
 * Parquet: one part per row group and lane. With `lanes` > 1 the (asked) columns are split into
 * lanes of about equal size, and each lane's column chunks of a row group make one part: a worker
 * keeps the accumulators of its own columns only, and reads only their bytes. The bytes are read
 * here (one range request per run of adjacent chunks) and moved to the worker.
 */
export async function parquetParts(file: FileLocation, signal?: AbortSignal, options: TablePartsOptions = {}): Promise<TablePartsPass | undefined> {
  const table = await openParquetTable(file.store, file.bucket, file.key, file.size);
  const metadata = table.footer.metadata as { metadata_length?: number; row_groups: { num_rows: bigint | number; columns: ChunkMeta[] }[] };
  if (metadata.metadata_length === undefined) return undefined;
  const topNames = table.footer.root.children.map((c) => c.element.name);
  // Asked columns are keys (`columnName`); chunks name their top-level field.
  const keyOf = new Map(topNames.map((n) => [n, columnName(n).name]));
  const asked = options.columns ? new Set(options.columns) : undefined;
  const sizes = new Map<string, number>();
  for (const rg of metadata.row_groups) {
    for (const c of rg.columns) {
      const m = c.meta_data;
      if (!m) continue;
      const top = m.path_in_schema[0];
      if (asked && !asked.has(keyOf.get(top) ?? top)) continue;
      sizes.set(top, (sizes.get(top) ?? 0) + decodeCost(m, Number(rg.num_rows)));
    }
  }
  const lanes = columnLanes(sizes, options.lanes ?? 1);
  if (lanes.length === 0 || metadata.row_groups.length * lanes.length < 2) return undefined;
  // Asked columns the file lacks ride with lane 0 (the decoder gives them as all missing).
  const missing = asked ? [...asked].filter((k) => !topNames.some((n) => (keyOf.get(n) ?? n) === k)) : [];
  const laneOf = new Map<string, number>();
  lanes.forEach((names, l) => names.forEach((n) => laneOf.set(n, l)));
  const tailStart = Math.max(0, file.size - Math.max(PARQUET_TAIL_FETCH, metadata.metadata_length + 8));
  const tail = await file.store.readRange(file.bucket, file.key, tailStart, file.size);
  let stopped = false;
  async function* parts(): AsyncGenerator<TablePart> {
    for (let g = 0; g < metadata.row_groups.length && !stopped; g++) {
      const rg = metadata.row_groups[g];
      const rows = Number(rg.num_rows);
      if (rows === 0) continue;
      const byLane: { start: number; end: number }[][] = lanes.map(() => []);
      for (const c of rg.columns) {
        const m = c.meta_data;
        const lane = m ? laneOf.get(m.path_in_schema[0]) : undefined;
        if (!m || lane === undefined) continue;
        byLane[lane].push(columnChunkRange(m));
      }
      let counted = false;
      for (let l = 0; l < lanes.length; l++) {
        if (signal?.aborted) throw abortError(signal);
        const runs: { start: number; end: number }[] = [];
        for (const r of byLane[l].sort((a, b) => a.start - b.start)) {
          const last = runs[runs.length - 1];
          if (last && r.start - last.end <= RANGE_GAP) last.end = Math.max(last.end, r.end);
          else runs.push({ ...r });
        }
        const ranges: ParquetPartRange[] = [];
        const transfer: ArrayBuffer[] = [];
        let bytes = 0;
        for (const run of runs) {
          const data = await file.store.readRange(file.bucket, file.key, run.start, run.end);
          if (data.length !== run.end - run.start) throw new FileReadError(`short read of row group ${g} (${data.length} of ${run.end - run.start} bytes)`);
          const owned = ownedBytes(data);
          ranges.push({ offset: run.start, bytes: owned.bytes });
          transfer.push(...owned.transfer);
          bytes += data.length;
        }
        const payload: ParquetPartPayload = { rowGroup: g, columns: [...lanes[l].map((n) => keyOf.get(n) ?? n), ...(l === 0 ? missing : [])], ranges };
        // One part per row group counts its rows (the others cover the same rows).
        yield { payload, transfer, bytes, lane: l, rows: counted ? 0 : rows };
        counted = true;
      }
    }
  }
  const decoderOptions: PartDecoderOptions = { format: 'parquet', key: file.key, size: file.size, tailStart, tail: tail.slice() };
  return {
    decoderModule: decoderModule(),
    decoderOptions,
    parts: parts(),
    close: async () => {
      stopped = true;
    },
  };
}
