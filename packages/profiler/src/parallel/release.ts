/**
 * Hands ArrayBuffers back to the collector early. A worker's part lives long enough to reach V8's
 * old generation, where its buffer would wait for the next full collection, several parts later;
 * moved (transferred) into a fresh, unreferenced ArrayBuffer, its memory goes at the next
 * young-generation collection instead, which comes every part or so.
 */
export function releaseBuffers(buffers: readonly ArrayBuffer[]): void {
  const live = buffers.filter((b) => b instanceof ArrayBuffer && b.byteLength > 0);
  if (live.length === 0) return;
  try {
    structuredClone(null, { transfer: live });
  } catch {
    // A buffer that cannot move is left to the collector as it is.
  }
}
