/**
 * What every split pass (`TableDataRequest.parts`) shares, whatever the format: the worker entry
 * to load, and parts whose bytes move to the worker without a copy. The reading stays in the
 * calling thread, through the store; the workers only decode (`formats/part-decoder.ts`), so any
 * store plugin works unchanged. Each format's own splitting is in its folder (`parts.ts`).
 */
/**
 * The compiled decoder a worker thread loads, through the package's own `./part-decoder` export: a
 * worker runs plain Node, so it is always the built file of the installed package.
 */
export function partDecoderModule(): string {
  return require.resolve('@om/datalake/part-decoder');
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
