import type { Column } from '@om/core';
import type { ReadOptions } from '../config';
import type { FormatInfo } from '../formats';
import { CutReport, capColumns } from '../inference/tree';
import type { ObjectStore } from '../object-store';
import { readAvroColumns } from './avro';
import { inferDelimited } from './csv';
import { EmptyFileError } from './errors';
import { inferJsonLines, inferJsonText } from './json';
import { readParquetColumns } from './parquet';
import { readTextSample } from './sample';

export interface FileSchema {
  columns: Column[];
  /** Things worth a warning (cut columns, header-only file...). */
  warnings: string[];
}

/**
 * Reads the schema of one object. Throws EmptyFileError for empty files, FileReadError for
 * corrupt ones, ObjectStoreError for storage problems.
 */
export async function readFileSchema(
  store: ObjectStore,
  bucket: string,
  key: string,
  size: number,
  format: FormatInfo,
  options: ReadOptions,
): Promise<FileSchema> {
  const limits = { maxDepth: options.maxDepth, maxChildren: options.maxChildren };
  const cuts = new CutReport();
  const warnings: string[] = [];
  let columns: Column[];
  if (size === 0) throw new EmptyFileError();
  switch (format.reader) {
    case 'parquet':
      columns = capColumns(await readParquetColumns(store, bucket, key, size), limits, cuts);
      break;
    case 'avro':
      columns = capColumns(await readAvroColumns(store, bucket, key, size), limits, cuts);
      break;
    case 'csv':
    case 'tsv': {
      const sample = await readTextSample(store, bucket, key, size, format.compression, {
        maxBytes: options.sampleBytes,
        maxLines: options.sampleRows + 1,
      });
      if (sample.text.replace(/^\uFEFF/, '').trim() === '') throw new EmptyFileError();
      const result = inferDelimited(sample.text, format.reader === 'tsv' ? '\t' : ',', sample.cut, options.sampleRows, limits, cuts);
      columns = result.columns;
      if (columns.length === 0) throw new EmptyFileError();
      if (result.rows === 0) warnings.push('the file has a header but no data rows: every column is typed STRING');
      break;
    }
    case 'json':
    case 'jsonl': {
      const sample = await readTextSample(store, bucket, key, size, format.compression, {
        maxBytes: options.sampleBytes,
        maxLines: format.reader === 'jsonl' ? options.sampleRows : undefined,
      });
      if (sample.text.replace(/^\uFEFF/, '').trim() === '') throw new EmptyFileError();
      const result =
        format.reader === 'jsonl'
          ? inferJsonLines(sample.text, sample.cut, options.sampleRows, limits, cuts)
          : inferJsonText(sample.text, sample.cut, options.sampleRows, limits, cuts);
      columns = result.mode === 'jsonSchema' ? capColumns(result.columns, limits, cuts) : result.columns;
      if (columns.length === 0) throw new EmptyFileError(result.rows === 0 ? 'the file holds no rows' : 'the rows hold no fields');
      break;
    }
  }
  const cut = cuts.message();
  if (cut) warnings.push(cut);
  return { columns, warnings };
}
