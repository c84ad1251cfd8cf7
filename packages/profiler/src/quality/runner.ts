/** Runs a table's test cases in one pass over its rows. */
import { quoteName, type CreateTestCaseRequest, type TableDataRequest, type TestCaseResult } from '@om/core';
import type { TestCaseDefinitionConfig } from '../config';
import { ColumnAccumulator, DEFAULT_LIMITS, type AccumulatorLimits } from '../metrics/column';
import { columnKind, makeCoercer, usesCsvNulls, type Coerced, type Coercer } from '../metrics/types';
import { ExpressionError } from './expression';
import { ROW_LEVEL_DEFINITIONS, TEST_DEFINITIONS, type FinishContext, type Outcome, type ScanPlan } from './definitions';
import { ParameterError, Parameters } from './parameters';
import type { LocationShape } from './geo';
import { runTableDiff } from './table-diff';

export interface TestRunOptions {
  limits?: AccumulatorLimits;
  /** Result timestamp and "now" of tableRowInsertedCountToBeBetween (epoch ms); default now. */
  now?: number;
  signal?: AbortSignal;
  /** Reference shapes of columnValuesToBeAtExpectedLocation (see quality/geo.ts). */
  locationShapes?: LocationShape[];
}

/** Definitions that read on their own after the shared pass (they need another table). */
const SEPARATE: ReadonlySet<string> = new Set(['tableDiff']);

export interface TestCaseOutcome {
  testCase: CreateTestCaseRequest;
  result: TestCaseResult;
}

/** `<#E::table::<tableFQN>>` or `<#E::table::<tableFQN>::columns::<column>>` (column quoted like an FQN part). */
export function entityLink(tableFqn: string, column?: string): string {
  return column ? `<#E::table::${tableFqn}::columns::${quoteName(column)}>` : `<#E::table::${tableFqn}>`;
}

export function createTestCaseRequest(tableFqn: string, tc: TestCaseDefinitionConfig): CreateTestCaseRequest {
  const req: CreateTestCaseRequest = {
    name: tc.name,
    entityLink: entityLink(tableFqn, TEST_DEFINITIONS[tc.testDefinitionName]?.entityType === 'TABLE' ? undefined : tc.columnName),
    testDefinition: tc.testDefinitionName,
    parameterValues: (tc.parameterValues ?? []).map((p) => ({ name: p.name, value: String(p.value) })),
  };
  if (tc.displayName) req.displayName = tc.displayName;
  if (tc.description) req.description = tc.description;
  if (tc.computePassedFailedRowCount !== undefined) req.computePassedFailedRowCount = tc.computePassedFailedRowCount;
  return req;
}

class Plan implements ScanPlan {
  readonly columns: string[] = [];
  readonly needs: { distinct: boolean; quantiles: boolean }[] = [];
  readonly coercers: Coercer[] = [];
  readonly observers: ((values: Coerced[], row: Record<string, unknown>) => void)[] = [];
  rowsNeeded = false;

  constructor(
    private readonly table: TableDataRequest,
    private readonly csvNulls: boolean,
  ) {}

  slot(column: string, needs: { distinct?: boolean; quantiles?: boolean } = {}): number {
    let i = this.columns.indexOf(column);
    if (i < 0) {
      const col = this.table.columns.find((c) => c.name === column);
      if (!col) throw new ParameterError(`column '${column}' not found in table ${this.table.fqn}`);
      i = this.columns.push(column) - 1;
      this.needs.push({ distinct: false, quantiles: false });
      this.coercers.push(makeCoercer(columnKind(col.dataType), this.csvNulls));
    }
    if (needs.distinct) this.needs[i].distinct = true;
    if (needs.quantiles) this.needs[i].quantiles = true;
    this.rowsNeeded = true;
    return i;
  }

  coercer(slot: number): Coercer {
    return this.coercers[slot];
  }

  observe(fn: (values: Coerced[], row: Record<string, unknown>) => void): void {
    this.observers.push(fn);
    this.rowsNeeded = true;
  }

  needRows(): void {
    this.rowsNeeded = true;
  }
}

function aborted(message: string): Outcome {
  return { status: 'Aborted', message, values: [] };
}

function toResult(outcome: Outcome, tc: TestCaseDefinitionConfig, rowCount: number | undefined, timestamp: number): TestCaseResult {
  const result: TestCaseResult = {
    timestamp,
    testCaseStatus: outcome.status,
    result: outcome.message,
    testResultValue: outcome.values.map(([name, value]) => ({ name, value })),
  };
  // OpenMetadata's get_test_case_result_object: rows only with a non-zero row_count, the
  // missing one of passed/failed derived from it, percentages of it.
  const base = outcome.rowBase ?? rowCount;
  if (
    (tc.computePassedFailedRowCount || outcome.rowsAlways) &&
    outcome.status !== 'Aborted' &&
    base !== undefined &&
    base > 0 &&
    (outcome.failedRows !== undefined || outcome.passedRows !== undefined) &&
    ROW_LEVEL_DEFINITIONS.has(tc.testDefinitionName)
  ) {
    const failed = Math.max(0, outcome.failedRows ?? base - outcome.passedRows!);
    const passed = Math.max(0, outcome.passedRows ?? base - failed);
    result.failedRows = failed;
    result.passedRows = passed;
    result.failedRowsPercentage = (failed / base) * 100;
    result.passedRowsPercentage = (passed / base) * 100;
  }
  return result;
}

/**
 * Evaluates every test case of one table with a single pass over its rows (none when only
 * schema tests are configured). Problems with a case (unknown definition or column, bad
 * parameters, unsupported expression) make that case Aborted; they never fail the others.
 */
export async function runTestCases(table: TableDataRequest, testCases: TestCaseDefinitionConfig[], options: TestRunOptions = {}): Promise<TestCaseOutcome[]> {
  const now = options.now ?? Date.now();
  const limits = options.limits ?? DEFAULT_LIMITS;
  const plan = new Plan(table, usesCsvNulls(table.fileFormat));
  const finishers: ((f: FinishContext) => Outcome)[] = testCases.map((tc) => {
    if (SEPARATE.has(tc.testDefinitionName)) return () => aborted('not run');
    const def = TEST_DEFINITIONS[tc.testDefinitionName];
    if (!def) {
      return () => aborted(`Unknown test definition ${tc.testDefinitionName}: om-ingest runs ${Object.keys(TEST_DEFINITIONS).join(', ')} on files`);
    }
    let column;
    if (def.entityType === 'COLUMN') {
      if (!tc.columnName) return () => aborted(`${tc.testDefinitionName} is a column test: set columnName`);
      column = table.columns.find((c) => c.name === tc.columnName);
      if (!column) return () => aborted(`Column ${tc.columnName} not found in table ${table.fqn} (columns: ${table.columns.map((c) => c.name).join(', ')})`);
      const kind = columnKind(column.dataType);
      if (def.kinds && !def.kinds.includes(kind)) {
        return () => aborted(`${tc.testDefinitionName} does not apply to column ${column!.name} of type ${column!.dataType}`);
      }
    }
    try {
      return def.prepare({
        table,
        testCase: tc,
        params: new Parameters(tc.parameterValues),
        column,
        kind: column ? columnKind(column.dataType) : undefined,
        plan,
        now,
        ...(options.locationShapes ? { locationShapes: options.locationShapes } : {}),
      });
    } catch (err) {
      if (err instanceof ParameterError || err instanceof ExpressionError) {
        const what = err instanceof ExpressionError ? 'sqlExpression is not supported' : 'bad parameters';
        return () => aborted(`${tc.name}: ${what}: ${err.message}`);
      }
      throw err;
    }
  });

  const accumulators = plan.columns.map(
    (name, i) =>
      new ColumnAccumulator(table.columns.find((c) => c.name === name)!, {
        trackDistinct: plan.needs[i].distinct,
        trackQuantiles: plan.needs[i].quantiles,
        limits,
        csvNulls: usesCsvNulls(table.fileFormat),
      }),
  );
  let rowCount: number | undefined;
  if (plan.rowsNeeded) {
    rowCount = 0;
    const values: Coerced[] = new Array(accumulators.length);
    const observers = plan.observers;
    const names = plan.columns;
    if (table.batches) {
      // Observers read the raw values of the planned columns from one reusable row view,
      // refilled per row index (never a new object per row).
      const view: Record<string, unknown> = {};
      for (const name of names) Object.defineProperty(view, name, { value: null, enumerable: true, writable: true, configurable: true });
      const cols: (ArrayLike<unknown> | undefined)[] = new Array(names.length);
      for await (const batch of table.batches(options.signal)) {
        const n = batch.length;
        rowCount += n;
        for (let i = 0; i < names.length; i++) cols[i] = batch.columns[names[i]];
        if (observers.length === 0) {
          for (let i = 0; i < accumulators.length; i++) accumulators[i].addColumn(cols[i], n);
          continue;
        }
        for (let r = 0; r < n; r++) {
          for (let i = 0; i < accumulators.length; i++) {
            const raw = cols[i]?.[r];
            view[names[i]] = raw;
            values[i] = accumulators[i].add(raw);
          }
          for (let j = 0; j < observers.length; j++) observers[j](values, view);
        }
      }
    } else {
      for await (const row of table.rows(options.signal)) {
        rowCount++;
        for (let i = 0; i < accumulators.length; i++) values[i] = accumulators[i].add(row[names[i]]);
        for (let j = 0; j < observers.length; j++) observers[j](values, row);
      }
    }
  }
  const finish: FinishContext = {
    rowCount: rowCount ?? 0,
    stats: (slot) => accumulators[slot].stats(),
  };
  const outcomes: Outcome[] = [];
  for (let i = 0; i < testCases.length; i++) {
    const tc = testCases[i];
    if (!SEPARATE.has(tc.testDefinitionName)) {
      outcomes.push(finishers[i](finish));
      continue;
    }
    try {
      outcomes.push(await runTableDiff({ table, params: new Parameters(tc.parameterValues), computePassedFailedRowCount: tc.computePassedFailedRowCount === true, ...(options.signal ? { signal: options.signal } : {}) }));
    } catch (err) {
      if (!(err instanceof ParameterError || err instanceof ExpressionError)) throw err;
      outcomes.push(aborted(`${tc.name}: ${err instanceof ExpressionError ? 'where is not supported' : 'bad parameters'}: ${err.message}`));
    }
  }
  return testCases.map((tc, i) => ({
    testCase: createTestCaseRequest(table.fqn, tc),
    result: toResult(outcomes[i], tc, rowCount, now),
  }));
}
