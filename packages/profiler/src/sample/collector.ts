/**
 * Collects a table's sample rows from the pass the profiler already makes (rows, column batches or
 * column chunks), as OpenMetadata's datalake sampler does: the first rows of the data, only rows
 * without a missing value (`DatalakeSampler._fetch_rows`: `data_frame.dropna()`), at most `count`,
 * cells rendered and cut (`renderSampleValue`). Memory is bounded by `count` rows (column chunks:
 * a window of `WINDOW_FACTOR × count` rows per column, since a row's completeness is known only
 * once every column of it has been seen).
 */
import type { Column, ColumnBatch, ColumnChunk } from '@om/core';
import { CSV_NULL_STRINGS } from '../metrics/types';
import { DEFAULT_MAX_CELL_LENGTH, renderSampleValue } from './render';

/** `table.json#/definitions/tableData`: column names and rows in the same order. */
export interface TableData {
  columns: string[];
  rows: unknown[][];
}

export interface SampleOptions {
  /** Rows wanted (OpenMetadata's `sampleDataCount`, default 50). */
  count: number;
  maxCellLength?: number;
  /** CSV/TSV: pandas' NA strings are missing values too. */
  csvNulls?: boolean;
}

const WINDOW_FACTOR = 4;
const MISSING = Symbol('missing');

export class SampleCollector {
  private readonly rows: unknown[][] = [];
  private readonly maxCellLength: number;
  private readonly csvNulls: boolean;
  /** Column-chunk path: rendered cells of the first rows, per column (MISSING for a null). */
  private window: Map<string, unknown[]> | undefined;
  private readonly windowRows: number;

  constructor(
    readonly columns: Column[],
    private readonly options: SampleOptions,
  ) {
    this.maxCellLength = options.maxCellLength ?? DEFAULT_MAX_CELL_LENGTH;
    this.csvNulls = options.csvNulls ?? false;
    this.windowRows = Math.max(options.count * WINDOW_FACTOR, options.count);
  }

  /** Enough rows: callers may stop feeding (the profile pass goes on regardless). */
  get full(): boolean {
    return this.rows.length >= this.options.count;
  }

  get columnNames(): string[] {
    return this.columns.map((c) => c.name);
  }

  private missing(v: unknown): boolean {
    if (v === null || v === undefined) return true;
    if (typeof v === 'number') return Number.isNaN(v);
    if (typeof v === 'string' && this.csvNulls) return CSV_NULL_STRINGS.has(v);
    return false;
  }

  private cell(v: unknown, column: Column): unknown {
    return this.missing(v) ? MISSING : renderSampleValue(v, column, this.maxCellLength);
  }

  addRow(row: Record<string, unknown>): void {
    if (this.full) return;
    const out: unknown[] = [];
    for (const c of this.columns) {
      const v = row[c.name];
      if (this.missing(v)) return;
      out.push(renderSampleValue(v, c, this.maxCellLength));
    }
    this.rows.push(out);
  }

  addBatch(batch: ColumnBatch): void {
    const arrays = this.columns.map((c) => batch.columns[c.name]);
    for (let i = 0; i < batch.length && !this.full; i++) {
      const out: unknown[] = [];
      let complete = true;
      for (let j = 0; j < this.columns.length; j++) {
        const v = arrays[j]?.[i];
        if (this.missing(v)) {
          complete = false;
          break;
        }
        out.push(renderSampleValue(v, this.columns[j], this.maxCellLength));
      }
      if (complete) this.rows.push(out);
    }
  }

  /** Forgets what was collected (the pass is read again from the start). */
  reset(): void {
    this.rows.length = 0;
    this.window = undefined;
  }

  /** Rows of each column kept from column chunks (a row's completeness needs all its columns). */
  get windowSize(): number {
    return this.windowRows;
  }

  /** Whether chunks of this row range still matter (callers may skip decoding otherwise). */
  wantsRows(rowStart: number): boolean {
    return rowStart < this.windowRows;
  }

  addChunk(chunk: ColumnChunk): void {
    if (chunk.rowStart >= this.windowRows) return;
    const column = this.columns.find((c) => c.name === chunk.column);
    if (!column) return;
    this.window ??= new Map();
    let cells = this.window.get(column.name);
    if (!cells) this.window.set(column.name, (cells = []));
    const end = Math.min(chunk.length, this.windowRows - chunk.rowStart);
    for (let i = 0; i < end; i++) cells[chunk.rowStart + i] = chunk.values ? this.cell(chunk.values[i], column) : MISSING;
  }

  /** The sample: rows in data order, at most `count`. */
  result(): TableData {
    const rows = [...this.rows];
    if (this.window && rows.length < this.options.count) {
      const cols = this.columns.map((c) => this.window!.get(c.name) ?? []);
      const n = Math.min(...cols.map((c) => c.length));
      for (let i = 0; i < n && rows.length < this.options.count; i++) {
        const row = cols.map((c) => c[i]);
        if (row.every((v) => v !== MISSING && v !== undefined)) rows.push(row);
      }
    }
    return { columns: this.columnNames, rows: rows.slice(0, this.options.count) };
  }
}

/**
 * The columns a sample shows: `includeColumns` when given, else every column but `excludeColumns`
 * (OpenMetadata's `SamplerInterface.columns`).
 */
export function sampleColumns(columns: Column[], config: { includeColumns?: { columnName: string }[]; excludeColumns?: string[] } | undefined): Column[] {
  const include = new Set((config?.includeColumns ?? []).map((c) => c.columnName));
  if (include.size > 0) return columns.filter((c) => include.has(c.name));
  const exclude = new Set(config?.excludeColumns ?? []);
  return columns.filter((c) => !exclude.has(c.name));
}
