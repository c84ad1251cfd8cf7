/**
 * The shapes every test definition shares (the scan plan it registers on, what it returns), apart from
 * the definitions themselves so that definition files import no other definition file.
 */
import type { Column, TableDataRequest, TestCaseStatus } from '@om/core';
import type { TestCaseDefinitionConfig } from '../config';
import type { ColumnStats } from '../metrics/column';
import type { ColumnMetric } from '../metrics/registry';
import type { Coerced, ColumnKind, Coercer } from '../metrics/types';
import type { LocationShape } from './geo';
import type { Parameters } from './parameters';

export interface ScanPlan {
  /** Registers a column to read (and what its accumulator must track); returns its slot. */
  slot(column: string, needs?: { distinct?: boolean; quantiles?: boolean }): number;
  coercer(slot: number): Coercer;
  /** Called for every row with the coerced values by slot and the raw row. */
  observe(fn: (values: Coerced[], row: Record<string, unknown>) => void): void;
  /** The definition needs the row count (a pass over the rows). */
  needRows(): void;
}

export interface FinishContext {
  rowCount: number;
  stats(slot: number): { stats: ColumnStats; approximate: ColumnMetric[] };
}

export interface Outcome {
  status: Exclude<TestCaseStatus, 'Queued'>;
  message: string;
  /** testResultValue entries, already formatted as OpenMetadata's validators write them. */
  values: [string, string][];
  /** Failed rows (passed = rowBase − failed unless given). */
  failedRows?: number;
  passedRows?: number;
  /** The row count rows and percentages refer to, when not the table's (OpenMetadata's `row_count`). */
  rowBase?: number;
  /** Rows are reported even without computePassedFailedRowCount (as OpenMetadata does for this test). */
  rowsAlways?: boolean;
}

export interface CaseContext {
  table: TableDataRequest;
  testCase: TestCaseDefinitionConfig;
  params: Parameters;
  column?: Column;
  kind?: ColumnKind;
  plan: ScanPlan;
  now: number;
  /** Reference shapes of columnValuesToBeAtExpectedLocation (processor `locationReferenceFile`). */
  locationShapes?: LocationShape[];
}

export interface TestDefinition {
  entityType: 'TABLE' | 'COLUMN';
  /** Column kinds the definition accepts (COLUMN tests); all when undefined. */
  kinds?: ColumnKind[];
  prepare(ctx: CaseContext): (f: FinishContext) => Outcome;
}
