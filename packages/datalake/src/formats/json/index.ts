/** JSON (one document: an array of rows, or one row) and JSON Lines (one row per line). */
import { capColumns } from '../../inference/tree';
import { EmptyFileError } from '../../io/errors';
import { checkedTextSample, tooLong } from '../../io/text-check';
import { openTextStream } from '../../io/text-stream';
import type { FormatHandler, FormatSuffix } from '../handler';
import { inferJsonLines, inferJsonText } from './infer';
import { jsonLinesRows, jsonRows } from './rows';

function jsonFormat(lines: boolean, suffixes: FormatSuffix[]): FormatHandler {
  return {
    suffixes,
    async schema(file, options, limits, cuts) {
      const sample = await checkedTextSample(file, options, lines ? options.sampleRows : undefined);
      const result = lines
        ? inferJsonLines(sample.text, sample.cut, options.sampleRows, limits, cuts)
        : inferJsonText(sample.text, sample.cut, options.sampleRows, limits, cuts);
      const columns = result.mode === 'jsonSchema' ? capColumns(result.columns, limits, cuts) : result.columns;
      if (columns.length === 0) {
        if (result.rows === 0 && sample.cut) throw tooLong(lines ? 'line' : 'JSON value', options);
        throw new EmptyFileError(result.rows === 0 ? 'the file holds no rows' : 'the rows hold no fields');
      }
      return { columns, warnings: [] };
    },
    rows: (file, signal) => (lines ? jsonLinesRows : jsonRows)(openTextStream(file.store, file.bucket, file.key, file.size, file.format.compression, signal)),
  };
}

export const jsonFormatHandler = jsonFormat(false, [
  { suffix: 'json.gz', fileFormat: 'json.gz', compression: 'gzip' },
  { suffix: 'json.zip', fileFormat: 'json.zip', compression: 'zip' },
  { suffix: 'json', fileFormat: 'json', compression: 'none' },
]);

export const jsonLinesFormat = jsonFormat(true, [
  { suffix: 'jsonl.gz', fileFormat: 'jsonl.gz', compression: 'gzip' },
  { suffix: 'jsonl.zip', fileFormat: 'jsonl.zip', compression: 'zip' },
  { suffix: 'jsonl', fileFormat: 'jsonl', compression: 'none' },
]);
