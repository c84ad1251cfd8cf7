/**
 * A fast, seedless 64-bit (two 32-bit lanes) hash for sketch keys. Not cryptographic: it only
 * needs to spread keys evenly so HyperLogLog registers and hash-based samples behave as random.
 */

/**
 * The two lanes of the last hash computed (module scratch, so hashing allocates nothing), as
 * int32 bit patterns (read them with `>>> 0` for the unsigned value): an int32 stays a small
 * integer in V8, where a uint32 past 2^31 is a heap number each time it is passed to a call.
 */
export const lastHash = { h1: 0, h2: 0 };

/** Murmur3's finalizer, on and to int32 bit patterns (see `lastHash`). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function finish(a: number, b: number, len: number): void {
  a = fmix(a ^ len);
  b = fmix((b + Math.imul(a, 0x9e3779b1)) | 0);
  a = fmix(a ^ Math.imul(b, 0x27d4eb2f));
  lastHash.h1 = a;
  lastHash.h2 = b;
}

export function hashString(s: string): void {
  let a = 0x811c9dc5;
  let b = 0x2f1b3c4d;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  finish(a, b, s.length);
}

/**
 * `hashString` of the text in `bytes[start, end)` when it is ASCII (one byte per character, so the
 * same hash without decoding it); false, with `lastHash` unspecified, when a byte is not ASCII.
 */
export function hashAsciiBytes(bytes: Uint8Array, start: number, end: number): boolean {
  let a = 0x811c9dc5;
  let b = 0x2f1b3c4d;
  let high = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    high |= c;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  if (high >= 0x80) return false;
  finish(a, b, end - start);
  return true;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export function hashNumber(x: number): void {
  f64[0] = x === 0 ? 0 : x; // -0 and 0 are one value
  hashF64();
}

/** `hashNumber(values[i])`, for loops over a typed array: the double is never passed to a call (which boxes it). */
export function hashNumberAt(values: Float64Array, i: number): void {
  const x = values[i];
  f64[0] = x === 0 ? 0 : x;
  hashF64();
}

function hashF64(): void {
  finish(Math.imul(u32[0] ^ 0x6a09e667, 0xcc9e2d51), Math.imul(u32[1] ^ 0xbb67ae85, 0x1b873593), 8);
}

/** Hashes a sketch key (number, string or boolean) into `lastHash`. */
export function hashKey(key: string | number | boolean): void {
  if (typeof key === 'number') hashNumber(key);
  else if (typeof key === 'string') hashString(key);
  else hashString(key ? '\u0001true' : '\u0001false');
}
