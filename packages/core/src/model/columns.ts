/** The two columnar shapes of a table pass (see `TableDataRequest`). */

/**
 * A slice of consecutive rows as one array per column (`columns[name][i]` is row i's value).
 * Values follow the row conventions: numbers, strings, booleans, epoch ms for dates and
 * timestamps, nested objects/arrays, and null or undefined for a missing value. Every column
 * array has at least `length` entries. Consumers must not keep a batch after asking for the
 * next one (producers may reuse the arrays).
 */
export interface ColumnBatch {
  length: number;
  columns: Record<string, ArrayLike<unknown>>;
}

/**
 * One column's values for consecutive rows `[rowStart, rowStart + length)` of a pass (row numbers
 * count the rows of the pass, after sampling). Same value conventions as `ColumnBatch`, except that
 * a numeric column may come as a Float64Array in which NaN is a missing value (as pandas reads it);
 * `values` has at least `length` entries, or is undefined when the source has no such column (every
 * row missing). Consumers must not keep a chunk after asking for the next one.
 */
export interface ColumnChunk {
  column: string;
  rowStart: number;
  length: number;
  values: ArrayLike<unknown> | undefined;
}
