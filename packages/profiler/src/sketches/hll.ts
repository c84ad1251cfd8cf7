/**
 * HyperLogLog distinct counter (Flajolet et al. 2007) with `m = 2^p` one-byte registers.
 * The register index takes the top `p` bits of the first hash lane and the rank comes from the
 * second lane (32 more bits), so the hash is effectively 32 + p bits wide and no large-range
 * correction is needed below ~10^12 distinct values. Small cardinalities use linear counting.
 *
 * Relative standard error ≈ 1.04 / √m: p = 14 (16 KiB) → 0.81 %, p = 12 → 1.63 %, p = 16 → 0.41 %.
 */
import { hashKey, lastHash } from './hash';

export class HyperLogLog {
  readonly m: number;
  private readonly registers: Uint8Array;

  constructor(readonly p = 14) {
    if (!Number.isInteger(p) || p < 4 || p > 18) throw new RangeError(`HyperLogLog precision must be 4..18, got ${p}`);
    this.m = 1 << p;
    this.registers = new Uint8Array(this.m);
  }

  /** The documented relative standard error for precision p. */
  static relativeError(p: number): number {
    return 1.04 / Math.sqrt(2 ** p);
  }

  addHash(h1: number, h2: number): void {
    const index = h1 >>> (32 - this.p);
    const rank = Math.clz32(h2) + 1;
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  add(key: string | number | boolean): void {
    hashKey(key);
    this.addHash(lastHash.h1, lastHash.h2);
  }

  /**
   * Folds another counter (or its exported registers) into this one: the element-wise max of the
   * registers is exactly the counter of the union of both inputs, whatever their order.
   */
  merge(other: HyperLogLog | Uint8Array): void {
    const regs = other instanceof HyperLogLog ? other.registers : other;
    if (regs.length !== this.m) throw new RangeError(`HyperLogLog merge needs ${this.m} registers, got ${regs.length}`);
    const own = this.registers;
    for (let i = 0; i < own.length; i++) if (regs[i] > own[i]) own[i] = regs[i];
  }

  /** A copy of the registers (structured-clone safe; `fromRegisters` or `merge` reads it back). */
  exportRegisters(): Uint8Array {
    return this.registers.slice();
  }

  /** A counter holding the given registers (copied); p follows from their count, 2^p. */
  static fromRegisters(registers: Uint8Array): HyperLogLog {
    const p = Math.log2(registers.length);
    if (!Number.isInteger(p)) throw new RangeError(`HyperLogLog registers must be 2^p, got ${registers.length}`);
    const hll = new HyperLogLog(p);
    hll.registers.set(registers);
    return hll;
  }

  estimate(): number {
    const m = this.m;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      const r = this.registers[i];
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = m >= 128 ? 0.7213 / (1 + 1.079 / m) : m === 64 ? 0.709 : m === 32 ? 0.697 : 0.673;
    const raw = (alpha * m * m) / sum;
    if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
    return raw;
  }

  /** Registers held (for memory accounting): m bytes. */
  get sizeInBytes(): number {
    return this.m;
  }
}
