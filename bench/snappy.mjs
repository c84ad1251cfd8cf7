// Snappy page decompression on the 1 GB bench Parquet file's pages (the first 8 row groups): our
// WebAssembly decoder (@om/datalake io/snappy, in place and copied out) against hyparquet's
// JavaScript decoder and hysnappy's WebAssembly one (hyparquet-compressors' dependency), every page
// checked equal first. Usage (after `npx turbo run build`): node bench/snappy.mjs [file.parquet]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? path.join(here, 'data/datalake/big/big_1024mb.parquet');
const datalake = createRequire(path.join(here, '../packages/datalake/package.json'));
const hpDir = path.dirname(datalake.resolve('hyparquet')).replace(/src$/, '');
const imp = (p) => import(pathToFileURL(p).href);
const { parquetMetadata } = await imp(path.join(hpDir, 'src/metadata.js'));
const { parquetHeader } = await imp(path.join(hpDir, 'src/column.js'));
const { snappyUncompress } = await imp(path.join(hpDir, 'src/snappy.js'));
const { SnappyDecoder } = datalake(path.join(here, '../packages/datalake/dist/io/snappy/index.js'));
let hysnappy;
try {
  const compressors = createRequire(datalake.resolve('hyparquet-compressors/package.json'));
  hysnappy = (await import(pathToFileURL(compressors.resolve('hysnappy')).href)).snappyUncompressor();
} catch {
  hysnappy = undefined;
}

const buf = fs.readFileSync(file);
const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
const md = parquetMetadata(ab);
const pages = [];
for (const rg of md.row_groups.slice(0, 8)) {
  for (const c of rg.columns) {
    const m = c.meta_data;
    if (m.codec !== 'SNAPPY') continue;
    const start = Number(m.dictionary_page_offset || m.data_page_offset);
    const reader = { view: new DataView(ab), offset: start };
    while (reader.offset < start + Number(m.total_compressed_size)) {
      const h = parquetHeader(reader);
      pages.push({ input: new Uint8Array(ab, reader.offset, h.compressed_page_size), size: h.uncompressed_page_size });
      reader.offset += h.compressed_page_size;
    }
  }
}
const ours = new SnappyDecoder();
const scratch = new Uint8Array(Math.max(...pages.map((p) => p.size)));
for (const p of pages) {
  const expected = scratch.subarray(0, p.size);
  snappyUncompress(p.input, expected);
  if (Buffer.compare(expected, ours.decompressView(p.input, p.size)) !== 0) throw new Error('our decoder differs from hyparquet on a page');
}
const time = (f) => {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t = process.hrtime.bigint();
    for (const p of pages) f(p);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return Math.round(best);
};
const results = {
  pages: pages.length,
  compressedMb: Math.round(pages.reduce((n, p) => n + p.input.length, 0) / 1e5) / 10,
  ms: {
    hyparquetJs: time((p) => snappyUncompress(p.input, scratch.subarray(0, p.size))),
    ...(hysnappy ? { hysnappyWasm: time((p) => hysnappy(p.input, p.size)) } : {}),
    oursInPlace: time((p) => ours.decompressView(p.input, p.size)),
    oursCopied: time((p) => ours.decompress(p.input, p.size)),
  },
};
console.log(JSON.stringify(results, null, 2));
