import { HyperLogLog } from './hll';
import { KllSketch } from './kll';
import { ColumnAccumulator, DEFAULT_LIMITS } from '../metrics/column';
import { rankError, seededRandom } from '../testing/tables';

describe('HyperLogLog', () => {
  it('documents 1.04/√m', () => {
    expect(HyperLogLog.relativeError(14)).toBeCloseTo(0.0081, 4);
  });

  it.each([
    [1000, 'small range (linear counting)'],
    [50_000, 'raw estimate'],
  ])('estimates %i distinct strings within 3 standard errors (%s)', (n) => {
    const hll = new HyperLogLog(14);
    for (let i = 0; i < n; i++) {
      hll.add(`user-${i}@example.com`);
      hll.add(`user-${i}@example.com`); // repeats do not count
    }
    expect(Math.abs(hll.estimate() - n) / n).toBeLessThan(3 * HyperLogLog.relativeError(14));
  });

  it('estimates distinct numbers', () => {
    const hll = new HyperLogLog(12);
    for (let i = 0; i < 100_000; i++) hll.add(i * 0.5);
    expect(Math.abs(hll.estimate() - 100_000) / 100_000).toBeLessThan(3 * HyperLogLog.relativeError(12));
  });
});

describe('KllSketch', () => {
  it.each([
    ['uniform', (r: () => number) => r() * 1000],
    ['exponential', (r: () => number) => -Math.log(1 - r()) * 50],
    ['sorted input', (_r: () => number, i: number) => i],
  ])('keeps the rank error within 1.65 %% at k = 200 on 200k values (%s)', (_name, gen) => {
    const r = seededRandom(42);
    const n = 200_000;
    const sketch = new KllSketch(200, 7);
    const all = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = gen(r, i);
      all[i] = v;
      sketch.update(v);
    }
    all.sort();
    expect(sketch.n).toBe(n);
    expect(sketch.retained).toBeLessThan(3 * 200 + 8 * 20);
    for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
      expect(rankError(all, sketch.quantile(q)!, q)).toBeLessThanOrEqual(0.0165);
    }
    expect(sketch.quantile(0)).toBe(all[0]);
    expect(sketch.quantile(1)).toBe(all[n - 1]);
    let total = 0;
    sketch.forEachWeighted((_v, w) => (total += w));
    expect(total).toBe(n);
  });

  it('is reproducible for a seed', () => {
    const a = new KllSketch(50, 3);
    const b = new KllSketch(50, 3);
    const r = seededRandom(1);
    for (let i = 0; i < 10_000; i++) {
      const v = r();
      a.update(v);
      b.update(v);
    }
    expect(a.quantile(0.5)).toBe(b.quantile(0.5));
  });
});

describe('ColumnAccumulator past the exact bounds', () => {
  it('switches to sketches with bounded memory and documented error (200k rows)', () => {
    const limits = { ...DEFAULT_LIMITS, exactDistinctLimit: 1000, exactQuantileLimit: 5000 };
    const acc = new ColumnAccumulator({ name: 'v', dataType: 'BIGINT' }, { trackDistinct: true, trackQuantiles: true, limits, csvNulls: false });
    // 0..149 999, the first 50 000 twice: 200 000 rows, 150 000 distinct, 100 000 unique.
    const r = seededRandom(9);
    const values: number[] = [];
    for (let i = 0; i < 150_000; i++) values.push(i);
    for (let i = 0; i < 50_000; i++) values.push(i);
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [values[i], values[j]] = [values[j], values[i]];
    }
    let maxDistinct = 0;
    let maxQuantile = 0;
    values.forEach((v, i) => {
      acc.add(i % 1000 === 0 ? String(v) : v);
      const retained = acc.retainedValueCount();
      maxDistinct = Math.max(maxDistinct, retained.distinct);
      maxQuantile = Math.max(maxQuantile, retained.quantile);
    });
    expect(maxDistinct).toBeLessThanOrEqual(1000);
    expect(maxQuantile).toBeLessThanOrEqual(5000);

    const { stats, approximate } = acc.stats();
    expect(approximate).toEqual(expect.arrayContaining(['distinctCount', 'uniqueCount', 'median', 'histogram']));
    expect(stats.valuesCount).toBe(200_000);
    expect(stats.min).toBe(0);
    expect(stats.max).toBe(149_999);
    expect(stats.sum).toBe(((149_999 * 150_000) / 2) + ((49_999 * 50_000) / 2));
    expect(Math.abs(stats.distinctCount! - 150_000) / 150_000).toBeLessThan(3 * HyperLogLog.relativeError(14));
    // uniqueCount = distinct × (singletons / size) of a ≥ 500-value hash sample: a few % error.
    expect(Math.abs(stats.uniqueCount! - 100_000) / 100_000).toBeLessThan(0.1);
    expect(stats.duplicateCount).toBe(200_000 - stats.distinctCount!);
    // True median of the multiset: sort and compare ranks.
    const sorted = Float64Array.from(values).sort();
    const below = sorted.findIndex((x) => x >= stats.median!);
    expect(Math.abs(below / 200_000 - 0.5)).toBeLessThanOrEqual(0.0165);
    expect(stats.histogram!.frequencies.reduce((a, b) => a + b, 0)).toBe(200_000);
  });

  it('stays exact up to the bounds', () => {
    const acc = new ColumnAccumulator({ name: 'v', dataType: 'INT' }, { trackDistinct: true, trackQuantiles: true, limits: { ...DEFAULT_LIMITS, exactDistinctLimit: 100, exactQuantileLimit: 100 }, csvNulls: false });
    for (let i = 0; i < 100; i++) acc.add(i);
    const { stats, approximate } = acc.stats();
    expect(approximate).toEqual([]);
    expect(stats.distinctCount).toBe(100);
    expect(stats.median).toBe(49.5);
  });
});
