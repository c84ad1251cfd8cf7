/**
 * `tableDiff` between two tables of the same source (two files), after OpenMetadata's
 * `validations/table/sqlalchemy/tableDiff.py` (which runs data-diff on two databases):
 *
 * 1. columns first: with `useColumns`, the key and used columns are compared, else every column:
 *    `removed` = in the table only, `added` = in `table2` only, `changed` = in both with types that
 *    do not compare (int / float / decimal / str / date / datetime / time; booleans count as ints, as
 *    there). Any → Failed with `removedColumns`, `addedColumns`, `changedColumns` (counts) and the
 *    message "Tables have N different columns: …";
 * 2. rows by `keyColumns` (after `where` on both sides): removed (key only in the table), added (only
 *    in table2), changed (same key, a compared value differs). Success when
 *    `(threshold or diffCount) == 0 or diffCount < threshold`; message "Found N different rows which
 *    is more than the threshold of T" (always that text, as there); values removedRows, addedRows,
 *    changedRows, diffCount. With a threshold and no computePassedFailedRowCount OpenMetadata counts
 *    only the total (the other three are `None`); else passedRows = unchanged rows, failedRows =
 *    diffCount, percentages of the table's row count.
 *
 * Memory: one entry per key of the table (the key text and a 52-bit hash of its compared values);
 * table2 is streamed against it.
 */
import type { Column, TableDataRequest } from '@om/core';
import { columnKind, INVALID, makeCoercer, NULL, usesCsvNulls, type Coerced } from '../metrics/types';
import { hashString, lastHash } from '../sketches/hash';
import type { Outcome } from './definitions';
import { compileCondition, parseCondition, type CompiledCondition } from './expression';
import { ParameterError, type Parameters } from './parameters';

export interface TableDiffContext {
  table: TableDataRequest;
  params: Parameters;
  computePassedFailedRowCount: boolean;
  signal?: AbortSignal;
}

const INT_TYPES = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'BYTEINT', 'LONG', 'LARGEINT', 'UINT', 'YEAR', 'BOOLEAN']);

/** The Python type data-diff compares a column's values as. */
function typeClass(c: Column): string {
  const t = String(c.dataType).toUpperCase();
  if (INT_TYPES.has(t)) return 'int';
  if (t === 'DECIMAL' || t === 'NUMERIC') return 'decimal';
  const kind = columnKind(t);
  if (kind === 'numeric') return 'float';
  if (t === 'DATE') return 'date';
  if (kind === 'datetime') return 'datetime';
  if (kind === 'time') return 'time';
  if (kind === 'string') return 'str';
  return t;
}

const text = (v: unknown) => String(v);

interface Side {
  columns: string[];
  coercers: ((raw: unknown) => Coerced)[];
  where?: CompiledCondition;
}

function side(table: TableDataRequest, names: string[], where: string | undefined): Side {
  const csv = usesCsvNulls(table.fileFormat);
  const columns = [...names];
  const coercers = names.map((n) => makeCoercer(columnKind(table.columns.find((c) => c.name === n)!.dataType), csv));
  let condition: CompiledCondition | undefined;
  if (where) {
    const parsed = parseCondition(where, table.columns.map((c) => c.name));
    condition = compileCondition(parsed.condition, (name) => {
      let slot = columns.indexOf(name);
      if (slot < 0) {
        slot = columns.push(name) - 1;
        coercers.push(makeCoercer(columnKind(table.columns.find((c) => c.name === name)!.dataType), csv));
      }
      return { slot, coerce: coercers[slot] };
    });
  }
  return { columns, coercers, ...(condition ? { where: condition } : {}) };
}

/** Rows as coerced values of `s.columns` (those failing `where` skipped), and the rows read. */
async function* coercedRows(table: TableDataRequest, s: Side, signal: AbortSignal | undefined, counter: { rows: number }): AsyncIterable<Coerced[]> {
  for await (const row of table.rows(signal)) {
    counter.rows++;
    const values = s.columns.map((n, i) => s.coercers[i](row[n]));
    if (s.where && s.where(values) !== true) continue;
    yield values;
  }
}

/** A 52-bit hash of the compared values (a false "unchanged" has odds of 2^-52 per key). */
function valuesHash(cells: string[]): number {
  hashString(cells.join('\u0001'));
  return (lastHash.h1 >>> 0) * 2 ** 20 + (lastHash.h2 >>> 12);
}

const cell = (v: Coerced): string => (v === NULL ? '\u0000null' : v === INVALID ? '\u0000invalid' : typeof v === 'number' ? text(Object.is(v, -0) ? 0 : v) : text(v));

export async function runTableDiff(ctx: TableDiffContext): Promise<Outcome> {
  const { table, params } = ctx;
  const keys = params.list('keyColumns', true).map(String);
  if (keys.length === 0) throw new ParameterError(`parameter 'keyColumns' must name at least one column`);
  const use = params.list('useColumns', false).map(String);
  const table2Fqn = params.string('table2');
  const threshold = params.integer('threshold', 0);
  const where = params.raw('where');
  const caseSensitive = params.boolean('caseSensitiveColumns', false);
  const norm = (n: string) => (caseSensitive ? n : n.toLowerCase());

  if (!table.related) throw new ParameterError(`this source cannot open table2 (${table2Fqn}): tableDiff needs a source that reads other tables (the Datalake TestSuite source does)`);
  let other: TableDataRequest | undefined;
  try {
    other = await table.related(table2Fqn, ctx.signal);
  } catch (err) {
    throw new ParameterError(`table2 ${table2Fqn} cannot be read: ${(err as Error).message ?? String(err)}`);
  }
  if (!other) throw new ParameterError(`table2 ${table2Fqn} was not found (it must be a table of the same service)`);

  // 1. Columns.
  const relevant = use.length > 0 ? new Set([...keys, ...use].map(norm)) : undefined;
  const pick = (cols: Column[]) => cols.filter((c) => !relevant || relevant.has(norm(c.name)));
  const left = pick(table.columns);
  const right = pick(other.columns);
  const rightByName = new Map(right.map((c) => [norm(c.name), c]));
  const leftNames = new Set(left.map((c) => norm(c.name)));
  const removed = left.filter((c) => !rightByName.has(norm(c.name))).map((c) => c.name);
  const added = right.filter((c) => !leftNames.has(norm(c.name))).map((c) => c.name);
  const changed = left.filter((c) => rightByName.has(norm(c.name)) && typeClass(c) !== typeClass(rightByName.get(norm(c.name))!));
  if (removed.length || added.length || changed.length) {
    let message = `Tables have ${removed.length + added.length + changed.length} different columns:`;
    if (removed.length) message += `\n  Removed columns: ${removed.join(',')}\n`;
    if (added.length) message += `\n  Added columns: ${added.join(',')}\n`;
    if (changed.length) {
      message += '\n  Changed columns:';
      for (const c of changed) message += `\n    ${c.name}: ${c.dataType} -> ${rightByName.get(norm(c.name))!.dataType}`;
    }
    return {
      status: 'Failed',
      message,
      values: [
        ['removedColumns', String(removed.length)],
        ['addedColumns', String(added.length)],
        ['changedColumns', String(changed.length)],
      ],
    };
  }
  const leftByName = new Map(table.columns.map((c) => [norm(c.name), c.name]));
  for (const k of keys) if (!leftByName.has(norm(k))) throw new ParameterError(`key column '${k}' is in neither table`);
  const extra = (use.length > 0 ? use : left.map((c) => c.name).filter((n) => !keys.some((k) => norm(k) === norm(n)))).filter((n) => leftByName.has(norm(n)));
  const compared = [...keys, ...extra];
  const leftSide = side(table, compared.map((n) => leftByName.get(norm(n))!), where);
  const rightSide = side(other, compared.map((n) => rightByName.get(norm(n))!.name), where);
  const k = keys.length;

  // 2. Rows: the table's keys with a hash of their compared values, then table2 streamed against them.
  const seen = new Map<string, number>();
  const leftCount = { rows: 0 };
  for await (const values of coercedRows(table, leftSide, ctx.signal, leftCount)) {
    const key = JSON.stringify(values.slice(0, k).map(cell));
    seen.set(key, valuesHash(values.slice(k, compared.length).map(cell)));
  }
  let addedRows = 0;
  let changedRows = 0;
  let unchanged = 0;
  for await (const values of coercedRows(other, rightSide, ctx.signal, { rows: 0 })) {
    const key = JSON.stringify(values.slice(0, k).map(cell));
    const h = seen.get(key);
    if (h === undefined) {
      addedRows++;
      continue;
    }
    seen.delete(key);
    if (h === valuesHash(values.slice(k, compared.length).map(cell))) unchanged++;
    else changedRows++;
  }
  const removedRows = seen.size;
  const total = removedRows + addedRows + changedRows;
  const pass = (threshold || total) === 0 || total < threshold;
  const detailed = !threshold || ctx.computePassedFailedRowCount;
  return {
    status: pass ? 'Success' : 'Failed',
    message: `Found ${total} different rows which is more than the threshold of ${threshold}`,
    values: [
      ['removedRows', detailed ? String(removedRows) : 'None'],
      ['addedRows', detailed ? String(addedRows) : 'None'],
      ['changedRows', detailed ? String(changedRows) : 'None'],
      ['diffCount', String(total)],
    ],
    failedRows: total,
    ...(detailed ? { passedRows: unchanged, rowBase: leftCount.rows, rowsAlways: true } : {}),
  };
}
