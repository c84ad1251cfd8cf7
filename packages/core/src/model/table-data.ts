/**
 * The table-data contract between a source that reads rows (Datalake, DynamoDB) and the steps that
 * consume them (profiler, test runner): the request for one table and its passes.
 */
import type { Column, ColumnProfile, FileFormat } from './entities';
import type { ColumnBatch, ColumnChunk } from './columns';
import type { TablePartsOptions, TablePartsPass } from './worker-protocol';

/** One table to profile or test: its identity and a way to read its rows (a fresh pass per call). */
export interface TableDataRequest {
  /** Table FQN `service.database.schema."key"`. */
  fqn: string;
  name: string;
  columns: Column[];
  fileFormat?: FileFormat;
  sizeInByte?: number;
  /** Reads the rows (already sampled as configured); each call starts a new pass. */
  rows: (signal?: AbortSignal) => AsyncIterable<Record<string, unknown>>;
  /**
   * The same pass as column batches (same rows, same sample, same order). When present,
   * consumers should prefer it: no object per row and one async step per batch, not per row.
   * `rows()` stays the simple path (`rowsOfBatches` gives rows from batches).
   */
  batches?: (signal?: AbortSignal) => AsyncIterable<ColumnBatch>;
  /**
   * The same pass (same rows, same sample, same order) one column at a time, for consumers whose
   * work is per column (profiles): producers may decode a single column chunk at a time, so memory
   * is one column of one block (e.g. a Parquet row group), not all its columns. For each block of
   * rows the chunks of the requested `columns` come in the order asked, each block after the
   * previous one, and every requested column covers every row of the pass (an unknown column comes
   * with `values` undefined). A column's chunks are in row order with no gap or overlap; chunks of
   * different columns need not line up. Row-level consumers (custom SQL tests, `rowsOfBatches`)
   * must keep using `batches`/`rows`: there is never a partial `ColumnBatch`. With no columns
   * asked, it yields nothing (count rows through `batches`).
   */
  columnChunks?: (columns: string[], signal?: AbortSignal) => AsyncIterable<ColumnChunk>;
  /**
   * The unsampled pass split into independently decodable parts (record-aligned CSV byte ranges,
   * Parquet row groups), for parallel consumers. Resolves undefined when this file cannot be split
   * (then read it through the other methods). Absent when the pass is sampled.
   */
  parts?: (signal?: AbortSignal, options?: TablePartsOptions) => Promise<TablePartsPass | undefined>;
  /** Metrics the storage format answers for free (e.g. Parquet footer statistics), by column. */
  knownColumnStats?: Record<string, Partial<ColumnProfile>>;
  /** Row count when the format stores it (Parquet footer). */
  knownRowCount?: number;
  sampling?: { profileSample?: number; profileSampleType?: 'PERCENTAGE' | 'ROWS'; seed?: number };
  /**
   * Another table of the same source by FQN, for tests that compare two tables (`tableDiff`);
   * undefined when the source has no such table.
   */
  related?: (fqn: string, signal?: AbortSignal) => Promise<TableDataRequest | undefined>;
}
