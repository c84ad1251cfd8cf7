import { releaseBuffers } from './release';

test('released buffers are detached (their memory moves to a fresh, unreferenced buffer)', () => {
  const buffer = new ArrayBuffer(1024 * 1024);
  const view = new Uint8Array(buffer, 16, 1024);
  releaseBuffers([buffer, new ArrayBuffer(0)]);
  expect(buffer.byteLength).toBe(0);
  expect(view.length).toBe(0);
  // Detached or empty buffers are skipped.
  expect(() => releaseBuffers([buffer])).not.toThrow();
});
