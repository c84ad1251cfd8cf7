/**
 * OpenMetadata's test definitions that work on files (`json/data/tests/*.json`), evaluated on
 * one streaming pass: each definition registers the column statistics and row observers it
 * needs on a shared ScanPlan, then turns them into a result after the pass.
 */
import type { Column } from '@om/core';
import type { ColumnMetric } from '../metrics/registry';
import { codePointLength, INVALID, NULL, parseDateTime, parseTime, type Coerced, type ColumnKind, type Coercer } from '../metrics/types';
import { compileCondition, parseCondition } from './expression';
import { ParameterError } from './parameters';
import type { PyValue } from './python-literal';
import { pyDate, pyDateTime, pyFloat, pyListRepr, pyNumber, pyTime } from './python-format';
import type { CaseContext, Outcome, TestDefinition } from './definition-types';
import { columnValuesToBeAtExpectedLocation, tableDataToBeFresh } from './file-definitions';

export type { CaseContext, FinishContext, Outcome, ScanPlan, TestDefinition } from './definition-types';

const ok = (pass: boolean) => (pass ? 'Success' : 'Failed') as Outcome['status'];
const NUMBERISH: ColumnKind[] = ['numeric', 'datetime', 'time'];
const NOT_NESTED: ColumnKind[] = ['numeric', 'string', 'datetime', 'time', 'boolean'];
/** Integers as Python prints an int, ±∞ (a missing bound) as `inf`. */
const pyInt = (v: number) => pyNumber(v, false);
const DAY_MS = 86_400_000;

/** Reads a bound for the column's kind: numbers, or dates/times written as text. */
function boundReader(kind: ColumnKind | undefined): ((text: string) => number | undefined) | undefined {
  if (kind === 'datetime') return (t) => (/^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : parseDateTime(t));
  if (kind === 'time') return (t) => (/^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : parseTime(t));
  return undefined;
}

const FLOAT_TYPES = new Set(['FLOAT', 'DOUBLE', 'DECIMAL', 'NUMERIC', 'NUMBER', 'MONEY']);

/**
 * A column value as `str()` of what pandas holds: float64 for float types and for integer
 * columns with a null (NaN upcasts them), else int64; Timestamps for date-times,
 * `datetime.date` for DATE (pyarrow's default), `datetime.time` for TIME.
 */
function valueText(column: Column, kind: ColumnKind | undefined, v: number, nullCount: number): string {
  if (kind === 'datetime') return String(column.dataType).toUpperCase() === 'DATE' ? pyDate(v) : pyDateTime(v);
  if (kind === 'time') return pyTime(v);
  return pyNumber(v, FLOAT_TYPES.has(String(column.dataType).toUpperCase()) || nullCount > 0);
}

/** A bound as OpenMetadata prints it: `float(param)` (missing: ±inf); our date bounds as dates. */
function boundText(kind: ColumnKind | undefined, v: number): string {
  if (!Number.isFinite(v)) return pyFloat(v);
  if (kind === 'datetime') return pyDateTime(v);
  if (kind === 'time') return pyTime(v);
  return pyFloat(v);
}

/**
 * A column without non-null values (or with too few for a sample standard deviation): pandas computes
 * NaN, which no bound holds, so OpenMetadata's validators fail the case and print `nan`
 * (`min_bound <= res <= max_bound` is False; `TestResultValue(value=str(res))`).
 */
function nanOutcome(ctx: CaseContext, names: string[]): Outcome {
  return {
    status: 'Failed',
    message: `Found ${names.map((n) => `${n}=nan`).join(', ')}: column ${ctx.column!.name} has no values to compute it on.`,
    values: names.map((n) => [n, 'nan']),
  };
}

/**
 * A "metric between" test on one column statistic: Success when min ≤ metric ≤ max (inclusive,
 * missing bounds ±∞). OpenMetadata: validations/column/base/columnValue{Max,Min,Mean,Median,
 * StdDev}ToBeBetween.py and columnValuesSumToBeBetween.py, `run_validation`.
 */
function metricBetween(metric: 'min' | 'max' | 'mean' | 'sum' | 'median' | 'stddev', minName: string, maxName: string, kinds: ColumnKind[]): TestDefinition {
  // mean/median/stddev are numpy floats whatever the column; min/max/sum keep the column's dtype.
  const alwaysFloat = metric === 'mean' || metric === 'median' || metric === 'stddev';
  return {
    entityType: 'COLUMN',
    kinds,
    prepare(ctx) {
      const read = metric === 'min' || metric === 'max' ? boundReader(ctx.kind) : undefined;
      const lo = ctx.params.bound(minName, -Infinity, read);
      const hi = ctx.params.bound(maxName, Infinity, read);
      const slot = ctx.plan.slot(ctx.column!.name, { quantiles: metric === 'median' });
      return (f) => {
        const { stats, approximate } = f.stats(slot);
        // pandas sums an all-null column to 0; every other metric is NaN there.
        const v = metric === 'sum' ? ((stats.sum as number | undefined) ?? 0) : (stats[metric] as number | undefined);
        if (v === undefined) return nanOutcome(ctx, [metric]);
        const approx = approximate.includes(metric as ColumnMetric) ? ' (approximate: computed from a quantile sketch)' : '';
        const text = alwaysFloat ? pyFloat(v) : valueText(ctx.column!, ctx.kind, v, stats.nullCount ?? 0);
        const kind = read ? ctx.kind : 'numeric';
        return {
          status: ok(v >= lo && v <= hi),
          message: `Found ${metric}=${text} vs. the expected min=${boundText(kind, lo)}, max=${boundText(kind, hi)}.${approx}`,
          values: [[metric, text]],
        };
      };
    },
  };
}

/**
 * Since when tableRowInsertedCountToBeBetween counts: now minus the interval (months and years
 * as dateutil's relativedelta: the day clamped to the month's last), truncated to the start of
 * the hour for HOUR and to the start of the day (UTC) for DAY, MONTH and YEAR.
 */
export function insertedSince(now: number, rangeType: string, interval: number): number {
  const d = new Date(now);
  switch (rangeType) {
    case 'HOUR':
      d.setTime(now - interval * 3_600_000);
      d.setUTCMinutes(0, 0, 0);
      return d.getTime();
    case 'DAY':
      d.setTime(now - interval * DAY_MS);
      break;
    case 'MONTH':
    case 'YEAR': {
      const months = rangeType === 'MONTH' ? interval : interval * 12;
      const total = d.getUTCFullYear() * 12 + d.getUTCMonth() - months;
      const year = Math.floor(total / 12);
      const month = total - year * 12;
      const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
      d.setUTCFullYear(year, month, Math.min(d.getUTCDate(), lastDay));
      break;
    }
    default:
      throw new ParameterError(`parameter 'rangeType' must be HOUR, DAY, MONTH or YEAR, got '${rangeType}'`);
  }
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

function setKeys(values: PyValue[], coerce: Coercer): Set<string | number | boolean> {
  const out = new Set<string | number | boolean>();
  for (const v of values) {
    if (v === null || Array.isArray(v)) continue;
    const c = coerce(typeof v === 'string' ? v : String(v === true ? 'True' : v === false ? 'False' : v));
    if (c === NULL || c === INVALID) {
      if (typeof v === 'string') out.add(v);
      continue;
    }
    out.add(c);
  }
  return out;
}

function compileRegex(pattern: string, param: string): RegExp {
  // Python named groups (?P<name>…) and backreferences (?P=name) in JS syntax.
  const js = pattern.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>');
  try {
    return new RegExp(js, 'u');
  } catch {
    try {
      return new RegExp(js);
    } catch (err) {
      throw new ParameterError(`parameter '${param}' is not a valid regular expression: ${(err as Error).message}`);
    }
  }
}

const textOf = (raw: unknown, coerced: Coerced): string => (typeof raw === 'string' ? raw : typeof coerced === 'string' ? coerced : String(raw));

/*
 * Each definition follows OpenMetadata's validator of the same name (ingestion
 * `src/metadata/data_quality/validations/{table,column}/base/<name>.py`, `run_validation`, with the
 * pandas mixins in `.../pandas/<name>.py`): result names, values as Python prints them, status
 * rule, and the row counts given to `get_test_case_result_object`.
 */
export const TEST_DEFINITIONS: Record<string, TestDefinition> = {
  tableRowCountToBeBetween: {
    entityType: 'TABLE',
    prepare(ctx) {
      const lo = ctx.params.integer('minValue', -Infinity);
      const hi = ctx.params.integer('maxValue', Infinity);
      // Without bounds the case passes, as OpenMetadata's (validations/table/base/tableRowCountToBeBetween.py: ±inf).
      ctx.plan.needRows();
      return (f) => ({
        status: ok(f.rowCount >= lo && f.rowCount <= hi),
        message: `Found rowCount=${f.rowCount} vs. the expected min=${pyFloat(lo)}, max=${pyFloat(hi)}.`,
        values: [['rowCount', String(f.rowCount)]],
      });
    },
  },
  tableRowCountToEqual: {
    entityType: 'TABLE',
    prepare(ctx) {
      const value = ctx.params.integer('value');
      ctx.plan.needRows();
      return (f) => ({
        status: ok(f.rowCount === value),
        message: `Found rowCount=${f.rowCount} rows vs. the expected ${pyFloat(value)}`,
        values: [['rowCount', String(f.rowCount)]],
      });
    },
  },
  tableColumnCountToBeBetween: {
    entityType: 'TABLE',
    prepare(ctx) {
      const lo = ctx.params.integer('minColValue', -Infinity);
      const hi = ctx.params.integer('maxColValue', Infinity);
      const count = ctx.table.columns.length;
      return () => ({
        status: ok(count >= lo && count <= hi),
        message: `Found columnCount=${count} column vs. the expected min=${pyFloat(lo)} and max=${pyFloat(hi)}.`,
        values: [['columnCount', String(count)]],
      });
    },
  },
  tableColumnCountToEqual: {
    entityType: 'TABLE',
    prepare(ctx) {
      const expected = ctx.params.integer('columnCount');
      const count = ctx.table.columns.length;
      return () => ({
        status: ok(count === expected),
        message: `Found ${count} columns vs. the expected ${expected}`,
        values: [['columnCount', String(count)]],
      });
    },
  },
  tableColumnNameToExist: {
    entityType: 'TABLE',
    prepare(ctx) {
      const name = ctx.params.string('columnName');
      const names = ctx.table.columns.map((c) => c.name);
      const exists = names.includes(name);
      return () => ({
        status: ok(exists),
        // format_column_list: reprlib.repr on success, the full list on failure
        message: `${name} column expected vs ${pyListRepr(names, exists)}`,
        // OpenMetadata 1.x writes 1/0 here (0.x wrote "True"); the name's spelling is OpenMetadata's.
        values: [['columnNameExits', exists ? '1' : '0']],
      });
    },
  },
  tableColumnToMatchSet: {
    entityType: 'TABLE',
    prepare(ctx) {
      // Split on commas and strip, nothing dropped: "a,b," expects a column named "".
      const expected = ctx.params.string('columnNames').split(',').map((s) => s.trim());
      const ordered = ctx.params.boolean('ordered', false);
      const actual = ctx.table.columns.map((c) => c.name);
      let pass = expected.length === actual.length;
      if (pass && ordered) pass = expected.every((n, i) => n === actual[i]);
      else if (pass) {
        // collections.Counter equality: the same names, each as many times
        const counts = new Map<string, number>();
        for (const n of actual) counts.set(n, (counts.get(n) ?? 0) + 1);
        for (const n of expected) counts.set(n, (counts.get(n) ?? 0) - 1);
        pass = [...counts.values()].every((c) => c === 0);
      }
      return () => ({
        status: ok(pass),
        message: `Found ${pyListRepr(actual, pass)} column vs. the expected column names ${pyListRepr(expected, pass)}.`,
        values: [['columnNames', pass ? '1' : '0']],
      });
    },
  },
  tableCustomSQLQuery: {
    entityType: 'TABLE',
    prepare(ctx) {
      const expression = ctx.params.string('sqlExpression');
      const strategy = (ctx.params.raw('strategy') ?? 'ROWS').trim().replace(/^\[?['"]?|['"]?\]?$/g, '').toUpperCase();
      if (strategy !== 'ROWS' && strategy !== 'COUNT') throw new ParameterError(`parameter 'strategy' must be ROWS or COUNT, got '${ctx.params.raw('strategy')}'`);
      const operator = (ctx.params.raw('operator') ?? '<=').trim();
      if (!['<', '<=', '>', '>=', '==', '=', '!='].includes(operator)) throw new ParameterError(`parameter 'operator' must be one of <, <=, >, >=, ==, !=, got '${operator}'`);
      const threshold = ctx.params.number('threshold', 0);
      const parsed = parseCondition(expression, ctx.table.columns.map((c) => c.name));
      const condition = compileCondition(parsed.condition, (name) => {
        const slot = ctx.plan.slot(name);
        return { slot, coerce: ctx.plan.coercer(slot) };
      });
      let matched = 0;
      ctx.plan.needRows();
      ctx.plan.observe((values) => {
        if (condition(values) === true) matched++;
      });
      return (f) => {
        const pass =
          operator === '<' ? matched < threshold
          : operator === '<=' ? matched <= threshold
          : operator === '>' ? matched > threshold
          : operator === '>=' ? matched >= threshold
          : operator === '!=' ? matched !== threshold
          : matched === threshold;
        return {
          status: ok(pass),
          message: `Found ${matched} row(s). Test query is expected to return ${operator} ${pyNumber(threshold, false)} row(s).`,
          values: [['resultRowCount', String(matched)]],
          ...customSqlRows(pass, operator, Math.trunc(threshold), matched, f.rowCount),
        };
      };
    },
  },
  tableRowInsertedCountToBeBetween: {
    entityType: 'TABLE',
    prepare(ctx) {
      const lo = ctx.params.integer('min', -Infinity);
      const hi = ctx.params.integer('max', Infinity);
      const columnName = ctx.params.string('columnName');
      const rangeType = ctx.params.string('rangeType').trim().toUpperCase();
      const interval = ctx.params.integer('rangeInterval');
      const column = ctx.table.columns.find((c) => c.name === columnName);
      if (!column) throw new ParameterError(`column '${columnName}' (parameter columnName) not found in table ${ctx.table.fqn}`);
      const threshold = insertedSince(ctx.now, rangeType, interval);
      const slot = ctx.plan.slot(columnName);
      let inserted = 0;
      let kindOk = true;
      ctx.plan.observe((values) => {
        const v = values[slot];
        if (typeof v === 'number' && v >= threshold) inserted++;
        else if (typeof v === 'string' || typeof v === 'boolean') kindOk = false;
      });
      return () => {
        if (!kindOk) return { status: 'Aborted', message: `Column ${columnName} must be a date or timestamp column (it is ${column.dataType})`, values: [] };
        return {
          status: ok(inserted >= lo && inserted <= hi),
          message: `Found insertedRows=${inserted} vs. the expected min=${pyInt(lo)}, max=${pyInt(hi)} (rows since ${pyDateTime(threshold)} UTC).`,
          values: [['rowCount', String(inserted)]],
        };
      };
    },
  },

  columnValuesToBeNotNull: {
    entityType: 'COLUMN',
    prepare(ctx) {
      const slot = ctx.plan.slot(ctx.column!.name);
      return (f) => {
        const nulls = f.stats(slot).stats.nullCount ?? 0;
        return {
          status: ok(nulls === 0),
          message: `Found nullCount=${nulls}. It should be 0`,
          values: [['nullCount', String(nulls)]],
          failedRows: nulls,
        };
      };
    },
  },
  columnValuesToBeUnique: {
    entityType: 'COLUMN',
    kinds: NOT_NESTED,
    prepare(ctx) {
      const slot = ctx.plan.slot(ctx.column!.name, { distinct: true });
      return (f) => {
        const { stats, approximate } = f.stats(slot);
        const count = stats.validCount ?? stats.valuesCount ?? 0;
        const unique = stats.uniqueCount ?? 0;
        const approx = approximate.includes('uniqueCount') ? ' (approximate: the column has more distinct values than exactDistinctLimit)' : '';
        return {
          status: ok(count === unique),
          message: `Found valuesCount=${count} vs. uniqueCount=${unique}. Both counts should be equal for column values to be unique.${approx}`,
          values: [['valueCount', String(count)], ['uniqueCount', String(unique)]],
          // row_count=count, passed_rows=unique_count, given whatever computePassedFailedRowCount says
          rowBase: count,
          passedRows: unique,
          failedRows: count - unique,
          rowsAlways: true,
        };
      };
    },
  },
  columnValuesToBeBetween: {
    entityType: 'COLUMN',
    kinds: NUMBERISH,
    prepare(ctx) {
      const read = boundReader(ctx.kind);
      const lo = ctx.params.bound('minValue', -Infinity, read);
      const hi = ctx.params.bound('maxValue', Infinity, read);
      const slot = ctx.plan.slot(ctx.column!.name);
      // A DATE's max is compared as that day's last instant (datetime.combine(max, time.max)).
      const isDate = String(ctx.column!.dataType).toUpperCase() === 'DATE';
      let outside = 0;
      ctx.plan.observe((values) => {
        const v = values[slot];
        if (typeof v === 'number' && (v < lo || v > hi)) outside++;
      });
      return (f) => {
        const { stats } = f.stats(slot);
        if (stats.min === undefined) return nanOutcome(ctx, ['min', 'max']);
        const min = stats.min as number;
        const max = isDate ? (stats.max as number) + DAY_MS - 0.001 : (stats.max as number);
        const nulls = stats.nullCount ?? 0;
        const text = (v: number) => (isDate ? pyDateTime(v) : valueText(ctx.column!, ctx.kind, v, nulls));
        const kind = read ? ctx.kind : 'numeric';
        return {
          status: ok(min >= lo && max <= hi),
          message: `Found min=${text(min)}, max=${text(max)} vs. the expected min=${boundText(kind, lo)}, max=${boundText(kind, hi)}.`,
          values: [['min', text(min)], ['max', text(max)]],
          failedRows: outside,
        };
      };
    },
  },
  columnValuesToBeInSet: {
    entityType: 'COLUMN',
    kinds: NOT_NESTED,
    prepare(ctx) {
      const slot = ctx.plan.slot(ctx.column!.name);
      const allowed = setKeys(ctx.params.list('allowedValues', true), ctx.plan.coercer(slot));
      const matchEnum = ctx.params.boolean('matchEnum', false);
      let inSet = 0;
      ctx.plan.observe((values) => {
        const v = values[slot];
        if (v !== NULL && v !== INVALID && allowed.has(v)) inSet++;
      });
      return (f) => ({
        // matchEnum: ROW_COUNT − COUNT_IN_SET == 0, so a null fails it too
        status: ok(matchEnum ? f.rowCount - inSet === 0 : inSet > 0),
        message: `Found countInSet=${inSet}.`,
        values: [['allowedValueCount', String(inSet)]],
        passedRows: inSet,
        failedRows: f.rowCount - inSet,
      });
    },
  },
  columnValuesToBeNotInSet: {
    entityType: 'COLUMN',
    kinds: NOT_NESTED,
    prepare(ctx) {
      const slot = ctx.plan.slot(ctx.column!.name);
      const forbidden = setKeys(ctx.params.list('forbiddenValues', true), ctx.plan.coercer(slot));
      let inSet = 0;
      ctx.plan.observe((values) => {
        const v = values[slot];
        if (v !== NULL && v !== INVALID && forbidden.has(v)) inSet++;
      });
      return () => ({
        status: ok(inSet === 0),
        message: `Found countInSet=${inSet}. It should be 0`,
        values: [['countForbiddenValues', String(inSet)]],
        failedRows: inSet,
      });
    },
  },
  columnValuesToMatchRegex: {
    entityType: 'COLUMN',
    kinds: NOT_NESTED,
    prepare(ctx) {
      const re = compileRegex(ctx.params.string('regex'), 'regex');
      const name = ctx.column!.name;
      const slot = ctx.plan.slot(name);
      let matching = 0;
      let nonNull = 0;
      ctx.plan.observe((values, row) => {
        const v = values[slot];
        if (v === NULL) return;
        nonNull++;
        if (re.test(textOf(row[name], v))) matching++;
      });
      return () => ({
        status: ok(matching === nonNull),
        message: `Found ${matching} value(s) matching regex pattern vs ${nonNull} value(s) in the column.`,
        values: [['likeCount', String(matching)]],
        // row_count = COUNT (non-null values), passed_rows = matches
        rowBase: nonNull,
        passedRows: matching,
        failedRows: nonNull - matching,
      });
    },
  },
  columnValuesToNotMatchRegex: {
    entityType: 'COLUMN',
    kinds: NOT_NESTED,
    prepare(ctx) {
      const re = compileRegex(ctx.params.string('forbiddenRegex'), 'forbiddenRegex');
      const name = ctx.column!.name;
      const slot = ctx.plan.slot(name);
      let matching = 0;
      ctx.plan.observe((values, row) => {
        const v = values[slot];
        if (v !== NULL && re.test(textOf(row[name], v))) matching++;
      });
      return () => ({
        status: ok(matching === 0),
        message: `Found ${matching} value(s) matching the forbidden regex pattern vs 0 expected.`,
        values: [['notLikeCount', String(matching)]],
        failedRows: matching,
      });
    },
  },
  columnValueLengthsToBeBetween: {
    entityType: 'COLUMN',
    kinds: NOT_NESTED,
    prepare(ctx) {
      const lo = ctx.params.number('minLength', -Infinity);
      const hi = ctx.params.number('maxLength', Infinity);
      const name = ctx.column!.name;
      const slot = ctx.plan.slot(name);
      let minLen = Infinity;
      let maxLen = -Infinity;
      let outside = 0;
      ctx.plan.observe((values, row) => {
        const v = values[slot];
        if (v === NULL) return;
        const len = codePointLength(textOf(row[name], v));
        if (len < minLen) minLen = len;
        if (len > maxLen) maxLen = len;
        if (len < lo || len > hi) outside++;
      });
      return () => {
        if (minLen === Infinity) return nanOutcome(ctx, ['minValueLength', 'maxValueLength']);
        return {
          status: ok(minLen >= lo && maxLen <= hi),
          message: `Found minLength=${minLen}, maxLength=${maxLen} vs. the expected minLength=${pyFloat(lo)}, maxLength=${pyFloat(hi)}.`,
          values: [['minValueLength', String(minLen)], ['maxValueLength', String(maxLen)]],
          failedRows: outside,
        };
      };
    },
  },
  columnValuesMissingCount: {
    entityType: 'COLUMN',
    prepare(ctx) {
      const expected = ctx.params.integer('missingCountValue');
      const name = ctx.column!.name;
      const slot = ctx.plan.slot(name);
      const match = new Set(ctx.params.list('missingValueMatch', false).filter((v) => v !== null && !Array.isArray(v)).map((v) => String(v)));
      let matched = 0;
      if (match.size > 0) {
        ctx.plan.observe((values, row) => {
          const v = values[slot];
          if (v !== NULL && match.has(textOf(row[name], v))) matched++;
        });
      }
      return (f) => {
        const missing = (f.stats(slot).stats.nullCount ?? 0) + matched;
        return {
          status: ok(missing === expected),
          message: `Found nullCount=${missing} vs. the expected nullCount=${expected}.`,
          // OpenMetadata names this value nullCount (nulls + values in missingValueMatch)
          values: [['nullCount', String(missing)]],
        };
      };
    },
  },
  columnValuesSumToBeBetween: metricBetween('sum', 'minValueForColSum', 'maxValueForColSum', ['numeric']),
  columnValueMaxToBeBetween: metricBetween('max', 'minValueForMaxInCol', 'maxValueForMaxInCol', NUMBERISH),
  columnValueMinToBeBetween: metricBetween('min', 'minValueForMinInCol', 'maxValueForMinInCol', NUMBERISH),
  columnValueMeanToBeBetween: metricBetween('mean', 'minValueForMeanInCol', 'maxValueForMeanInCol', ['numeric', 'string']),
  columnValueMedianToBeBetween: metricBetween('median', 'minValueForMedianInCol', 'maxValueForMedianInCol', ['numeric']),
  columnValueStdDevToBeBetween: metricBetween('stddev', 'minValueForStdDevInCol', 'maxValueForStdDevInCol', ['numeric']),
  tableDataToBeFresh,
  columnValuesToBeAtExpectedLocation,
};

/**
 * tableCustomSQLQuery's passed/failed rows (OpenMetadata tableCustomSQLQuery.py,
 * `_calculate_passed_failed_rows`): the matched rows fail for < and <=, pass for > and >=.
 */
function customSqlRows(pass: boolean, operator: string, threshold: number, matched: number, rows: number): { passedRows: number; failedRows: number } {
  const r = (passed: number, failed: number) => ({ passedRows: Math.max(0, passed), failedRows: Math.max(0, failed) });
  if (operator === '<' || operator === '<=') return r(rows - matched, matched);
  if (operator === '>' || operator === '>=') return r(matched, rows ? rows - matched : 0);
  if (operator === '==' || operator === '=') {
    if (pass) return r(matched, rows - matched);
    if (!rows) return r(0, Math.abs(matched - threshold));
    return matched > threshold ? r(rows - (matched - threshold), matched - threshold) : r(matched, rows - matched);
  }
  return pass ? r(matched, 0) : r(0, rows || matched);
}

/** Definitions for which passed/failed rows are computed (with computePassedFailedRowCount). */
export const ROW_LEVEL_DEFINITIONS: ReadonlySet<string> = new Set([
  'columnValuesToBeNotNull', 'columnValuesToBeUnique', 'columnValuesToBeBetween', 'columnValuesToBeInSet',
  'columnValuesToBeNotInSet', 'columnValuesToMatchRegex', 'columnValuesToNotMatchRegex',
  'columnValueLengthsToBeBetween', 'tableCustomSQLQuery', 'columnValuesToBeAtExpectedLocation', 'tableDiff',
]);
