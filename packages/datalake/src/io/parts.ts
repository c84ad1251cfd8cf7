/**
 * What every split pass (`TableDataRequest.parts`) shares, whatever the format: the worker entry
 * to load, and parts whose bytes move to the worker without a copy. The reading stays in the
 * calling thread, through the store; the workers only decode (`formats/part-decoder.ts`), so any
 * store plugin works unchanged. Each format's own splitting is in its folder (`parts.ts`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The compiled decoder a worker thread loads. A worker runs plain Node, so when this module runs
 * from TypeScript sources (Jest), it is the built file in dist (`pnpm test` builds first).
 */
export function partDecoderModule(): string {
  const here = path.join(__dirname, '..', 'formats', 'part-decoder.js');
  return fs.existsSync(here) ? here : path.resolve(__dirname, '../../dist/formats/part-decoder.js');
}

/** `bytes` as a TablePart whose ArrayBuffer can be moved (copied first when it is shared). */
export function ownedBytes(bytes: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return { bytes, transfer: [bytes.buffer] };
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return { bytes: copy, transfer: [copy.buffer] };
}

export function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
