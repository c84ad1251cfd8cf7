/** Test helpers: in-memory tables (not part of the published build). */
import type { Column, DataType, TableDataRequest } from '@om/core';

export function columns(spec: Record<string, DataType>): Column[] {
  return Object.entries(spec).map(([name, dataType]) => ({ name, dataType }));
}

export function memoryTable(
  cols: Column[] | Record<string, DataType>,
  rows: Record<string, unknown>[] | (() => Iterable<Record<string, unknown>>),
  extra: Partial<TableDataRequest> = {},
): TableDataRequest & { passes: number } {
  const table = {
    fqn: 'svc.default.bucket."data/t.csv"',
    name: 'data/t.csv',
    columns: Array.isArray(cols) ? cols : columns(cols),
    passes: 0,
    rows: async function* () {
      table.passes++;
      const it = typeof rows === 'function' ? rows() : rows;
      for (const r of it) yield r;
    },
    ...extra,
  };
  return table;
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/**
 * How far an estimated q-quantile is from rank q in `sorted` (all values, ascending), as a
 * fraction of n: 0 when the estimate's rank range (ties included) covers q.
 */
export function rankError(sorted: Float64Array, estimate: number, q: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < estimate) lo = mid + 1;
    else hi = mid;
  }
  let eq = lo;
  while (eq < sorted.length && sorted[eq] === estimate) eq++;
  const rankLow = lo / sorted.length;
  const rankHigh = eq / sorted.length;
  if (q >= rankLow && q <= rankHigh) return 0;
  return Math.min(Math.abs(q - rankLow), Math.abs(q - rankHigh));
}
