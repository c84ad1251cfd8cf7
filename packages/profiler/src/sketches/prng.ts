/** A small seeded PRNG (xorshift32 on a scrambled seed): sketches stay reproducible run to run. */
export class SeededRandom {
  private state: number;

  constructor(seed = 1) {
    let s = (seed | 0) ^ 0x5a17c3e1;
    s = Math.imul(s ^ (s >>> 16), 0x45d9f3b);
    s = Math.imul(s ^ (s >>> 16), 0x45d9f3b);
    this.state = (s ^ (s >>> 16)) >>> 0 || 0x9e3779b9;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** The generator's state, to carry a sketch across threads (`restore` continues the sequence). */
  snapshot(): number {
    return this.state;
  }

  restore(state: number): void {
    // 0 is xorshift's fixed point: never let it in.
    this.state = state >>> 0 || 0x9e3779b9;
  }

  /** 0 or 1 with equal probability. */
  bit(): number {
    return this.nextUint32() >>> 31;
  }
}
