import { rankError, seededRandom } from '../testing/tables';
import { HyperLogLog } from './hll';
import { KllSketch } from './kll';

describe('HyperLogLog.merge', () => {
  const keys = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `user-${from + i}`);
  // Overlapping parts, numbers and booleans too.
  const parts: (string | number | boolean)[][] = [keys(0, 30_000), [...keys(20_000, 50_000), true, 1.5], [...keys(45_000, 60_000), false, 1.5, 7]];

  function fed(values: (string | number | boolean)[], p = 14): HyperLogLog {
    const hll = new HyperLogLog(p);
    for (const v of values) hll.add(v);
    return hll;
  }

  it('gives the registers of one counter fed every value (from counters or cloned registers)', () => {
    const all = fed(parts.flat());
    const byCounter = new HyperLogLog(14);
    for (const p of parts) byCounter.merge(fed(p));
    const byRegisters = new HyperLogLog(14);
    for (const p of parts) byRegisters.merge(structuredClone(fed(p).exportRegisters()));
    expect(byCounter.exportRegisters()).toEqual(all.exportRegisters());
    expect(byRegisters.exportRegisters()).toEqual(all.exportRegisters());
    expect(byCounter.estimate()).toBe(all.estimate());
  });

  it('exports a copy and imports registers', () => {
    const a = fed(parts[0], 10);
    const regs = a.exportRegisters();
    regs.fill(0);
    expect(a.estimate()).toBeGreaterThan(0);
    const b = HyperLogLog.fromRegisters(a.exportRegisters());
    expect(b.p).toBe(10);
    expect(b.estimate()).toBe(a.estimate());
  });

  it('rejects registers of another precision', () => {
    expect(() => new HyperLogLog(12).merge(new HyperLogLog(14))).toThrow(RangeError);
    expect(() => HyperLogLog.fromRegisters(new Uint8Array(1000))).toThrow(RangeError);
  });
});

describe('KllSketch.merge', () => {
  function totalWeight(s: KllSketch): number {
    let total = 0;
    s.forEachWeighted((_v, w) => (total += w));
    return total;
  }

  it.each([
    ['uniform', (r: () => number) => r() * 1000],
    ['exponential', (r: () => number) => -Math.log(1 - r()) * 50],
    ['sorted input', (_r: () => number, i: number) => i],
    ['few distinct values', (r: () => number) => Math.floor(r() * 20)],
  ])('keeps n exactly and the rank error within 1.65 %% at k = 200: 200k values in 4 sketches (%s)', (_name, gen) => {
    const r = seededRandom(42);
    const n = 200_000;
    const all = new Float64Array(n);
    // Same seed in every part, as workers with the same options would have.
    const parts = [0, 1, 2, 3].map(() => new KllSketch(200, 7));
    for (let i = 0; i < n; i++) {
      const v = gen(r, i);
      all[i] = v;
      parts[Math.floor((i * 4) / n)].update(v); // contiguous quarters
    }
    all.sort();
    const merged = new KllSketch(200, 7);
    for (const p of parts) merged.merge(KllSketch.fromState(structuredClone(p.toState())));
    expect(merged.n).toBe(n);
    expect(totalWeight(merged)).toBe(n);
    expect(merged.retained).toBeLessThan(3 * 200 + 8 * 20 + 1024);
    for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
      expect(rankError(all, merged.quantile(q)!, q)).toBeLessThanOrEqual(0.0165);
    }
    expect(merged.quantile(0)).toBe(all[0]);
    expect(merged.quantile(1)).toBe(all[n - 1]);
    // Merging into a non-empty sketch works the same way.
    const intoFirst = KllSketch.fromState(parts[0].toState());
    for (const p of parts.slice(1)) intoFirst.merge(p);
    expect(totalWeight(intoFirst)).toBe(n);
    expect(rankError(all, intoFirst.quantile(0.5)!, 0.5)).toBeLessThanOrEqual(0.0165);
  });

  it.each([
    ['uniform', (r: () => number) => r() * 1000],
    ['sorted input', (_r: () => number, i: number) => i],
  ])('past the sampler start: 5M values, alone and in 3 merged sketches, n exact and rank error within 1.65 %% (%s)', (_name, gen) => {
    const r = seededRandom(5);
    const n = 5_000_000 + 37; // an unfinished sampler block at the end
    const all = new Float64Array(n);
    const one = new KllSketch(200, 1);
    const parts = [0, 1, 2].map((i) => new KllSketch(200, 10 + i));
    for (let i = 0; i < n; i++) {
      const v = gen(r, i);
      all[i] = v;
      one.update(v);
      parts[Math.floor((i * 3) / n)].update(v);
    }
    const merged = new KllSketch(200, 1);
    for (const p of parts) merged.merge(KllSketch.fromState(structuredClone(p.toState())));
    all.sort();
    for (const s of [one, merged]) {
      expect(s.n).toBe(n);
      expect(totalWeight(s)).toBe(n);
      expect(s.retained).toBeLessThan(3000);
      for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) expect(rankError(all, s.quantile(q)!, q)).toBeLessThanOrEqual(0.0165);
    }
  });

  it('restores a state exactly: the restored sketch continues as the original (PRNG included)', () => {
    const r = seededRandom(3);
    const a = new KllSketch(50, 5);
    for (let i = 0; i < 20_000; i++) a.update(r());
    const b = KllSketch.fromState(structuredClone(a.toState()));
    for (let i = 0; i < 20_000; i++) {
      const v = r();
      a.update(v);
      b.update(v);
    }
    expect(b.toState()).toEqual(a.toState());
  });

  it('merges empty sketches and a sketch into itself (weights double)', () => {
    const a = new KllSketch(200, 1);
    a.merge(new KllSketch(200, 1));
    expect(a.n).toBe(0);
    expect(a.quantile(0.5)).toBeUndefined();
    for (let i = 0; i < 5000; i++) a.update(i);
    new KllSketch().merge(a);
    a.merge(a);
    expect(a.n).toBe(10_000);
    expect(totalWeight(a)).toBe(10_000);
    expect(a.min).toBe(0);
    expect(a.max).toBe(4999);
  });
});
