/**
 * What one file format knows, behind one interface (as Airbyte's file-type parsers): the columns
 * of a file, its rows, and optionally what the format can do faster (statistics from a footer,
 * one column chunk at a time, a pass split for worker threads). The registry picks the handler
 * by the file's suffix; nothing outside a format's folder switches on the format.
 */
import type { Column, ColumnBatch, ColumnChunk, ColumnProfile, FileFormat, TablePartsOptions, TablePartsPass } from '@om/core';
import type { ReadOptions } from '../config';
import type { ColumnLimits, CutReport } from '../inference/tree';
import type { Compression } from '../io/text-stream';
import type { ObjectStore } from '../object-store';
import type { SamplingOptions } from './sampling';

export type { Compression } from '../io/text-stream';

/** The registry key of a format's handler (`csv`, `parquet`...). */
export type ReaderKind = string;

export interface FormatInfo {
  /** The `fileFormat` value of the table. */
  fileFormat: FileFormat;
  /** The handler that reads it. */
  reader: ReaderKind;
  compression: Compression;
}

/** One suffix a handler reads (matched after a `.`, lower-cased), with what it means. */
export interface FormatSuffix {
  suffix: string;
  fileFormat: FileFormat;
  compression: Compression;
}

export interface FileLocation {
  store: ObjectStore;
  bucket: string;
  key: string;
  size: number;
  format: FormatInfo;
}

export interface SchemaRead {
  columns: Column[];
  /** Things worth a warning (a header-only file...); cut columns go to `cuts`. */
  warnings: string[];
}

export interface FormatHandler {
  readonly suffixes: readonly FormatSuffix[];
  /**
   * The columns of one non-empty file, read as little as possible. Columns cut by `limits` are
   * counted in `cuts`. Throws EmptyFileError for no data, FileReadError for a corrupt file.
   */
  schema(file: FileLocation, options: ReadOptions, limits: ColumnLimits, cuts: CutReport): Promise<SchemaRead>;
  /** Every row (unsampled), streamed; each call is a new pass. */
  rows(file: FileLocation, signal?: AbortSignal): AsyncGenerator<Record<string, unknown>>;
  /** Every row as column batches; default: `rows` transposed. */
  batches?(file: FileLocation, signal?: AbortSignal): AsyncGenerator<ColumnBatch>;
  /** Row count and column statistics the file states without its rows being read (a Parquet footer). */
  statistics?(file: FileLocation): Promise<{ rowCount: number; columnStats: Record<string, Partial<ColumnProfile>> }>;
  /** The columns one chunk at a time, sampled as `batches` would be (`TableDataRequest.columnChunks`). */
  columnChunks?(file: FileLocation, columns: string[], signal?: AbortSignal, sampling?: Omit<SamplingOptions, 'knownRowCount'>): AsyncIterable<ColumnChunk>;
  /** The unsampled pass split into parts for worker threads (`TableDataRequest.parts`). */
  parts?(file: FileLocation, signal: AbortSignal | undefined, options: TablePartsOptions, partBytes?: number): Promise<TablePartsPass | undefined>;
}
