/** Parquet: the schema and statistics from the footer, row groups as batches, column chunks, parts per row group. */
import { capColumns } from '../../inference/tree';
import type { FormatHandler } from '../handler';
import { parquetParts } from './parts';
import { readParquetColumns } from './schema';
import { openParquetTable } from './table';

const table = (file: Parameters<FormatHandler['rows']>[0]) => openParquetTable(file.store, file.bucket, file.key, file.size);

export const parquetFormat: FormatHandler = {
  suffixes: [
    { suffix: 'parquet.snappy', fileFormat: 'parquet.snappy', compression: 'none' },
    { suffix: 'parquet', fileFormat: 'parquet', compression: 'none' },
    { suffix: 'parq', fileFormat: 'parq', compression: 'none' },
    { suffix: 'pqt', fileFormat: 'pqt', compression: 'none' },
    { suffix: 'pq', fileFormat: 'pq', compression: 'none' },
  ],
  schema: async (file, _options, limits, cuts) => ({ columns: capColumns(await readParquetColumns(file.store, file.bucket, file.key, file.size), limits, cuts), warnings: [] }),
  async *rows(file, signal) {
    yield* (await table(file)).rows(signal);
  },
  async *batches(file, signal) {
    yield* (await table(file)).batches(signal);
  },
  async statistics(file) {
    const t = await table(file);
    return { rowCount: t.numRows, columnStats: t.columnStats };
  },
  async *columnChunks(file, columns, signal, sampling) {
    const t = await table(file);
    yield* t.columnChunks(columns, signal, sampling ? { sampling: { ...sampling, knownRowCount: t.numRows } } : {});
  },
  parts: (file, signal, options) => parquetParts(file, signal, options),
};
