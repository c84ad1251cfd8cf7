/**
 * Snappy decompression (Parquet's most common page codec) through our own WebAssembly decoder
 * (`snappy.wat`; `scripts/build-snappy-wasm.mjs` compiles it into `wasm-module.ts`). A page
 * decompresses into the decoder's memory: `decompressView` hands out a view there, valid until the
 * next call, so a decode loop that is done with a page before it asks for the next allocates
 * nothing per page (allocating a megabyte-sized page each time left each thread's malloc arena
 * holding tens of MB it had freed); `decompress` copies the page out for callers that keep it.
 */
import { SNAPPY_WASM_BASE64 } from './wasm-module';

const ERRORS: Record<number, string> = {
  [-1]: 'bad length header',
  [-2]: 'the length header does not match the page header',
  [-3]: 'the input ends inside an element',
  [-4]: 'the output is longer than the page header says',
  [-5]: 'a copy refers to before the start of the output',
  [-6]: 'the input ends before the output is complete',
};

const PAGE = 64 * 1024;

/** The part of the WebAssembly API used here (the ES2023 lib and @types/node 20 do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | undefined;

export class SnappyDecoder {
  private readonly memory: WasmMemory;
  private readonly uncompress: (src: number, srcLen: number, dst: number, dstLen: number) => number;

  constructor() {
    compiled ??= new wasm.Module(Buffer.from(SNAPPY_WASM_BASE64, 'base64'));
    const instance = new wasm.Instance(compiled);
    this.memory = instance.exports.memory as WasmMemory;
    this.uncompress = instance.exports.uncompress as SnappyDecoder['uncompress'];
  }

  /** `input` decompressed (`size` bytes): a view into this decoder's memory, valid until the next call. */
  decompressView(input: Uint8Array, size: number): Uint8Array {
    // The output starts 8-aligned, so typed-array views of its values need no aligned copy.
    const at = (input.length + 7) & ~7;
    // 16 bytes of room after the output: the decoder moves whole 8-byte words.
    const needed = at + size + 16;
    const have = this.memory.buffer.byteLength;
    if (needed > have) this.memory.grow(Math.ceil((needed - have) / PAGE));
    new Uint8Array(this.memory.buffer, 0, input.length).set(input);
    const status = this.uncompress(0, input.length, at, size);
    if (status !== 0) throw new Error(`corrupt Snappy page: ${ERRORS[status] ?? `error ${status}`}`);
    return new Uint8Array(this.memory.buffer, at, size);
  }

  /** `input` decompressed (`size` bytes) into a new array. */
  decompress(input: Uint8Array, size: number): Uint8Array {
    return this.decompressView(input, size).slice();
  }
}

let threadDecoder: SnappyDecoder | undefined;

/** This thread's decoder (module state is per thread: a worker gets its own). */
export function snappyDecoder(): SnappyDecoder {
  return (threadDecoder ??= new SnappyDecoder());
}
