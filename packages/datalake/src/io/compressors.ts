/**
 * Parquet page decompressors for hyparquet. Native zlib for GZIP and BROTLI (faster than JS), fzstd
 * for ZSTD, hyparquet-compressors' pure-JS LZ4 / LZ4_RAW, and our WebAssembly SNAPPY (`snappy/`:
 * the codec of most Parquet files, several times faster than hyparquet's JS decoder, which was the
 * largest single cost of a Parquet profile).
 */
import * as zlib from 'node:zlib';
import { snappyDecoder } from './snappy';

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array;

let cached: Promise<Record<string, Decompress>> | undefined;

export function parquetCompressors(): Promise<Record<string, Decompress>> {
  cached ??= (async () => {
    const fzstd = (await import('fzstd')) as { decompress(input: Uint8Array, out?: Uint8Array): Uint8Array };
    const lz4Path: string = 'hyparquet-compressors/src/lz4.js';
    const lz4 = (await import(lz4Path)) as { decompressLz4: Decompress; decompressLz4Raw: Decompress };
    return {
      SNAPPY: (input, length) => snappyDecoder().decompress(input, length),
      GZIP: (input) => zlib.gunzipSync(input),
      BROTLI: (input) => zlib.brotliDecompressSync(input),
      ZSTD: (input, length) => fzstd.decompress(input, new Uint8Array(length)),
      LZ4: lz4.decompressLz4,
      LZ4_RAW: lz4.decompressLz4Raw,
    };
  })();
  return cached;
}
