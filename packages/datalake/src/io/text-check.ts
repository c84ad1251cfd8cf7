/** What a text sample that is no table really holds, said the same way for every text format. */
import type { ReadOptions } from '../config';
import type { FileLocation, FormatInfo } from '../formats/handler';
import { EmptyFileError, FileReadError } from './errors';
import { readTextSample, type TextSample } from './sample';

/** The first `sampleBytes` of a text file (decompressed), at most `maxLines` lines, checked to be text. */
export async function checkedTextSample(file: FileLocation, options: ReadOptions, maxLines: number | undefined): Promise<TextSample> {
  const sample = await readTextSample(file.store, file.bucket, file.key, file.size, file.format.compression, { maxBytes: options.sampleBytes, maxLines });
  checkText(sample, file.format, file.size, options);
  return sample;
}

/** NUL bytes beyond this share of a text sample mean it is not UTF-8 text. */
const MAX_NUL_SHARE = 0.01;

/**
 * Says what a sample that is no table really holds: nothing (EmptyFileError), or NUL bytes — binary
 * data, UTF-16/32 text, or a compressed file of zeros (a decompression bomb) — as a FileReadError.
 */
export function checkText(sample: { text: string; cut: boolean }, format: FormatInfo, size: number, options: ReadOptions): void {
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

/** Not one complete record fit in the sample. */
export function tooLong(what: string, options: ReadOptions): FileReadError {
  return new FileReadError(
    `the first ${what} is longer than the ${options.sampleBytes}-byte sample (sampleBytes), so not one complete record was read; raise source.sourceConfig.config.sampleBytes`,
  );
}
