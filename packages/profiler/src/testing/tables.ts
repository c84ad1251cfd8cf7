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
