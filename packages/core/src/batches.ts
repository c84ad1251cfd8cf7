/**
 * Conversions between the two shapes of a table pass: row objects (`TableDataRequest.rows`) and
 * column batches (`TableDataRequest.batches`).
 */
import type { ColumnBatch, ColumnChunk } from './model/columns';

function setKey(row: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(row, key, { value, enumerable: true, writable: true, configurable: true });
  else row[key] = value;
}

/** Rows view over batches: one object per row, keys in column order, missing values as null. */
export async function* rowsOfBatches(batches: AsyncIterable<ColumnBatch>): AsyncGenerator<Record<string, unknown>> {
  for await (const batch of batches) {
    const keys = Object.keys(batch.columns);
    const cols = keys.map((k) => batch.columns[k]);
    for (let i = 0; i < batch.length; i++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < keys.length; c++) setKey(row, keys[c], cols[c][i] ?? null);
      yield row;
    }
  }
}

/**
 * Batches of at most `size` rows over row objects. Columns are the keys of the first row of each
 * batch plus any key seen later in it (earlier rows read it as undefined).
 */
export async function* batchesOfRows(rows: AsyncIterable<Record<string, unknown>>, size = 16_384): AsyncGenerator<ColumnBatch> {
  if (!(size >= 1)) throw new RangeError(`batch size must be at least 1, got ${size}`);
  let columns: Record<string, unknown[]> = Object.create(null);
  let length = 0;
  const flush = (): ColumnBatch => {
    const out: Record<string, unknown[]> = {};
    for (const k of Object.keys(columns)) setKey(out, k, columns[k]);
    const batch = { length, columns: out };
    columns = Object.create(null);
    length = 0;
    return batch;
  };
  for await (const row of rows) {
    for (const k of Object.keys(row)) {
      let col = columns[k];
      if (!col) col = columns[k] = new Array<unknown>(length);
      col[length] = row[k];
    }
    length++;
    for (const k of Object.keys(columns)) if (columns[k].length < length) columns[k].length = length;
    if (length >= size) yield flush();
  }
  if (length > 0) yield flush();
}

/**
 * Column chunks over batches (`TableDataRequest.columnChunks` for a source that only has batches):
 * per batch, one chunk per requested column, in the order asked; a column absent from a batch has
 * `values` undefined. Memory is whatever the batches hold.
 */
export async function* chunksOfBatches(batches: AsyncIterable<ColumnBatch>, columns: string[]): AsyncGenerator<ColumnChunk> {
  if (columns.length === 0) return;
  let rowStart = 0;
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    for (const column of columns) {
      const values = Object.prototype.hasOwnProperty.call(batch.columns, column) ? batch.columns[column] : undefined;
      yield { column, rowStart, length: batch.length, values };
    }
    rowStart += batch.length;
  }
}
