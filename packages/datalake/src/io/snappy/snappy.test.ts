/**
 * Our WebAssembly Snappy decoder: every element form of the format (literals with 0-4 length bytes,
 * copies with 1-, 2- and 4-byte offsets, overlapping copies of short and long patterns) against
 * hyparquet's JavaScript decoder on the same streams, corrupt streams refused, and the committed
 * module compiled from snappy.wat.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { SnappyDecoder } from './index';

/** A Snappy stream built element by element (the encoder side, for tests only). */
class StreamBuilder {
  private readonly bytes: number[] = [];
  private readonly out: number[] = [];

  literal(data: number[]): this {
    const n = data.length - 1;
    if (n < 60) this.bytes.push(n << 2);
    else {
      const len: number[] = [];
      for (let v = n; v > 0; v = Math.floor(v / 256)) len.push(v & 0xff);
      this.bytes.push((59 + len.length) << 2, ...len);
    }
    this.bytes.push(...data);
    this.out.push(...data);
    return this;
  }

  copy(offset: number, length: number, form: 1 | 2 | 4): this {
    if (form === 1) this.bytes.push(1 | ((length - 4) << 2) | ((offset >> 8) << 5), offset & 0xff);
    else if (form === 2) this.bytes.push(2 | ((length - 1) << 2), offset & 0xff, offset >> 8);
    else this.bytes.push(3 | ((length - 1) << 2), offset & 0xff, (offset >> 8) & 0xff, (offset >> 16) & 0xff, offset >>> 24);
    for (let i = 0; i < length; i++) this.out.push(this.out[this.out.length - offset]);
    return this;
  }

  build(): { input: Uint8Array; output: Uint8Array } {
    const header: number[] = [];
    let n = this.out.length;
    do {
      header.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
      n = Math.floor(n / 128);
    } while (n > 0);
    return { input: Uint8Array.from([...header, ...this.bytes]), output: Uint8Array.from(this.out) };
  }
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('Snappy (WebAssembly)', () => {
  it('decodes every element form, overlapping copies included', () => {
    const r = seeded(11);
    const bytes = (n: number): number[] => Array.from({ length: n }, () => Math.floor(r() * 256));
    const b = new StreamBuilder().literal(bytes(1)).literal(bytes(59)).literal(bytes(61)).literal(bytes(300)).literal(bytes(70_000));
    b.copy(1, 11, 1).copy(3, 64, 2).copy(7, 9, 1).copy(8, 16, 2).copy(9, 40, 2).copy(2047, 4, 1).copy(65_535, 64, 2).copy(70_000, 33, 4).copy(16, 16, 2).copy(5, 5, 1);
    for (let i = 0; i < 2000; i++) {
      const x = r();
      if (x < 0.3) b.literal(bytes(1 + Math.floor(r() * 20)));
      else b.copy(1 + Math.floor(r() * 2000), 4 + Math.floor(r() * 60), x < 0.6 ? 2 : 4);
    }
    const { input, output } = b.build();
    const decoder = new SnappyDecoder();
    expect(Buffer.from(decoder.decompressView(input, output.length)).equals(Buffer.from(output))).toBe(true);
    expect(Buffer.from(decoder.decompress(input, output.length)).equals(Buffer.from(output))).toBe(true);
    // A second, smaller page reuses the memory.
    const small = new StreamBuilder().literal([1, 2, 3]).copy(3, 6, 1).build();
    expect([...decoder.decompressView(small.input, small.output.length)]).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  it('decodes what hyparquet decodes on random streams', async () => {
    const { snappyUncompress } = (await import('hyparquet')) as unknown as { snappyUncompress(input: Uint8Array, output: Uint8Array): void };
    const decoder = new SnappyDecoder();
    for (let seed = 1; seed <= 40; seed++) {
      const r = seeded(seed);
      const b = new StreamBuilder().literal(Array.from({ length: 1 + Math.floor(r() * 100) }, () => Math.floor(r() * 256)));
      let produced = 0;
      for (let i = 0; i < 300; i++) {
        if (r() < 0.4) b.literal(Array.from({ length: 1 + Math.floor(r() * 80) }, () => Math.floor(r() * 4)));
        else b.copy(1 + Math.floor(r() * Math.min(64, 1 + produced)), 4 + Math.floor(r() * 8), 1);
        produced += 1;
      }
      const { input, output } = b.build();
      const expected = new Uint8Array(output.length);
      snappyUncompress(input, expected);
      expect(Buffer.from(expected).equals(Buffer.from(output))).toBe(true);
      expect(Buffer.from(decoder.decompressView(input, output.length)).equals(Buffer.from(output))).toBe(true);
    }
  });

  it('refuses corrupt streams with a message', () => {
    const decoder = new SnappyDecoder();
    const { input, output } = new StreamBuilder().literal([1, 2, 3, 4]).copy(4, 8, 1).build();
    expect(() => decoder.decompressView(input, output.length + 1)).toThrow('corrupt Snappy page: the length header does not match the page header');
    expect(() => decoder.decompressView(input.subarray(0, input.length - 1), output.length)).toThrow('corrupt Snappy page');
    const badOffset = Uint8Array.from([8, 1 | (0 << 2), 9]);
    expect(() => decoder.decompressView(badOffset, 8)).toThrow('a copy refers to before the start of the output');
    expect(() => decoder.decompressView(Uint8Array.from([0x80]), 0)).toThrow('bad length header');
  });

  it('is the module compiled from snappy.wat', () => {
    const script = path.resolve(__dirname, '../../../../../scripts/build-snappy-wasm.mjs');
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
