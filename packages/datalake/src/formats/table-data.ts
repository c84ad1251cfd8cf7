/**
 * Full-table row readers for the profiler and data-quality workflows: every row of a file as a
 * plain object keyed by column name, streamed with bounded memory, optionally sampled.
 */
import { batchesOfRows, rowsOfBatches, type Column, type ColumnBatch, type ColumnChunk, type ColumnProfile, type FileFormat, type TableDataRequest, type TablePartsOptions, type TablePartsPass } from '@om/core';
import type { FormatInfo } from '../formats';
import type { ObjectStore } from '../object-store';
import { avroRows } from './avro';
import { delimitedBatches, delimitedRows } from './csv';
import { jsonLinesRows, jsonRows } from './json';
import { openParquetTable } from './parquet';
import { sampleBatches, type SamplingOptions } from './sampling';
import { openTextStream } from '../readers/text-stream';
import { delimitedParts, parquetParts } from './parts';

export { delimitedRows, delimitedBatches, CSV_BATCH_ROWS, rowBuilder, rowKeys } from './csv';
export { DelimitedStreamParser, type RecordSink } from '../readers/delimited';
export { JsonValueSplitter, jsonRows, jsonLinesRows } from './json';
export { openParquetTable, footerColumnStats, EPOCH_MS_PARSERS, type ParquetTable, type ColumnChunkOptions } from './parquet';
export { avroRows } from './avro';
export { sampleRows, sampleBatches, rowSelector, seededRandom, samplingActive, DEFAULT_SAMPLE_SEED, type SamplingOptions, type ProfileSampleType, type RowSelector } from './sampling';
export { openTextStream, openByteStream } from '../readers/text-stream';
export { delimitedParts, parquetParts, PART_BYTES, type PartDecoderOptions } from './parts';
export { openPartDecoder } from './part-decoder';

export interface FileLocation {
  store: ObjectStore;
  bucket: string;
  key: string;
  size: number;
  format: FormatInfo;
}

/** Every row of one file (unsampled), streamed. Each call is a new pass. */
export function readRows(file: FileLocation, signal?: AbortSignal): AsyncGenerator<Record<string, unknown>> {
  const { store, bucket, key, size, format } = file;
  switch (format.reader) {
    case 'csv':
    case 'tsv':
      return delimitedRows(openTextStream(store, bucket, key, size, format.compression, signal), format.reader === 'tsv' ? '\t' : ',');
    case 'json':
      return jsonRows(openTextStream(store, bucket, key, size, format.compression, signal));
    case 'jsonl':
      return jsonLinesRows(openTextStream(store, bucket, key, size, format.compression, signal));
    case 'avro':
      return avroRows(store, bucket, key, size, signal);
    case 'parquet':
      return (async function* () {
        const table = await openParquetTable(store, bucket, key, size);
        yield* table.rows(signal);
      })();
  }
}

/** Rows per batch for the formats read row by row (JSON, JSONL, Avro). */
export const ROW_FORMAT_BATCH_ROWS = 8_192;

/**
 * Every row of one file (unsampled) as column batches. CSV/TSV cells go straight into column
 * arrays and Parquet gives one batch per row group from hyparquet's column arrays; JSON, JSONL
 * and Avro decode row objects, transposed into batches. Each call is a new pass.
 */
export function readBatches(file: FileLocation, signal?: AbortSignal): AsyncGenerator<ColumnBatch> {
  const { store, bucket, key, size, format } = file;
  switch (format.reader) {
    case 'csv':
    case 'tsv':
      return delimitedBatches(openTextStream(store, bucket, key, size, format.compression, signal), format.reader === 'tsv' ? '\t' : ',');
    case 'parquet':
      return (async function* () {
        const table = await openParquetTable(store, bucket, key, size);
        yield* table.batches(signal);
      })();
    default:
      return batchesOfRows(readRows(file, signal), ROW_FORMAT_BATCH_ROWS);
  }
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
  let knownRowCount: number | undefined;
  let knownColumnStats: Record<string, Partial<ColumnProfile>> | undefined;
  if (file.format.reader === 'parquet' && options.useFooterStatistics !== false) {
    const table = await openParquetTable(file.store, file.bucket, file.key, file.size);
    knownRowCount = table.numRows;
    if (Object.keys(table.columnStats).length > 0) knownColumnStats = table.columnStats;
  }
  const sampling = options.sampling && options.sampling.profileSample !== undefined ? { ...options.sampling } : undefined;
  const timeoutMs = (options.timeoutSeconds ?? 0) * 1000;
  // One implementation of reading and sampling (over batches); rows() is a view of it, so both
  // paths see the same rows, the same sample, in the same order.
  const batches = (signal?: AbortSignal): AsyncIterable<ColumnBatch> => {
    const out = sampleBatches(readBatches(file, signal), sampling ? { ...sampling, knownRowCount } : undefined);
    return timeoutMs > 0 ? withDeadline(out, timeoutMs, options.fqn, (b) => b.length) : out;
  };
  // Parquet: one column chunk of one row group decoded at a time, sampled like `batches` (the
  // same rows in every column) — what per-column consumers (profiles) read.
  const columnChunks =
    file.format.reader === 'parquet'
      ? (columns: string[], signal?: AbortSignal): AsyncIterable<ColumnChunk> => {
          const out = (async function* () {
            const table = await openParquetTable(file.store, file.bucket, file.key, file.size);
            yield* table.columnChunks(columns, signal, sampling ? { sampling: { ...sampling, knownRowCount: knownRowCount ?? table.numRows } } : {});
          })();
          return timeoutMs > 0 ? withDeadline(out, timeoutMs, options.fqn, (c) => c.length) : out;
        }
      : undefined;
  // The unsampled pass split for parallel readers (sampling picks rows by position in one pass).
  const reader = file.format.reader;
  const parts =
    !sampling && (reader === 'csv' || reader === 'tsv' || reader === 'parquet')
      ? async (signal?: AbortSignal, partsOptions: TablePartsOptions = {}): Promise<TablePartsPass | undefined> => {
          const pass = reader === 'parquet' ? await parquetParts(file, signal, partsOptions) : await delimitedParts(file, reader === 'tsv' ? '\t' : ',', signal, options.partBytes);
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
