/**
 * OpenMetadata's test definitions that work on files (`json/data/tests/*.json`), evaluated on
 * one streaming pass: each definition registers the column statistics and row observers it
 * needs on a shared ScanPlan, then turns them into a result after the pass.
 */
import type { Column, TableDataRequest, TestCaseStatus } from '@om/core';
import type { TestCaseDefinitionConfig } from '../config';
import type { ColumnStats } from '../metrics/column';
import type { ColumnMetric } from '../metrics/registry';
import { codePointLength, INVALID, NULL, parseDateTime, parseTime, type Coerced, type ColumnKind, type Coercer } from '../metrics/types';
import { compileCondition, parseCondition } from './expression';
import { ParameterError, type Parameters } from './parameters';
import type { PyValue } from './python-literal';

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
  values: [string, string | number | boolean | undefined][];
  /** Failed rows (passed = rowCount − failed unless given). */
  failedRows?: number;
  passedRows?: number;
}

export interface CaseContext {
  table: TableDataRequest;
  testCase: TestCaseDefinitionConfig;
  params: Parameters;
  column?: Column;
  kind?: ColumnKind;
  plan: ScanPlan;
  now: number;
}

export interface TestDefinition {
  entityType: 'TABLE' | 'COLUMN';
  /** Column kinds the definition accepts (COLUMN tests); all when undefined. */
  kinds?: ColumnKind[];
  prepare(ctx: CaseContext): (f: FinishContext) => Outcome;
}

const fmt = (v: number | undefined): string => (v === undefined ? 'None' : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12))));
const bounds = (lo: number, hi: number) => `[${fmt(lo)}, ${fmt(hi)}]`;
const ok = (pass: boolean) => (pass ? 'Success' : 'Failed') as Outcome['status'];
const NUMBERISH: ColumnKind[] = ['numeric', 'datetime', 'time'];
const NOT_NESTED: ColumnKind[] = ['numeric', 'string', 'datetime', 'time', 'boolean'];

/** Reads a bound for the column's kind: numbers, or dates/times written as text. */
function boundReader(kind: ColumnKind | undefined): ((text: string) => number | undefined) | undefined {
  if (kind === 'datetime') return (t) => (/^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : parseDateTime(t));
  if (kind === 'time') return (t) => (/^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : parseTime(t));
  return undefined;
}

function noValues(ctx: CaseContext): Outcome {
  return {
    status: 'Aborted',
    message: `Column ${ctx.column!.name} has no non-null values to compute the metric on`,
    values: [],
  };
}

/** A "metric between" test on one column statistic. */
function metricBetween(metric: 'min' | 'max' | 'mean' | 'sum' | 'median' | 'stddev', minName: string, maxName: string, kinds: ColumnKind[]): TestDefinition {
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
        const v = stats[metric] as number | undefined;
        if (v === undefined) return metric === 'stddev' && (stats.valuesCount ?? 0) > 0 ? { status: 'Aborted', message: `Column ${ctx.column!.name}: stddev needs at least 2 values`, values: [] } : noValues(ctx);
        const approx = approximate.includes(metric as ColumnMetric) ? ' (approximate: computed from a quantile sketch)' : '';
        return {
          status: ok(v >= lo && v <= hi),
          message: `Found ${metric}=${fmt(v)} vs. the expected min=${fmt(lo)}, max=${fmt(hi)}.${approx}`,
          values: [[metric, v]],
        };
      };
    },
  };
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

export const TEST_DEFINITIONS: Record<string, TestDefinition> = {
  tableRowCountToBeBetween: {
    entityType: 'TABLE',
    prepare(ctx) {
      const lo = ctx.params.integer('minValue', -Infinity);
      const hi = ctx.params.integer('maxValue', Infinity);
      if (!ctx.params.has('minValue') && !ctx.params.has('maxValue')) throw new ParameterError(`at least one of 'minValue' and 'maxValue' is required`);
      ctx.plan.needRows();
      return (f) => ({
        status: ok(f.rowCount >= lo && f.rowCount <= hi),
        message: `Found ${f.rowCount} rows vs. the expected range ${bounds(lo, hi)}.`,
        values: [['rowCount', f.rowCount]],
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
        message: `Found ${f.rowCount} rows vs. the expected ${value}.`,
        values: [['rowCount', f.rowCount]],
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
        message: `Found ${count} columns vs. the expected range ${bounds(lo, hi)}.`,
        values: [['columnCount', count]],
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
        message: `Found ${count} columns vs. the expected ${expected}.`,
        values: [['columnCount', count]],
      });
    },
  },
  tableColumnNameToExist: {
    entityType: 'TABLE',
    prepare(ctx) {
      const name = ctx.params.string('columnName');
      const exists = ctx.table.columns.some((c) => c.name === name);
      return () => ({
        status: ok(exists),
        message: `${name} column expected vs ${exists ? 'found' : 'not found'} in ${ctx.table.columns.map((c) => c.name).join(', ')}.`,
        values: [['columnNameExits', exists ? 'True' : 'False']],
      });
    },
  },
  tableColumnToMatchSet: {
    entityType: 'TABLE',
    prepare(ctx) {
      const expected = ctx.params.string('columnNames').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      const ordered = ctx.params.boolean('ordered', false);
      const actual = ctx.table.columns.map((c) => c.name);
      let pass: boolean;
      if (ordered) pass = expected.length === actual.length && expected.every((n, i) => n === actual[i]);
      else {
        const a = new Set(actual);
        const e = new Set(expected);
        pass = a.size === e.size && [...e].every((n) => a.has(n));
      }
      return () => ({
        status: ok(pass),
        message: `Found columns ${JSON.stringify(actual)} vs. the expected ${ordered ? 'ordered ' : ''}columns ${JSON.stringify(expected)}.`,
        values: [['columnNames', actual.join(', ')]],
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
        const lessIsBetter = operator === '<' || operator === '<=';
        return {
          status: ok(pass),
          message: `Found ${matched} row(s). Test query is expected to return ${operator} ${fmt(threshold)} row(s).`,
          values: [['resultRowCount', matched]],
          failedRows: lessIsBetter ? matched : f.rowCount - matched,
          passedRows: lessIsBetter ? f.rowCount - matched : matched,
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
      const since = new Date(ctx.now);
      switch (rangeType) {
        case 'HOUR': since.setUTCHours(since.getUTCHours() - interval); break;
        case 'DAY': since.setUTCDate(since.getUTCDate() - interval); break;
        case 'MONTH': since.setUTCMonth(since.getUTCMonth() - interval); break;
        case 'YEAR': since.setUTCFullYear(since.getUTCFullYear() - interval); break;
        default: throw new ParameterError(`parameter 'rangeType' must be HOUR, DAY, MONTH or YEAR, got '${rangeType}'`);
      }
      const threshold = since.getTime();
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
          message: `Found ${inserted} rows inserted since ${since.toISOString()} vs. the expected range ${bounds(lo, hi)}.`,
          values: [['rowCount', inserted]],
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
          values: [['nullCount', nulls]],
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
          message: `Found valuesCount=${count} vs. uniqueCount=${unique}. Both counts should be equal.${approx}`,
          values: [['valuesCount', count], ['uniqueCount', unique]],
          failedRows: count - unique,
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
      let outside = 0;
      ctx.plan.observe((values) => {
        const v = values[slot];
        if (typeof v === 'number' && (v < lo || v > hi)) outside++;
      });
      return (f) => {
        const { stats } = f.stats(slot);
        if (stats.min === undefined) return noValues(ctx);
        const min = stats.min as number;
        const max = stats.max as number;
        return {
          status: ok(min >= lo && max <= hi),
          message: `Found min=${fmt(min)}, max=${fmt(max)} vs. the expected min=${fmt(lo)}, max=${fmt(hi)}.`,
          values: [['min', min], ['max', max]],
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
      let notInSet = 0;
      ctx.plan.observe((values) => {
        const v = values[slot];
        if (v === NULL) return;
        if (v !== INVALID && allowed.has(v)) inSet++;
        else notInSet++;
      });
      return () => ({
        status: ok(matchEnum ? notInSet === 0 : inSet > 0),
        message: matchEnum
          ? `Found countInSet=${inSet}; ${notInSet} non-null value(s) outside the allowed set (matchEnum: every value must be in the set).`
          : `Found countInSet=${inSet}.`,
        values: [['allowedValueCount', inSet]],
        failedRows: notInSet,
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
        message: `Found countInSet=${inSet}. It should be 0.`,
        values: [['countForbiddenValues', inSet]],
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
        values: [['likeCount', matching]],
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
        values: [['notLikeCount', matching]],
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
        if (minLen === Infinity) return noValues(ctx);
        return {
          status: ok(minLen >= lo && maxLen <= hi),
          message: `Found minLength=${minLen}, maxLength=${maxLen} vs. the expected minLength=${fmt(lo)}, maxLength=${fmt(hi)}.`,
          values: [['minValueLength', minLen], ['maxValueLength', maxLen]],
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
          message: `Found missingCount=${missing}. It should be ${expected}.`,
          values: [['missingCount', missing]],
          failedRows: missing,
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
};

/** Row-level definitions for which passed/failed rows are computed. */
export const ROW_LEVEL_DEFINITIONS: ReadonlySet<string> = new Set([
  'columnValuesToBeNotNull', 'columnValuesToBeUnique', 'columnValuesToBeBetween', 'columnValuesToBeInSet',
  'columnValuesToBeNotInSet', 'columnValuesToMatchRegex', 'columnValuesToNotMatchRegex',
  'columnValueLengthsToBeBetween', 'columnValuesMissingCount', 'tableCustomSQLQuery',
]);
