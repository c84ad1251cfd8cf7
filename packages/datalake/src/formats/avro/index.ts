/** Avro object container files: the schema from the header, rows block by block. */
import { capColumns } from '../../inference/tree';
import type { FormatHandler } from '../handler';
import { avroRows } from './rows';
import { readAvroColumns } from './schema';

export const avroFormat: FormatHandler = {
  suffixes: [{ suffix: 'avro', fileFormat: 'avro', compression: 'none' }],
  schema: async (file, _options, limits, cuts) => ({ columns: capColumns(await readAvroColumns(file.store, file.bucket, file.key, file.size), limits, cuts), warnings: [] }),
  rows: (file, signal) => avroRows(file.store, file.bucket, file.key, file.size, signal),
};
