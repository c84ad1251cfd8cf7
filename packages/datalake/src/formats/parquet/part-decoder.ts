/**
 * The worker-side decoder of Parquet parts: one row group's bytes decoded one column chunk at a
 * time through the same reader as a whole-file pass, over a store that serves only the footer and
 * the part. No storage access happens here.
 */
import type { ColumnChunk, EncodedChunk, PartDecoder } from '@om/core';
import { FileReadError } from '../../io/errors';
import type { ByteStream, ObjectInfo, ObjectStore } from '../../object-store';
import { flatScratch } from './flat';
import { openParquetTable, type ParquetTable } from './table';

/** Options a worker's decoder gets (structured-cloneable). */
export interface ParquetDecoderOptions {
  format: 'parquet';
  key: string;
  size: number;
  tailStart: number;
  tail: Uint8Array;
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

/** Serves the footer tail and the current row group's bytes; anything else is a bug here. */
class PartStore implements ObjectStore {
  readonly kind = 'part';
  current: ParquetPartPayload | undefined;

  constructor(private readonly options: ParquetDecoderOptions) {}

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

export function openParquetDecoder(options: ParquetDecoderOptions): PartDecoder {
  const store = new PartStore(options);
  let table: Promise<ParquetTable> | undefined;
  // One part at a time: its decode buffers serve every part.
  const scratch = flatScratch();
  async function* chunks(payload: unknown, columns: string[], encoded: boolean): AsyncGenerator<EncodedChunk> {
    const part = payload as ParquetPartPayload;
    store.current = part;
    table ??= openParquetTable(store, '', options.key, options.size);
    const own = columns.filter((c) => part.columns.includes(c));
    const range = { rowGroups: [part.rowGroup, part.rowGroup + 1] as [number, number], scratch };
    const t = await table;
    yield* encoded ? t.encodedChunks(own, undefined, range) : t.columnChunks(own, undefined, range);
  }
  return {
    columnChunks: (payload, columns) => chunks(payload, columns, false) as AsyncGenerator<ColumnChunk>,
    encodedChunks: (payload, columns) => chunks(payload, columns, true),
  };
}
