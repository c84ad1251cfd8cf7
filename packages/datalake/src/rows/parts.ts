/**
 * A file's unsampled pass split into parts that decode on their own (`TableDataRequest.parts`), so
 * a profile can spread them over worker threads: CSV/TSV as record-aligned byte ranges of about
 * `PART_BYTES` (found by `recordEnd`, decompressed here when gzip/zip), Parquet as row groups
 * (their column chunks' bytes). The reading stays here, in the calling thread, through the store;
 * the workers only decode (`part-decoder.ts`), so any store plugin works unchanged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TablePart, TablePartsPass } from '@om/core';
import { DelimitedStreamParser, MAX_RECORD_CHARS, recordEnd } from '../readers/delimited';
import { FileReadError } from '../readers/errors';
import { PARQUET_TAIL_FETCH } from '../readers/parquet';
import { openByteStream } from '../readers/text-stream';
import { rowKeys } from './csv';
import { openParquetTable } from './parquet';
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
export interface ParquetPartPayload {
  rowGroup: number;
  offset: number;
  bytes: Uint8Array;
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
 * The header record at the start of `buf` (the file's first bytes after `skip` blank lines):
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
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('the read was aborted');
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
  meta_data?: { dictionary_page_offset?: bigint | number; data_page_offset: bigint | number; total_compressed_size: bigint | number };
}

/** Parquet: one part per row group, its column chunks read here by one range request. */
export async function parquetParts(file: FileLocation, signal?: AbortSignal): Promise<TablePartsPass | undefined> {
  const table = await openParquetTable(file.store, file.bucket, file.key, file.size);
  const metadata = table.footer.metadata as { metadata_length?: number; row_groups: { num_rows: bigint | number; columns: ChunkMeta[] }[] };
  if (metadata.row_groups.length < 2 || metadata.metadata_length === undefined) return undefined;
  const tailStart = Math.max(0, file.size - Math.max(PARQUET_TAIL_FETCH, metadata.metadata_length + 8));
  const tail = await file.store.readRange(file.bucket, file.key, tailStart, file.size);
  const ranges = metadata.row_groups.map((rg) => {
    let start = Infinity;
    let end = 0;
    for (const c of rg.columns) {
      const m = c.meta_data;
      if (!m) continue;
      // Where hyparquet starts a column chunk: the dictionary page when there is one.
      const from = Number(m.dictionary_page_offset || m.data_page_offset);
      if (from < start) start = from;
      const to = from + Number(m.total_compressed_size);
      if (to > end) end = to;
    }
    return { rows: Number(rg.num_rows), start, end };
  });
  let stopped = false;
  async function* parts(): AsyncGenerator<TablePart> {
    for (let g = 0; g < ranges.length && !stopped; g++) {
      const { rows, start, end } = ranges[g];
      if (rows === 0 || !(end > start)) continue;
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('the read was aborted');
      const bytes = await file.store.readRange(file.bucket, file.key, start, end);
      if (bytes.length !== end - start) throw new FileReadError(`short read of row group ${g} (${bytes.length} of ${end - start} bytes)`);
      const owned = ownedBytes(bytes);
      const payload: ParquetPartPayload = { rowGroup: g, offset: start, bytes: owned.bytes };
      yield { payload, transfer: owned.transfer, bytes: end - start };
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
