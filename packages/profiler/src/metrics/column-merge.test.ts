import type { DataType } from '@om/core';
import { seededRandom } from '../testing/tables';
import { ColumnAccumulator, DEFAULT_LIMITS, type AccumulatorLimits, type AccumulatorOptions, type AccumulatorState, type ColumnStats } from './column';
import { INVALID, NULL } from './types';

/** Raw values as a CSV reader gives them (strings), with a few typed ones (JSON/Parquet). */
type Gen = (r: () => number, i: number) => unknown;

const CSV_NULLS = ['', 'NA', 'null', 'NaN', 'N/A', '<NA>'];

/** Every ~12th value null (CSV null strings, null, undefined), every ~25th invalid, the rest from `valid`. */
function withNoise(valid: Gen, invalid: string[]): Gen {
  return (r, i) => {
    const x = r();
    if (x < 0.08) return [null, undefined, ...CSV_NULLS][Math.floor(r() * (CSV_NULLS.length + 2))];
    if (x < 0.12 && invalid.length > 0) return invalid[Math.floor(r() * invalid.length)];
    return valid(r, i);
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const WORDS = ['a', 'β', 'naïve', 'emoji 😀 text', 'a rather long value past thirteen chars', '', ' ', 'x'.repeat(40)];

/** Column kinds: `pool` bounds the distinct values (so small limits force the sketches). */
const KINDS: Record<string, { dataType: DataType; gen: (pool: number) => Gen }> = {
  INT: {
    dataType: 'INT',
    gen: (pool) => withNoise((r) => (r() < 0.2 ? Math.floor(r() * pool) - pool / 2 : String(Math.floor(r() * pool) - pool / 2)), ['abc', '12x', '0x1F']),
  },
  DOUBLE: {
    dataType: 'DOUBLE',
    gen: (pool) => withNoise((r) => ((Math.floor(r() * pool) - pool / 3) * 0.37).toFixed(2), ['one', '1.2.3']),
  },
  STRING: {
    dataType: 'VARCHAR',
    gen: (pool) =>
      withNoise((r) => {
        const x = Math.floor(r() * pool);
        return `${WORDS[x % WORDS.length]}-${x}`;
      }, []),
  },
  DATE: {
    dataType: 'DATE',
    gen: (pool) =>
      withNoise((r) => {
        const d = Math.floor(r() * pool);
        return `${2000 + (d % 20)}-${pad(1 + (Math.floor(d / 20) % 12))}-${pad(1 + (Math.floor(d / 240) % 28))}`;
      }, ['2023-02-30', 'yesterday']),
  },
  TIMESTAMP: {
    dataType: 'TIMESTAMP',
    gen: (pool) =>
      withNoise((r) => {
        const s = Math.floor(r() * pool);
        return r() < 0.1 ? `2024-03-01T${pad(s % 24)}:00:00Z` : `2024-03-${pad(1 + (s % 28))} ${pad(s % 24)}:${pad(s % 60)}:${pad(Math.floor(s / 60) % 60)}`;
      }, ['2024-13-01 00:00:00', 'noon']),
  },
  BOOLEAN: {
    dataType: 'BOOLEAN',
    gen: () => withNoise((r) => ['true', 'false', 'yes', 'no', 'T', 'f', '1', '0', true][Math.floor(r() * 9)], ['maybe', '2']),
  },
};

function generate(gen: Gen, n: number, seed: number): unknown[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => gen(r, i));
}

function options(limits: Partial<AccumulatorLimits> = {}): AccumulatorOptions {
  return { trackDistinct: true, trackQuantiles: true, limits: { ...DEFAULT_LIMITS, ...limits }, csvNulls: true };
}

function accumulate(dataType: DataType, opts: AccumulatorOptions, values: unknown[]): ColumnAccumulator {
  const acc = new ColumnAccumulator({ name: 'c', dataType }, opts);
  for (const v of values) acc.add(v);
  return acc;
}

/** Contiguous parts cut at the given row indexes. */
function cut(values: unknown[], at: number[]): unknown[][] {
  const bounds = [0, ...at, values.length];
  return bounds.slice(1).map((end, i) => values.slice(bounds[i], end));
}

/** One accumulator per part, each state sent through structuredClone (as postMessage would). */
function workerStates(dataType: DataType, opts: AccumulatorOptions, parts: unknown[][]): { states: AccumulatorState[]; workers: ColumnAccumulator[] } {
  const workers = parts.map((p) => accumulate(dataType, opts, p));
  return { workers, states: workers.map((w) => structuredClone(w.state())) };
}

function mergeAll(dataType: DataType, opts: AccumulatorOptions, states: AccumulatorState[]): ColumnAccumulator {
  const main = new ColumnAccumulator({ name: 'c', dataType }, opts);
  for (const s of states) main.mergeState(s);
  return main;
}

const FLOAT_KEYS = ['mean', 'sum', 'variance', 'stddev', 'nonParametricSkew'] as const;
const QUANTILE_KEYS = ['median', 'firstQuartile', 'thirdQuartile', 'interQuartileRange', 'histogram', 'nonParametricSkew'];

function pick(stats: ColumnStats, skip: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(stats).filter(([k]) => !skip.includes(k)));
}

function expectClose(actual: number | undefined, expected: number | undefined): void {
  expect(actual === undefined).toBe(expected === undefined);
  if (actual === undefined || expected === undefined) return;
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

/** Fraction of the sorted values below `estimate` vs q (0 when q falls within a run of ties). */
function rankError(sorted: Float64Array, estimate: number, q: number): number {
  let lo = 0;
  while (lo < sorted.length && sorted[lo] < estimate) lo++;
  let eq = lo;
  while (eq < sorted.length && sorted[eq] === estimate) eq++;
  const low = lo / sorted.length;
  const high = eq / sorted.length;
  return q >= low && q <= high ? 0 : Math.min(Math.abs(q - low), Math.abs(q - high));
}

/**
 * Merged vs sequential. Counts, min/max, lengths and every distinct/unique figure must be
 * identical in every mode; quantiles too while exact, else within KLL's rank error.
 *
 * Why distinct/unique stay exact even when sketched (and in mixed modes): the sequential
 * accumulator's distinct state does not depend on the order of the values. Its HLL registers are
 * a max over the hashes of the distinct keys; its sample level is the smallest level whose hash
 * subset of ALL distinct keys fits `exactDistinctLimit`, and every sampled key is counted exactly
 * (it has been in the sample since its first occurrence). A part holds a subset of the keys, so
 * its level is ≤ that final level and it holds every key the final sample needs with its exact
 * count; a part past the switch means all rows are past it too. Merging (register max, raise to
 * the larger level, add counts of keys passing it, raise while too big) rebuilds that same state,
 * so the HLL estimate, sample size and singletons, hence the figures, are identical.
 */
function expectMergedLikeSequential(merged: ColumnAccumulator, seq: ColumnAccumulator, values: unknown[]): void {
  const m = merged.stats();
  const s = seq.stats();
  expect(m.approximate).toEqual(s.approximate);
  expect(Object.keys(m.stats).sort()).toEqual(Object.keys(s.stats).sort());
  const quantilesExact = !seq.quantilesAreApproximate;
  expect(pick(m.stats, quantilesExact ? FLOAT_KEYS : [...FLOAT_KEYS, ...QUANTILE_KEYS])).toEqual(pick(s.stats, quantilesExact ? FLOAT_KEYS : [...FLOAT_KEYS, ...QUANTILE_KEYS]));
  for (const k of FLOAT_KEYS) if (quantilesExact || k !== 'nonParametricSkew') expectClose(m.stats[k], s.stats[k]);

  // The distinct machinery itself is identical, not just its figures.
  const ms = merged.state();
  const ss = seq.state();
  expect(ms.exact).toEqual(ss.exact);
  expect(ms.sample).toEqual(ss.sample);
  expect(ms.sampleLevel).toBe(ss.sampleLevel);
  expect(ms.hll).toEqual(ss.hll);

  if (!quantilesExact) {
    const nums = values.map((v) => seq.coerce(v)).filter((v): v is number => v !== NULL && v !== INVALID && typeof v === 'number');
    const sorted = Float64Array.from(nums).sort();
    for (const [key, q] of [['firstQuartile', 0.25], ['median', 0.5], ['thirdQuartile', 0.75]] as const) {
      expect(rankError(sorted, m.stats[key]!, q)).toBeLessThanOrEqual(0.0165);
    }
    expect(m.stats.histogram!.frequencies.reduce((a, b) => a + b, 0)).toBe(sorted.length);
  }
}

describe('ColumnAccumulator.mergeState', () => {
  const N = 3000;

  describe.each(Object.keys(KINDS))('%s', (kind) => {
    const { dataType, gen } = KINDS[kind];

    it.each([
      ['2 parts', [1234]],
      ['3 parts', [700, 2100]],
      ['3 parts, one empty', [0, 1500]],
    ])('exact mode: identical to one accumulator (%s)', (_name, at) => {
      const values = generate(gen(400), N, 11);
      const opts = options();
      const seq = accumulate(dataType, opts, values);
      const { states } = workerStates(dataType, opts, cut(values, at));
      const merged = mergeAll(dataType, opts, states);
      expect(seq.distinctIsApproximate || seq.quantilesAreApproximate).toBe(false);
      expectMergedLikeSequential(merged, seq, values);
    });

    it.each([
      ['2 parts', [1500]],
      ['3 parts', [1000, 2000]],
    ])('sketch mode on every side: distinct counts still identical (%s)', (_name, at) => {
      const values = generate(gen(2000), N, 12);
      const opts = options({ exactDistinctLimit: 50, exactQuantileLimit: 200 });
      const seq = accumulate(dataType, opts, values);
      const { states, workers } = workerStates(dataType, opts, cut(values, at));
      if (kind !== 'BOOLEAN') {
        expect(workers.every((w) => w.distinctIsApproximate)).toBe(true);
        expect(seq.distinctIsApproximate).toBe(true);
      }
      if (kind === 'INT' || kind === 'DOUBLE') expect(workers.every((w) => w.quantilesAreApproximate)).toBe(true);
      expectMergedLikeSequential(mergeAll(dataType, opts, states), seq, values);
    });

    it.each([
      ['exact side merged first', false],
      ['sketch side merged first', true],
    ])('mixed modes (one side exact, the others sketched): %s', (_name, reverse) => {
      // The first 150 rows come from 20 values (exact at these limits), the rest from 2000.
      const values = [...generate(gen(20), 150, 13), ...generate(gen(2000), N - 150, 14)];
      const opts = options({ exactDistinctLimit: 50, exactQuantileLimit: 200 });
      const seq = accumulate(dataType, opts, values);
      const { states, workers } = workerStates(dataType, opts, cut(values, [150, 1600]));
      expect(workers[0].distinctIsApproximate || workers[0].quantilesAreApproximate).toBe(false);
      if (kind !== 'BOOLEAN') expect(workers[1].distinctIsApproximate).toBe(true);
      if (reverse) states.reverse();
      expectMergedLikeSequential(mergeAll(dataType, opts, states), seq, values);
    });
  });

  it('switches to the sketches when exact sides add up past the limits', () => {
    // Two exact sides (40 distinct, 150 numbers each) overlapping on 10 values: 70 distinct, 300 numbers.
    const a = Array.from({ length: 150 }, (_, i) => i % 40);
    const b = Array.from({ length: 150 }, (_, i) => 30 + (i % 40));
    const opts = options({ exactDistinctLimit: 50, exactQuantileLimit: 200 });
    const seq = accumulate('INT', opts, [...a, ...b]);
    const { states, workers } = workerStates('INT', opts, [a, b]);
    expect(workers.some((w) => w.distinctIsApproximate || w.quantilesAreApproximate)).toBe(false);
    const merged = mergeAll('INT', opts, states);
    expect(merged.distinctIsApproximate).toBe(true);
    expect(merged.quantilesAreApproximate).toBe(true);
    expectMergedLikeSequential(merged, seq, [...a, ...b]);
  });

  it('stays exact when the sides add up to exactly the limits', () => {
    const opts = options({ exactDistinctLimit: 50, exactQuantileLimit: 200 });
    const values = Array.from({ length: 200 }, (_, i) => i % 50);
    const seq = accumulate('INT', opts, values);
    const merged = mergeAll('INT', opts, workerStates('INT', opts, cut(values, [60, 130])).states);
    expect(merged.distinctIsApproximate || merged.quantilesAreApproximate).toBe(false);
    expectMergedLikeSequential(merged, seq, values);
  });

  it('a state round trip loses nothing: continuing after it gives the sequential result exactly', () => {
    const values = generate(KINDS.DOUBLE.gen(2000), N, 15);
    const opts = options({ exactDistinctLimit: 50, exactQuantileLimit: 200 });
    const seq = accumulate('DOUBLE', opts, values);
    const restored = mergeAll('DOUBLE', opts, [structuredClone(accumulate('DOUBLE', opts, values.slice(0, 1800)).state())]);
    for (const v of values.slice(1800)) restored.add(v);
    // Same sketch, same PRNG state: even the KLL quantiles match.
    expect(restored.stats()).toEqual(seq.stats());
  });

  it('is unaffected by adds after state() and by mutating the merged state', () => {
    const opts = options();
    const worker = accumulate('INT', opts, [1, 2, 3]);
    const state = worker.state();
    worker.add(4);
    const main = mergeAll('INT', opts, [state]);
    state.exact!.set(99, 5);
    state.buf![0] = 1000;
    expect(main.stats().stats).toMatchObject({ valuesCount: 3, distinctCount: 3, max: 3, median: 2 });
  });

  it('gives a state of plain data only (structured-clone safe)', () => {
    const opts = options({ exactDistinctLimit: 5, exactQuantileLimit: 5 });
    for (const acc of [accumulate('INT', opts, [1, 2, 3]), accumulate('DOUBLE', opts, generate(KINDS.DOUBLE.gen(100), 200, 1)), accumulate('VARCHAR', opts, ['a', null])]) {
      const plain = (v: unknown): void => {
        expect(['function', 'symbol', 'bigint'].includes(typeof v)).toBe(false);
        if (v === null || typeof v !== 'object') return;
        expect([Object.prototype, Array.prototype, Map.prototype, Float64Array.prototype, Uint8Array.prototype]).toContain(Object.getPrototypeOf(v));
        if (v instanceof Map) {
          for (const [k, x] of v) {
            plain(k);
            plain(x);
          }
        }
        else if (!ArrayBuffer.isView(v)) Object.values(v).forEach(plain);
      };
      const state = acc.state();
      plain(state);
      expect(structuredClone(state)).toEqual(state);
    }
  });

  it('rejects the state of another column kind', () => {
    const opts = options();
    expect(() => accumulate('INT', opts, []).mergeState(accumulate('VARCHAR', opts, ['a']).state())).toThrow(TypeError);
  });
});
