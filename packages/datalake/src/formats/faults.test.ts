/**
 * Files that are not what their extension says, read through the real local store: every outcome
 * is columns, or a FileReadError / EmptyFileError that says what really happened (issue 21).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { formatOf } from './registry';
import { readOptionsFrom } from '../config';
import { tempLake } from '../test-support/lake';
import { readFileSchema } from './schema';
import { EmptyFileError, FileReadError } from '../io/errors';

const lake = tempLake('om-reader-faults-');
const PRODUCTS = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'examples', 'datalake', 'warehouse', 'products.parquet'));

async function schemaOf(key: string, data: Buffer | string, options = readOptionsFrom({})) {
  const loc = lake.put(key, data);
  return readFileSchema(lake.store, lake.bucket, key, loc.size, formatOf(key)!, options);
}

async function outcome(key: string, data: Buffer | string, options = readOptionsFrom({})): Promise<Error | 'columns'> {
  try {
    await schemaOf(key, data, options);
    return 'columns';
  } catch (err) {
    return err as Error;
  }
}

describe('corrupt Parquet footers', () => {
  it('every flipped footer byte gives columns or a FileReadError naming the footer, never a TypeError', async () => {
    const footerLength = PRODUCTS.readUInt32LE(PRODUCTS.length - 8);
    const footerStart = PRODUCTS.length - 8 - footerLength;
    const kinds = new Map<string, number>();
    for (let at = footerStart; at < PRODUCTS.length - 8; at++) {
      for (const value of [0x00, 0xff, PRODUCTS[at] ^ 0x5a]) {
        const bad = Buffer.from(PRODUCTS);
        bad[at] = value;
        const got = await outcome('bad.parquet', bad);
        if (got === 'columns') continue;
        kinds.set(got.name, (kinds.get(got.name) ?? 0) + 1);
        if (!(got instanceof FileReadError)) throw new Error(`byte ${at} = ${value}: ${got.name}: ${got.message}`);
        expect(got.message).toMatch(/Parquet/);
      }
    }
    expect([...kinds.keys()]).toEqual(['FileReadError']);
  });
});

describe('text samples that are not a table', () => {
  it('a CSV whose header is longer than sampleBytes is a failure saying so, not "the file is empty"', async () => {
    const header = Array.from({ length: 400 }, (_, i) => `a_rather_long_column_name_${i}`).join(',');
    const err = await outcome('wide.csv', `${header}\n1,2,3\n`, readOptionsFrom({ sampleBytes: 4096 }));
    expect(err).toBeInstanceOf(FileReadError);
    expect((err as Error).message).toMatch(/the first line is longer than the \d+-byte sample \(sampleBytes\).*raise .*sampleBytes/);
  });

  it('NUL bytes are named as binary or UTF-16 data, not as an empty file', async () => {
    const err = await outcome('nul.csv', Buffer.alloc(5000));
    expect(err).toBeInstanceOf(FileReadError);
    expect((err as Error).message).toMatch(/NUL bytes/);
    const json = await outcome('nul.json', Buffer.alloc(5000));
    expect(json).toBeInstanceOf(FileReadError);
    expect((json as Error).message).toMatch(/NUL bytes/);
  });

  it('a gzip bomb of zeros is named as such, not as an empty file', async () => {
    const err = await outcome('bomb.csv.gz', gzipSync(Buffer.alloc(64 * 1024 * 1024)));
    expect(err).toBeInstanceOf(FileReadError);
    expect((err as Error).message).toMatch(/NUL bytes.*decompressed/);
  });

  it('a really empty or blank file is still an EmptyFileError', async () => {
    expect(await outcome('blank.csv', '  \n\n')).toBeInstanceOf(EmptyFileError);
    expect(await outcome('blank.json', '\n')).toBeInstanceOf(EmptyFileError);
  });
});
