/** CSV and TSV: one handler per delimiter. */
import { EmptyFileError } from '../../io/errors';
import { checkedTextSample, tooLong } from '../../io/text-check';
import { openTextStream } from '../../io/text-stream';
import type { FormatHandler, FormatSuffix } from '../handler';
import { inferDelimited } from './infer';
import { delimitedParts } from './parts';
import { delimitedBatches, delimitedRows } from './rows';

function delimitedFormat(delimiter: string, suffixes: FormatSuffix[]): FormatHandler {
  return {
    suffixes,
    async schema(file, options, limits, cuts) {
      const sample = await checkedTextSample(file, options, options.sampleRows + 1);
      const result = inferDelimited(sample.text, delimiter, sample.cut, options.sampleRows, limits, cuts);
      if (result.columns.length === 0) throw sample.cut ? tooLong('line', options) : new EmptyFileError();
      return { columns: result.columns, warnings: result.rows === 0 ? ['the file has a header but no data rows: every column is typed STRING'] : [] };
    },
    rows: (file, signal) => delimitedRows(openTextStream(file.store, file.bucket, file.key, file.size, file.format.compression, signal), delimiter),
    batches: (file, signal) => delimitedBatches(openTextStream(file.store, file.bucket, file.key, file.size, file.format.compression, signal), delimiter),
    parts: (file, signal, _options, partBytes) => delimitedParts(file, delimiter, signal, partBytes),
  };
}

export const csvFormat = delimitedFormat(',', [
  { suffix: 'csv.gz', fileFormat: 'csv.gz', compression: 'gzip' },
  { suffix: 'csv', fileFormat: 'csv', compression: 'none' },
]);

export const tsvFormat = delimitedFormat('\t', [{ suffix: 'tsv', fileFormat: 'tsv', compression: 'none' }]);
