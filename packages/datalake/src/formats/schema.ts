import type { Column } from '@om/core';
import type { ReadOptions } from '../config';
import type { FormatInfo } from '../formats';
import { CutReport, capColumns } from '../inference/tree';
import type { ObjectStore } from '../object-store';
import { readAvroColumns } from './avro';
import { inferDelimited } from './csv';
import { EmptyFileError, FileReadError } from './errors';
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
      checkText(sample, format, size, options);
      const result = inferDelimited(sample.text, format.reader === 'tsv' ? '\t' : ',', sample.cut, options.sampleRows, limits, cuts);
      columns = result.columns;
      if (columns.length === 0) throw sample.cut ? tooLong('line', options) : new EmptyFileError();
      if (result.rows === 0) warnings.push('the file has a header but no data rows: every column is typed STRING');
      break;
    }
    case 'json':
    case 'jsonl': {
      const sample = await readTextSample(store, bucket, key, size, format.compression, {
        maxBytes: options.sampleBytes,
        maxLines: format.reader === 'jsonl' ? options.sampleRows : undefined,
      });
      checkText(sample, format, size, options);
      const result =
        format.reader === 'jsonl'
          ? inferJsonLines(sample.text, sample.cut, options.sampleRows, limits, cuts)
          : inferJsonText(sample.text, sample.cut, options.sampleRows, limits, cuts);
      columns = result.mode === 'jsonSchema' ? capColumns(result.columns, limits, cuts) : result.columns;
      if (columns.length === 0) {
        if (result.rows === 0 && sample.cut) throw tooLong(format.reader === 'jsonl' ? 'line' : 'JSON value', options);
        throw new EmptyFileError(result.rows === 0 ? 'the file holds no rows' : 'the rows hold no fields');
      }
      break;
    }
  }
  const cut = cuts.message();
  if (cut) warnings.push(cut);
  return { columns, warnings };
}

/** NUL bytes beyond this share of a text sample mean it is not UTF-8 text. */
const MAX_NUL_SHARE = 0.01;

/**
 * Says what a sample that is no table really holds: nothing (EmptyFileError), or NUL bytes — binary
 * data, UTF-16/32 text, or a compressed file of zeros (a decompression bomb) — as a FileReadError.
 */
function checkText(sample: { text: string; cut: boolean }, format: FormatInfo, size: number, options: ReadOptions): void {
  const text = sample.text;
  let nul = 0;
  for (let i = text.indexOf('\0'); i !== -1; i = text.indexOf('\0', i + 1)) nul++;
  if (nul > Math.max(1, text.length * MAX_NUL_SHARE)) {
    const what = `${nul} of the first ${text.length} characters are NUL bytes`;
    if (format.compression !== 'none') {
      const ratio = Math.round(text.length / Math.max(size, 1));
      throw new FileReadError(
        `${what} of the decompressed ${format.compression} data (at least ${ratio}× the ${size} bytes stored): a file of zeros or a decompression bomb, not ${format.fileFormat} text`,
      );
    }
    throw new FileReadError(`${what}: binary data, or text in UTF-16/UTF-32 (only UTF-8 is read), not ${format.fileFormat} text`);
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    if (sample.cut) throw new FileReadError(`the first ${options.sampleBytes} bytes are blank (sampleBytes): no data was found in the sample; raise source.sourceConfig.config.sampleBytes`);
    throw new EmptyFileError();
  }
}

function tooLong(what: string, options: ReadOptions): FileReadError {
  return new FileReadError(
    `the first ${what} is longer than the ${options.sampleBytes}-byte sample (sampleBytes), so not one complete record was read; raise source.sourceConfig.config.sampleBytes`,
  );
}
