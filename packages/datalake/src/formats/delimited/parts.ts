/**
 * CSV/TSV split for worker threads: record-aligned byte ranges of about `PART_BYTES` (found by
 * `recordEnd`), decompressed here when gzip/zip.
 */
import type { TablePart, TablePartsPass } from '@om/core';
import { FileReadError } from '../../io/errors';
import { concat, ownedBytes, PartBuffers, partDecoderModule } from '../../io/parts';
import { readAhead, readAheadFor } from '../../io/read-ahead';
import { abortError, openByteStream } from '../../io/text-stream';
import type { FileLocation } from '../handler';
import type { DelimitedDecoderOptions, DelimitedPartPayload } from './part-decoder';
import { DelimitedStreamParser, MAX_RECORD_CHARS, recordEnd } from './parser';
import { rowKeys } from './rows';

/**
 * Bytes per CSV part: big enough that a part is mostly decoding, small enough that the parts in
 * flight stay a few MB (measured in bench/profile-scan.mjs: 2 MiB ≈ 4 MiB in speed, 10 MB less RSS).
 */
export const PART_BYTES = 2 * 1024 * 1024;
/** Bytes each range read ahead repeats from the one before (records longer than this are read again on their own). */
const RANGE_OVERLAP = 32 * 1024;
/** With no LF in this many leading bytes (CR-only line breaks), the file is read in one piece. */
const HEADER_SEARCH_BYTES = 1024 * 1024;

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

function delimitedPass(delimiter: string, names: string[], parts: AsyncGenerator<TablePart>, close: () => Promise<void>, buffers?: PartBuffers): TablePartsPass {
  const decoderOptions: DelimitedDecoderOptions = { format: 'delimited', delimiter, names };
  return { decoderModule: partDecoderModule(), decoderOptions, parts, close, ...(buffers ? { recycle: (done: ArrayBuffer[]) => buffers.recycle(done) } : {}) };
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
  const first = offset;
  const overlap = Math.min(RANGE_OVERLAP, Math.floor(partBytes / 8));
  // Ranges of about partBytes read ahead; each repeats the last `overlap` bytes of the one before,
  // so a part (which starts where the last one's final record ended) usually lies in one range.
  function* ranges(): Generator<{ start: number; end: number }> {
    for (let at = first; at < size; at += partBytes) yield { start: at === first ? at : at - overlap, end: Math.min(size, at + partBytes) };
  }
  const buffers = new PartBuffers(store, bucket, key);
  const readBlock = async (r: { start: number; end: number }): Promise<{ start: number; end: number; bytes: Uint8Array; transfer: ArrayBuffer[] }> => {
    const { bytes, transfer } = await buffers.read(r.start, r.end);
    return { start: r.start, end: r.start + bytes.length, bytes, transfer };
  };
  async function* parts(): AsyncGenerator<TablePart> {
    const blocks = readAhead(ranges(), (r) => r.end - r.start, readBlock, readAheadFor(store));
    let block: { start: number; end: number; bytes: Uint8Array; transfer: ArrayBuffer[] } | undefined;
    let blocksDone = false;
    let want = partBytes;
    try {
      while (offset < size && !stopped) {
        if (signal?.aborted) throw abortError(signal);
        while (!blocksDone && (!block || block.end <= offset)) {
          // A range no part lies in (records longer than it) is not needed any more.
          if (block) buffers.recycle(block.transfer);
          const next = await blocks.next();
          blocksDone = next.done === true;
          block = next.done ? undefined : next.value;
        }
        if (block && block.start <= offset && block.end > offset) {
          const from = offset - block.start;
          const view = block.bytes.subarray(from);
          const end = block.end >= size ? view.length : recordEnd(view, d);
          if (end > 0) {
            // The range's whole buffer moves to the worker (it is not used again here).
            const { bytes, transfer } = block;
            block = undefined;
            offset += end;
            const payload: DelimitedPartPayload = { bytes: bytes.subarray(from, from + end) };
            yield { payload, transfer, bytes: end };
            continue;
          }
        }
        // The part does not lie in a range read ahead (a record longer than the overlap, or than a
        // part): read it from its start.
        const { bytes, transfer } = await buffers.read(offset, Math.min(size, offset + want));
        if (bytes.length === 0) return;
        const end = offset + bytes.length >= size ? bytes.length : recordEnd(bytes, d);
        if (end === -1) {
          // A record longer than a part: read a longer range.
          buffers.recycle(transfer);
          if (want > MAX_RECORD_CHARS) throw new FileReadError(`a record is longer than ${MAX_RECORD_CHARS} bytes (an unclosed quote?)`);
          want *= 2;
          continue;
        }
        want = partBytes;
        offset += end;
        // The whole buffer moves to the worker; the view stops at the record end (the rest is read again).
        const payload: DelimitedPartPayload = { bytes: bytes.subarray(0, end) };
        yield { payload, transfer, bytes: end };
      }
    } finally {
      await blocks.return(undefined);
      buffers.finish();
    }
  }
  return delimitedPass(
    delimiter,
    names,
    parts(),
    async () => {
      stopped = true;
    },
    buffers,
  );
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
