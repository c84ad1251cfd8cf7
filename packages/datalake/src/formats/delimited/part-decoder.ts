/** The worker-side decoder of CSV/TSV parts: each part's bytes parsed into column batches. */
import { StringDecoder } from 'node:string_decoder';
import type { ColumnChunk, PartDecoder } from '@om/core';
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

export function openDelimitedDecoder(options: DelimitedDecoderOptions): PartDecoder {
  return { columnChunks: (payload, columns) => delimitedChunks(payload as DelimitedPartPayload, columns, options.delimiter, options.names) };
}
