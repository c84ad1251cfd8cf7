/**
 * The decoder a worker thread loads for a split pass (`parts.ts`): CSV/TSV parts are parsed into
 * column batches; Parquet parts (one row group's bytes) are decoded one column chunk at a time
 * through the same reader as a whole-file pass, over a store that serves only the footer and the
 * part. No storage access happens here.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ColumnChunk, PartDecoder } from '@om/core';
import { DelimitedStreamParser } from '../readers/delimited';
import { FileReadError } from '../readers/errors';
import type { ByteStream, ObjectInfo, ObjectStore } from '../object-store';
import { ColumnSink, CSV_BATCH_ROWS } from './csv';
import { openParquetTable, type ParquetTable } from './parquet';
import type { DelimitedPartPayload, ParquetPartPayload, PartDecoderOptions } from './parts';

/**
 * Bytes decoded and parsed at a time: text pieces this small are young-generation strings that a
 * scavenge frees, where one string per part would sit in V8's large-object space until a full GC.
 */
const TEXT_SLICE = 64 * 1024;

function* delimitedChunks(payload: DelimitedPartPayload, columns: string[], delimiter: string, names: string[]): Generator<ColumnChunk> {
  const { bytes } = payload;
  const utf8 = new StringDecoder('utf8');
  const parser = new DelimitedStreamParser(delimiter);
  const sink = new ColumnSink(delimiter, CSV_BATCH_ROWS, names);
  let rowStart = 0;
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

/** Serves the footer tail and the current row group's bytes; anything else is a bug here. */
class PartStore implements ObjectStore {
  readonly kind = 'part';
  current: ParquetPartPayload | undefined;

  constructor(private readonly options: Extract<PartDecoderOptions, { format: 'parquet' }>) {}

  async readRange(_bucket: string, _key: string, start: number, endExclusive: number): Promise<Uint8Array> {
    const end = Math.min(endExclusive, this.options.size);
    const { tail, tailStart } = this.options;
    if (start >= tailStart && end <= tailStart + tail.length) return tail.subarray(start - tailStart, end - tailStart);
    const part = this.current;
    for (const r of part?.ranges ?? []) {
      if (start >= r.offset && end <= r.offset + r.bytes.length) return r.bytes.subarray(start - r.offset, end - r.offset);
    }
    throw new FileReadError(`bytes ${start}–${end} of ${this.options.key} are outside the part of row group ${part?.rowGroup ?? '?'} (a column chunk outside its row group's range?)`);
  }

  // eslint-disable-next-line require-yield
  async *listBuckets(): AsyncIterable<string> {
    throw new Error('not available in a part decoder');
  }

  // eslint-disable-next-line require-yield
  async *listObjects(): AsyncIterable<ObjectInfo> {
    throw new Error('not available in a part decoder');
  }

  async openStream(): Promise<ByteStream> {
    throw new Error('not available in a part decoder');
  }

  async objectSize(): Promise<number> {
    return this.options.size;
  }
}

export function openPartDecoder(options: PartDecoderOptions): PartDecoder {
  if (options.format === 'delimited') {
    return { columnChunks: (payload, columns) => delimitedChunks(payload as DelimitedPartPayload, columns, options.delimiter, options.names) };
  }
  const store = new PartStore(options);
  let table: Promise<ParquetTable> | undefined;
  return {
    async *columnChunks(payload, columns) {
      const part = payload as ParquetPartPayload;
      store.current = part;
      table ??= openParquetTable(store, '', options.key, options.size);
      const own = new Set(part.columns);
      yield* (await table).columnChunks(
        columns.filter((c) => own.has(c)),
        undefined,
        { rowGroups: [part.rowGroup, part.rowGroup + 1] },
      );
    },
  };
}
