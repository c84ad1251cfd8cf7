/**
 * Full-table row readers for the profiler and data-quality workflows: every row of a file as a
 * plain object keyed by column name, streamed with bounded memory, optionally sampled.
 */
import type { Column, ColumnProfile, FileFormat, TableDataRequest } from '@om/core';
import type { FormatInfo } from '../formats';
import type { ObjectStore } from '../object-store';
import { avroRows } from './avro';
import { delimitedRows } from './csv';
import { jsonLinesRows, jsonRows } from './json';
import { openParquetTable } from './parquet';
import { sampleRows, type SamplingOptions } from './sampling';
import { openTextStream } from './text-stream';

export { DelimitedStreamParser, delimitedRows, rowBuilder, rowKeys } from './csv';
export { JsonValueSplitter, jsonRows, jsonLinesRows } from './json';
export { openParquetTable, footerColumnStats, EPOCH_MS_PARSERS, type ParquetTable } from './parquet';
export { avroRows } from './avro';
export { sampleRows, seededRandom, samplingActive, DEFAULT_SAMPLE_SEED, type SamplingOptions, type ProfileSampleType } from './sampling';
export { openTextStream, openByteStream } from './text-stream';

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
  const request: TableDataRequest = {
    fqn: options.fqn,
    name: options.name,
    columns: options.columns,
    ...(options.fileFormat ? { fileFormat: options.fileFormat } : {}),
    sizeInByte: file.size,
    rows: (signal?: AbortSignal) => {
      const rows = sampleRows(readRows(file, signal), sampling ? { ...sampling, knownRowCount } : undefined);
      return timeoutMs > 0 ? withDeadline(rows, timeoutMs, options.fqn) : rows;
    },
    ...(knownRowCount !== undefined ? { knownRowCount } : {}),
    ...(knownColumnStats ? { knownColumnStats } : {}),
    ...(sampling ? { sampling } : {}),
  };
  return request;
}

async function* withDeadline<T>(rows: AsyncIterable<T>, ms: number, fqn: string): AsyncIterable<T> {
  const deadline = Date.now() + ms;
  let n = 0;
  for await (const row of rows) {
    if ((++n & 1023) === 0 && Date.now() > deadline) {
      throw new Error(`reading ${fqn} took longer than timeoutSeconds (${ms / 1000} s)`);
    }
    yield row;
  }
}
