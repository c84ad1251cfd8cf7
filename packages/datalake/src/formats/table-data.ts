/**
 * Full-table reading for the profiler and data-quality workflows: a file's `TableDataRequest`
 * (rows, column batches, column chunks, split passes, sampling, deadlines) over its format's handler.
 */
import { batchesOfRows, rowsOfBatches, type Column, type ColumnBatch, type ColumnChunk, type ColumnProfile, type FileFormat, type TableDataRequest, type TablePartsOptions, type TablePartsPass } from '@om/core';
import { handlerOf, type FileLocation } from './registry';
import { sampleBatches, type SamplingOptions } from './sampling';

export type { FileLocation } from './registry';
export { delimitedRows, delimitedBatches, CSV_BATCH_ROWS, rowBuilder, rowKeys } from './delimited/rows';
export { DelimitedStreamParser, type RecordSink } from './delimited/parser';
export { JsonValueSplitter, jsonRows, jsonLinesRows } from './json/rows';
export { openParquetTable, footerColumnStats, EPOCH_MS_PARSERS, type ParquetTable, type ColumnChunkOptions } from './parquet/table';
export { avroRows } from './avro/rows';
export { sampleRows, sampleBatches, rowSelector, seededRandom, samplingActive, DEFAULT_SAMPLE_SEED, type SamplingOptions, type ProfileSampleType, type RowSelector } from './sampling';
export { openTextStream, openByteStream } from '../io/text-stream';
export { delimitedParts, PART_BYTES } from './delimited/parts';
export { parquetParts } from './parquet/parts';
export { openPartDecoder, type PartDecoderOptions } from './part-decoder';

/** Every row of one file (unsampled), streamed. Each call is a new pass. */
export function readRows(file: FileLocation, signal?: AbortSignal): AsyncGenerator<Record<string, unknown>> {
  return handlerOf(file.format).rows(file, signal);
}

/** Rows per batch for the formats read row by row (JSON, JSONL, Avro). */
export const ROW_FORMAT_BATCH_ROWS = 8_192;

/**
 * Every row of one file (unsampled) as column batches: the format's own batches (CSV/TSV cells
 * straight into column arrays, one Parquet row group per batch), or its row objects transposed
 * into batches. Each call is a new pass.
 */
export function readBatches(file: FileLocation, signal?: AbortSignal): AsyncGenerator<ColumnBatch> {
  const handler = handlerOf(file.format);
  return handler.batches ? handler.batches(file, signal) : batchesOfRows(handler.rows(file, signal), ROW_FORMAT_BATCH_ROWS);
}

export interface TableRequestOptions {
  fqn: string;
  name: string;
  columns: Column[];
  fileFormat?: FileFormat;
  sampling?: Omit<SamplingOptions, 'knownRowCount'>;
  /** Use Parquet footer statistics (row count, min/max/null count). Default true. */
  useFooterStatistics?: boolean;
  /** A pass that runs longer than this fails (0/undefined: no limit). */
  timeoutSeconds?: number;
  /** Bytes per part of a split CSV/TSV pass (`parts`; default PART_BYTES). */
  partBytes?: number;
}

/**
 * A `TableDataRequest` for one file: identity, sampling, and for Parquet the footer's row count
 * and column statistics (one footer read here; each `rows()` pass reads the footer again).
 */
export async function tableDataRequest(file: FileLocation, options: TableRequestOptions): Promise<TableDataRequest> {
  const handler = handlerOf(file.format);
  let knownRowCount: number | undefined;
  let knownColumnStats: Record<string, Partial<ColumnProfile>> | undefined;
  if (handler.statistics && options.useFooterStatistics !== false) {
    const stats = await handler.statistics(file);
    knownRowCount = stats.rowCount;
    if (Object.keys(stats.columnStats).length > 0) knownColumnStats = stats.columnStats;
  }
  const sampling = options.sampling && options.sampling.profileSample !== undefined ? { ...options.sampling } : undefined;
  const timeoutMs = (options.timeoutSeconds ?? 0) * 1000;
  // One implementation of reading and sampling (over batches); rows() is a view of it, so both
  // paths see the same rows, the same sample, in the same order.
  const batches = (signal?: AbortSignal): AsyncIterable<ColumnBatch> => {
    const out = sampleBatches(readBatches(file, signal), sampling ? { ...sampling, knownRowCount } : undefined);
    return timeoutMs > 0 ? withDeadline(out, timeoutMs, options.fqn, (b) => b.length) : out;
  };
  // A format that decodes one column chunk at a time (Parquet), sampled like `batches` (the same
  // rows in every column): what per-column consumers (profiles) read.
  const chunkReader = handler.columnChunks;
  const columnChunks = chunkReader
    ? (columns: string[], signal?: AbortSignal): AsyncIterable<ColumnChunk> => {
        const out = chunkReader(file, columns, signal, sampling);
        return timeoutMs > 0 ? withDeadline(out, timeoutMs, options.fqn, (c) => c.length) : out;
      }
    : undefined;
  // The unsampled pass split for parallel readers (sampling picks rows by position in one pass).
  const partReader = handler.parts;
  const parts =
    !sampling && partReader
      ? async (signal?: AbortSignal, partsOptions: TablePartsOptions = {}): Promise<TablePartsPass | undefined> => {
          const pass = await partReader(file, signal, partsOptions, options.partBytes);
          return pass && timeoutMs > 0 ? { ...pass, parts: withDeadline(pass.parts, timeoutMs, options.fqn, () => 1024) } : pass;
        }
      : undefined;
  const request: TableDataRequest = {
    fqn: options.fqn,
    name: options.name,
    columns: options.columns,
    ...(options.fileFormat ? { fileFormat: options.fileFormat } : {}),
    sizeInByte: file.size,
    batches,
    rows: (signal?: AbortSignal) => rowsOfBatches(batches(signal)),
    ...(columnChunks ? { columnChunks } : {}),
    ...(parts ? { parts } : {}),
    ...(knownRowCount !== undefined ? { knownRowCount } : {}),
    ...(knownColumnStats ? { knownColumnStats } : {}),
    ...(sampling ? { sampling } : {}),
  };
  return request;
}

async function* withDeadline<T>(items: AsyncIterable<T>, ms: number, fqn: string, rowsIn: (item: T) => number = () => 1): AsyncIterable<T> {
  const deadline = Date.now() + ms;
  let n = 0;
  let checked = 0;
  for await (const item of items) {
    n += rowsIn(item);
    if (n - checked >= 1024) {
      checked = n;
      if (Date.now() > deadline) throw new Error(`reading ${fqn} took longer than timeoutSeconds (${ms / 1000} s)`);
    }
    yield item;
  }
}
