/**
 * One column's streaming accumulator: counts, moments (Welford), lengths, distinct values and
 * quantiles, exact up to configured bounds and sketched past them. Memory is bounded per
 * column by `exactDistinctLimit` keys and `exactQuantileLimit` numbers (plus a 2^p-byte
 * HyperLogLog and a ~3k-item KLL sketch once switched).
 */
import type { Column, ColumnProfile } from '@om/core';
import { hashAsciiBytes, hashKey, hashNumberAt, lastHash } from '../sketches/hash';
import { HyperLogLog } from '../sketches/hll';
import { KllSketch, type KllState } from '../sketches/kll';
import { NumberCounts } from './number-counts';
import { binIndex, histogramFrom, planBins, quantileSorted } from './quantiles';
import type { ColumnMetric } from './registry';
import {
  codePointLength,
  columnKind,
  CSV_NULL_FIRST_BYTES,
  CSV_NULL_MAX_LENGTH,
  dateTimeFromAsciiTo,
  INVALID,
  isNullText,
  makeCoercer,
  NULL,
  numberFromAsciiTo,
  parseDateTime,
  parseNumber,
  type Coerced,
  type ColumnKind,
  type Coercer,
} from './types';

export interface AccumulatorLimits {
  /** Distinct values kept exactly per column before switching to HyperLogLog. */
  exactDistinctLimit: number;
  /** Numeric values kept exactly per column (for quantiles/histogram) before switching to KLL. */
  exactQuantileLimit: number;
  /** HyperLogLog precision p (m = 2^p registers). */
  hllPrecision: number;
  /** KLL accuracy parameter k. */
  quantileSketchK: number;
  /** Maximum histogram bins. */
  histogramMaxBins: number;
  /** Seed of the KLL coin flips (reproducible results). */
  seed: number;
}

export const DEFAULT_LIMITS: AccumulatorLimits = {
  exactDistinctLimit: 20_000,
  exactQuantileLimit: 100_000,
  hllPrecision: 14,
  quantileSketchK: 200,
  histogramMaxBins: 100,
  seed: 1,
};

export interface AccumulatorOptions {
  trackDistinct: boolean;
  trackQuantiles: boolean;
  limits: AccumulatorLimits;
  /** Read pandas' NA strings as nulls (CSV/TSV). */
  csvNulls: boolean;
}

/** Every metric the accumulator can give, before selection. */
export type ColumnStats = Partial<Omit<ColumnProfile, 'name' | 'timestamp'>> & {
  /** Non-null values that could not be read as the column's type. */
  invalidCount: number;
};

/** A distinct-value key: the coerced value (number, string or boolean). */
export type DistinctKey = number | string | boolean;
type Key = DistinctKey;

/**
 * Everything a `ColumnAccumulator` holds, as plain data that survives `postMessage`'s structured
 * clone (numbers, Maps, typed arrays, arrays): worker threads send it, the main thread folds it in
 * with `mergeState`. Distinct-value fields follow the accumulator's mode: `exact` before the
 * switch, `hll` + `sample` + `sampleLevel` after it; quantile fields likewise (`buf` or `kll`).
 */
export interface AccumulatorState {
  kind: ColumnKind;
  nulls: number;
  values: number;
  invalid: number;
  /** Numbers (numeric, datetime, time) or strings (string kind) seen. */
  n: number;
  mean: number;
  m2: number;
  sum: number;
  sumComp: number;
  min: number;
  max: number;
  minLen: number;
  maxLen: number;
  lenSum: number;
  /** Exact count per distinct value. */
  exact?: Map<DistinctKey, number>;
  /** HyperLogLog registers. */
  hll?: Uint8Array;
  /** Exact counts of the distinct values whose hash passes `sampleLevel`. */
  sample?: Map<DistinctKey, number>;
  sampleLevel: number;
  /** The exact numbers kept for quantiles (exactly the values, no spare capacity). */
  buf?: Float64Array;
  kll?: KllState;
}

/**
 * A key safe to keep: a string cut from a parser's text chunk (a V8 sliced string) would keep the
 * whole chunk alive as long as the key stays in a map, so kept strings are copied once (a new
 * distinct key is rare next to the values that only count).
 */
function retainable(key: Key): Key {
  return typeof key === 'string' && key.length >= 13 ? (' ' + key).slice(1) : key;
}

/** Exact counts per key: a Map, or typed arrays for a number column's distinct sample. */
type Counts = Map<Key, number> | NumberCounts;

/** Adds `count` occurrences of key to a count map; true when the key is new. */
function addCount(map: Counts, key: Key, count: number): boolean {
  if (map instanceof NumberCounts) return map.add(key as number, count);
  const c = map.get(key);
  if (c !== undefined) {
    map.set(key, c + count);
    return false;
  }
  map.set(retainable(key), count);
  return true;
}

/** Distinct keys of byte cells kept for reuse per accumulator (exact mode; a few hundred KB at most). */
const KEY_CACHE_SIZE = 4096;

/** Accumulators by column name (a column may have several: `includeColumns` listed twice). */
export function accumulatorsByColumn(accumulators: ColumnAccumulator[]): Map<string, ColumnAccumulator[]> {
  const byName = new Map<string, ColumnAccumulator[]>();
  for (const a of accumulators) {
    const same = byName.get(a.name);
    if (same) same.push(a);
    else byName.set(a.name, [a]);
  }
  return byName;
}

export class ColumnAccumulator {
  readonly kind: ColumnKind;
  readonly coerce: Coercer;
  nulls = 0;
  values = 0;
  invalid = 0;

  // numbers (numeric, datetime, time)
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private sum = 0;
  private sumComp = 0;
  private min = Infinity;
  private max = -Infinity;

  // string lengths
  private minLen = Infinity;
  private maxLen = -Infinity;
  private lenSum = 0;

  // distinct / unique
  /** Distinct values are counted (`exact`, or `hll` after the switch): one flag for hot paths. */
  private readonly tracksDistinct: boolean;
  private exact: Map<Key, number> | undefined;
  private hll: HyperLogLog | undefined;
  /** After the switch: exact counts of a hash-sampled subset of the distinct values. */
  private sample: Counts | undefined;
  private sampleLevel = 0;

  /** Distinct keys of byte cells by hash (exact mode): a repeated cell needs no new string. */
  private keyCache: Map<number, string> | undefined;

  // quantiles
  private buf: Float64Array | undefined;
  private bufLen = 0;
  /** `addNumber`'s one value, and a chunk's parsed numbers (see `addNumbers`). */
  private readonly one = new Float64Array(1);
  private scratch = new Float64Array(0);
  private counts = new Int32Array(0);
  private kll: KllSketch | undefined;
  private statsCache: { stats: ColumnStats; approximate: ColumnMetric[] } | undefined;

  constructor(
    readonly column: Column,
    private readonly options: AccumulatorOptions,
  ) {
    this.kind = columnKind(column.dataType);
    this.coerce = makeCoercer(this.kind, options.csvNulls);
    const countsOnly = this.kind === 'nested' || this.kind === 'opaque';
    this.tracksDistinct = options.trackDistinct && !countsOnly;
    if (this.tracksDistinct) this.exact = new Map();
    if (options.trackQuantiles && this.kind === 'numeric') this.buf = new Float64Array(Math.min(1024, Math.max(1, options.limits.exactQuantileLimit)));
  }

  get name(): string {
    return this.column.name;
  }

  /** Adds one raw value; returns its coerced form (for callers that evaluate rows too). */
  add(raw: unknown): Coerced {
    const v = this.coerce(raw);
    this.statsCache = undefined;
    if (v === NULL) {
      this.nulls++;
      return v;
    }
    this.values++;
    if (v === INVALID) {
      this.invalid++;
      return v;
    }
    switch (this.kind) {
      case 'numeric':
      case 'datetime':
      case 'time':
        this.addNumber(v as number);
        break;
      case 'string':
        this.addLength(v as string);
        break;
      case 'nested':
      case 'opaque':
        return v;
      default:
        break;
    }
    if (this.exact || this.hll) this.addDistinct(v as Key);
    return v;
  }

  /**
   * Adds values[0..n) (a column of a batch); an absent column is n missing values. Same result
   * as n calls of `add`, without the per-value call from the consumer's loop.
   */
  addColumn(values: ArrayLike<unknown> | undefined, n: number): void {
    if (n <= 0) return;
    this.statsCache = undefined;
    if (values === undefined) {
      this.nulls += n;
      return;
    }
    if (values instanceof Float64Array && (this.kind === 'numeric' || this.kind === 'datetime' || this.kind === 'time')) {
      this.addFloat64Column(values, n);
      return;
    }
    if (Array.isArray(values) && (this.kind === 'numeric' || this.kind === 'datetime')) {
      this.addTextNumberColumn(values, n);
      return;
    }
    for (let i = 0; i < n; i++) this.add(values[i]);
  }

  /**
   * `add` for a plain array (CSV text) of a number or date column: text is parsed by
   * `countTextNumber` and its numbers counted together in typed-array loops, not returned through
   * the coercer (whose number-or-symbol result is a heap number per value); anything but text goes
   * through `add`. Same rules as the coercer.
   */
  private addTextNumberColumn(values: unknown[], n: number): void {
    const xs = this.numberScratch(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const raw = values[i];
      if (typeof raw !== 'string') {
        // In order: the numbers before it first.
        this.addNumbers(xs, k);
        k = 0;
        this.add(raw);
        continue;
      }
      const x = this.countTextNumber(raw);
      if (x === x) xs[k++] = x;
    }
    this.addNumbers(xs, k);
  }

  /** A reused array for a chunk's numbers (grown to the largest chunk). */
  private numberScratch(n: number): Float64Array {
    if (this.scratch.length < n) this.scratch = new Float64Array(Math.max(n, 2 * this.scratch.length));
    return this.scratch;
  }

  /**
   * Adds n values given as indexes into their dictionary of distinct values (`indexes[i] < 0`: a
   * missing value): the same result as `addColumn` of `dictionary[indexes[i]]`, with each distinct
   * value's length, coercion and distinct-value key handled once per chunk (`count` times) instead
   * of once per row. Numbers still reach the statistics and quantiles one by one, in row order
   * (a KLL sketch depends on the order); distinct counts do not depend on it.
   */
  addDictionaryColumn(dictionary: ArrayLike<unknown>, indexes: Int32Array, n: number): void {
    if (n <= 0) return;
    this.statsCache = undefined;
    const kind = this.kind;
    const numbers = dictionary instanceof Float64Array && (kind === 'numeric' || kind === 'datetime' || kind === 'time');
    if (!numbers && kind !== 'string') {
      const values = new Array<unknown>(n);
      for (let i = 0; i < n; i++) values[i] = indexes[i] < 0 ? null : dictionary[indexes[i]];
      this.addColumn(values, n);
      return;
    }
    const counts = this.countScratch(dictionary.length);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const k = indexes[i];
      if (k < 0) missing++;
      else counts[k]++;
    }
    if (numbers) {
      // As addFloat64Column: NaN (a missing row here) is null.
      const xs = this.numberScratch(n);
      let nulls = 0;
      for (let i = 0; i < n; i++) {
        const k = indexes[i];
        const x = k < 0 ? NaN : dictionary[k];
        xs[i] = x;
        if (x !== x) nulls++;
      }
      this.nulls += nulls;
      this.values += n - nulls;
      this.addNumbers(xs, n, false);
      if (this.tracksDistinct) {
        for (let k = 0; k < dictionary.length; k++) {
          const x = dictionary[k];
          if (counts[k] > 0 && x === x) this.addDistinctCounted(x, counts[k]);
        }
      }
      return;
    }
    this.nulls += missing;
    for (let k = 0; k < dictionary.length; k++) {
      const count = counts[k];
      if (count === 0) continue;
      const v = this.coerce(dictionary[k]);
      if (v === NULL) {
        this.nulls += count;
        continue;
      }
      this.values += count;
      if (v === INVALID) {
        this.invalid += count;
        continue;
      }
      const len = codePointLength(v as string);
      if (len < this.minLen) this.minLen = len;
      if (len > this.maxLen) this.maxLen = len;
      this.lenSum += len * count;
      this.n += count;
      if (this.tracksDistinct) this.addDistinctCounted(v as Key, count);
    }
  }

  /** A zeroed count per dictionary entry (reused). */
  private countScratch(n: number): Int32Array {
    if (this.counts.length < n) this.counts = new Int32Array(Math.max(n, 2 * this.counts.length));
    const counts = this.counts.subarray(0, n);
    counts.fill(0);
    return counts;
  }

  /** `count` occurrences of one distinct key (the per-row `addDistinct`, `count` times). */
  private addDistinctCounted(key: Key, count: number): void {
    const exact = this.exact;
    if (exact) {
      if (addCount(exact, key, count) && exact.size > this.options.limits.exactDistinctLimit) this.switchDistinctToSketch();
      return;
    }
    hashKey(key);
    this.hll!.addHash(lastHash.h1, lastHash.h2);
    if (this.inSample(lastHash.h1)) this.addSampled(key, count);
  }

  /**
   * Adds the text cells `bytes[starts[i], ends[i])` for i < n (`starts[i] < 0`: a missing cell),
   * UTF-8 text as a CSV row reader would have made strings of: the same result as `addColumn` of
   * those strings. Numbers, dates and ASCII text are read from the bytes (numbers and dates
   * parsed, text hashed and measured); a string is made only for a new distinct key, a sampled
   * key, and cells the byte readers leave to the string rules.
   */
  addTextCells(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, n: number): void {
    if (n <= 0) return;
    this.statsCache = undefined;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const kind = this.kind;
    if (kind === 'numeric' || kind === 'datetime') {
      const dates = kind === 'datetime';
      const xs = this.numberScratch(n);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const s = starts[i];
        if (s < 0) {
          this.nulls++;
          continue;
        }
        const e = ends[i];
        if (dates) dateTimeFromAsciiTo(bytes, s, e, xs, k);
        else numberFromAsciiTo(bytes, s, e, xs, k);
        const x = xs[k];
        if (x !== x) {
          const y = this.countTextNumber(text.toString('utf8', s, e));
          if (y === y) xs[k++] = y;
          continue;
        }
        this.values++;
        k++;
      }
      this.addNumbers(xs, k);
      return;
    }
    if (kind !== 'string') {
      const values = new Array<string | null>(n);
      for (let i = 0; i < n; i++) values[i] = starts[i] < 0 ? null : text.toString('utf8', starts[i], ends[i]);
      this.addColumn(values, n);
      return;
    }
    const csvNulls = this.options.csvNulls;
    for (let i = 0; i < n; i++) {
      const s = starts[i];
      if (s < 0) {
        this.nulls++;
        continue;
      }
      const e = ends[i];
      const len = e - s;
      if (!hashAsciiBytes(bytes, s, e) || (csvNulls && len <= CSV_NULL_MAX_LENGTH && (len === 0 || CSV_NULL_FIRST_BYTES[bytes[s]] === 1))) {
        this.add(text.toString('utf8', s, e));
        continue;
      }
      this.values++;
      // ASCII: one code point per byte.
      if (len < this.minLen) this.minLen = len;
      if (len > this.maxLen) this.maxLen = len;
      this.lenSum += len;
      this.n++;
      if (this.exact) this.addDistinct(this.cachedKey(text, s, e, lastHash.h1));
      else if (this.hll) {
        this.hll.addHash(lastHash.h1, lastHash.h2);
        if (this.inSample(lastHash.h1)) this.addSampled(text.toString('latin1', s, e));
      }
    }
  }

  /** The string of the ASCII cell `text[s, e)` whose hash is h1, from the cache when it was seen. */
  private cachedKey(text: Buffer, s: number, e: number, h1: number): string {
    const cache = (this.keyCache ??= new Map());
    const hit = cache.get(h1);
    if (hit !== undefined && hit.length === e - s) {
      let same = true;
      for (let i = 0; i < hit.length; i++) {
        if (hit.charCodeAt(i) !== text[s + i]) {
          same = false;
          break;
        }
      }
      if (same) return hit;
    }
    const key = text.toString('latin1', s, e);
    if (hit === undefined && cache.size < KEY_CACHE_SIZE) cache.set(h1, key);
    return key;
  }

  /**
   * One text cell of a number or date column, by the coercer's rules (CSV null texts, number and
   * date parsing): counted as a null, an invalid value or a value; its number, or NaN when it has none.
   */
  private countTextNumber(raw: string): number {
    if (isNullText(raw, this.options.csvNulls, true)) {
      this.nulls++;
      return NaN;
    }
    const x = this.kind === 'datetime' ? parseDateTime(raw) : parseNumber(raw);
    this.values++;
    if (x === undefined) {
      this.invalid++;
      return NaN;
    }
    return x;
  }

  /**
   * `add` for a Float64Array of a number column (NaN is null, as the coercer reads it), without the
   * coercer: a double returned through `add`'s value union is boxed into a heap number, one
   * allocation per value, which was most of a Parquet profile's garbage.
   */
  private addFloat64Column(values: Float64Array, n: number): void {
    let nulls = 0;
    for (let i = 0; i < n; i++) if (values[i] !== values[i]) nulls++;
    this.nulls += nulls;
    this.values += n - nulls;
    this.addNumbers(values, n);
  }

  /**
   * The numbers xs[0..n) (NaN skipped) into every number metric, each in their order: statistics,
   * quantiles and (with `distinct`) distinct values. Each loop reads the doubles straight from the
   * typed array; handing each one to a method instead boxes it into a heap number (most of a
   * profile's garbage).
   */
  private addNumbers(xs: Float64Array, n: number, distinct = true): void {
    if (n <= 0) return;
    this.addNumberStats(xs, n);
    if (this.kind === 'numeric') this.addQuantileNumbers(xs, n);
    if (distinct && this.tracksDistinct) this.addDistinctNumbers(xs, n);
  }

  /**
   * Count, min, max, mean, M2 and sum of xs[0..n) (NaN skipped). Hot loops live in methods of their
   * own, with nothing after the loop whose path changes between calls: V8 compiles a long loop while
   * it runs (on-stack replacement), and such code, without type feedback for a path first taken
   * later, was thrown away again on every later call.
   */
  private addNumberStats(xs: Float64Array, n: number): void {
    const numeric = this.kind === 'numeric';
    let count = this.n;
    let min = this.min;
    let max = this.max;
    let mean = this.mean;
    let m2 = this.m2;
    let sum = this.sum;
    let sumComp = this.sumComp;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      if (x !== x) continue;
      count++;
      if (x < min) min = x;
      if (x > max) max = x;
      if (!numeric) continue;
      // Welford's running mean / M2, and Neumaier-compensated sum.
      const delta = x - mean;
      mean += delta / count;
      m2 += delta * (x - mean);
      const t = sum + x;
      if (Math.abs(sum) >= Math.abs(x)) sumComp += sum - t + x;
      else sumComp += x - t + sum;
      sum = t;
    }
    this.n = count;
    this.min = min;
    this.max = max;
    this.mean = mean;
    this.m2 = m2;
    this.sum = sum;
    this.sumComp = sumComp;
  }

  /** xs[0..n) (NaN skipped) into the exact buffer, then (once it is full) the KLL sketch. */
  private addQuantileNumbers(xs: Float64Array, n: number): void {
    const from = this.buf ? this.addBufferedNumbers(xs, n) : 0;
    if (from < n) this.kll?.updateAll(xs, from, n);
  }

  /** xs[0..) into the exact buffer until it is full and becomes the sketch: the index of the first value not added. */
  private addBufferedNumbers(xs: Float64Array, n: number): number {
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      if (x !== x) continue;
      if (this.bufLen === this.buf!.length) {
        if (this.bufLen >= this.options.limits.exactQuantileLimit) {
          this.switchQuantilesToSketch();
          return i; // x goes to the sketch
        }
        const grown = new Float64Array(Math.min(this.buf!.length * 2, this.options.limits.exactQuantileLimit));
        grown.set(this.buf!);
        this.buf = grown;
      }
      this.buf![this.bufLen++] = x;
    }
    return n;
  }

  /**
   * `addDistinct` of xs[0..n) (NaN skipped), without boxing each number through the key union. The
   * exact and the sketch mode loop in separate methods: V8 optimizes a loop while it runs (on-stack
   * replacement), and code compiled during the exact mode, without type feedback for the sketch
   * branch, was thrown away again on every later call.
   */
  private addDistinctNumbers(xs: Float64Array, n: number): void {
    const from = this.exact ? this.addExactNumbers(xs, n) : 0;
    if (from < n && this.hll) this.addSketchedNumbers(xs, from, n);
  }

  /** Exact counts of xs[0..) until the switch to the sketch: the index after the last value counted. */
  private addExactNumbers(xs: Float64Array, n: number): number {
    const exact = this.exact!;
    const limit = this.options.limits.exactDistinctLimit;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      if (x !== x) continue;
      const c = exact.get(x);
      if (c !== undefined) exact.set(x, c + 1);
      else {
        exact.set(x, 1);
        if (exact.size > limit) {
          this.switchDistinctToSketch();
          return i + 1;
        }
      }
    }
    return n;
  }

  /** xs[from..n) (NaN skipped) into the HyperLogLog and the hash-sampled exact counts. */
  private addSketchedNumbers(xs: Float64Array, from: number, n: number): void {
    const hll = this.hll!;
    for (let i = from; i < n; i++) {
      const x = xs[i];
      if (x !== x) continue;
      hashNumberAt(xs, i);
      hll.addHash(lastHash.h1, lastHash.h2);
      if (this.inSample(lastHash.h1)) this.addSampled(x);
    }
  }

  /** A value (`count` of it) whose hash is in the sample (sketch mode), counted exactly. */
  private addSampled(key: Key, count = 1): void {
    const sample = this.sample!;
    if (addCount(sample, key, count) && sample.size > this.options.limits.exactDistinctLimit) this.raiseSampleLevel();
  }

  /** One number (the `add` path, which counts its distinct key itself). */
  private addNumber(x: number): void {
    this.one[0] = x;
    this.addNumbers(this.one, 1, false);
  }

  private switchQuantilesToSketch(): void {
    const { quantileSketchK, seed } = this.options.limits;
    this.kll = new KllSketch(quantileSketchK, seed);
    this.kll.updateAll(this.buf!, 0, this.bufLen);
    this.buf = undefined;
    this.bufLen = 0;
  }

  private addLength(s: string): void {
    const len = codePointLength(s);
    if (len < this.minLen) this.minLen = len;
    if (len > this.maxLen) this.maxLen = len;
    this.lenSum += len;
    this.n++;
  }

  private addDistinct(key: Key): void {
    const exact = this.exact;
    if (exact) {
      const c = exact.get(key);
      if (c !== undefined) exact.set(key, c + 1);
      else {
        exact.set(retainable(key), 1);
        if (exact.size > this.options.limits.exactDistinctLimit) this.switchDistinctToSketch();
      }
      return;
    }
    hashKey(key);
    this.hll!.addHash(lastHash.h1, lastHash.h2);
    if (this.inSample(lastHash.h1)) this.addSampled(key);
  }

  /** A value is in the sample when the low `sampleLevel` bits of its hash are all zero. */
  private inSample(h1: number): boolean {
    return this.sampleLevel === 0 || (h1 & ((1 << this.sampleLevel) - 1)) === 0;
  }

  private switchDistinctToSketch(): void {
    this.keyCache = undefined;
    this.hll = new HyperLogLog(this.options.limits.hllPrecision);
    const numbers = this.kind === 'numeric' || this.kind === 'datetime' || this.kind === 'time';
    this.sample = numbers ? NumberCounts.from(this.exact!, this.options.limits.exactDistinctLimit + 1) : this.exact;
    this.exact = undefined;
    for (const key of this.sample!.keys()) {
      hashKey(key);
      this.hll.addHash(lastHash.h1, lastHash.h2);
    }
    this.raiseSampleLevel();
  }

  private raiseSampleLevel(): void {
    const sample = this.sample!;
    while (sample.size > this.options.limits.exactDistinctLimit && this.sampleLevel < 30) {
      this.sampleLevel++;
      this.pruneSample();
    }
  }

  /** Drops the sampled keys whose hash is not in the sample at the current level. */
  private pruneSample(): void {
    const sample = this.sample!;
    if (sample instanceof NumberCounts) {
      sample.retain((key) => {
        hashKey(key);
        return this.inSample(lastHash.h1);
      });
      return;
    }
    for (const key of sample.keys()) {
      hashKey(key);
      if (!this.inSample(lastHash.h1)) sample.delete(key);
    }
  }

  /**
   * A snapshot of everything this accumulator holds (copies: later adds do not change it), safe
   * for `postMessage`. `mergeState` on another accumulator of the same column and options folds
   * it in.
   */
  state(): AccumulatorState {
    return {
      kind: this.kind,
      nulls: this.nulls,
      values: this.values,
      invalid: this.invalid,
      n: this.n,
      mean: this.mean,
      m2: this.m2,
      sum: this.sum,
      sumComp: this.sumComp,
      min: this.min,
      max: this.max,
      minLen: this.minLen,
      maxLen: this.maxLen,
      lenSum: this.lenSum,
      exact: this.exact && new Map(this.exact),
      hll: this.hll?.exportRegisters(),
      sample: this.sample && new Map(this.sample),
      sampleLevel: this.sampleLevel,
      buf: this.buf?.slice(0, this.bufLen),
      kll: this.kll?.toState(),
    };
  }

  /**
   * Folds the state of another accumulator (same column and options, other rows) into this one,
   * giving what one accumulator over both sets of rows would hold: counts, lengths, min/max and
   * distinct/unique counts exactly (see `mergeDistinct`); exact quantiles exactly while all
   * numbers fit `exactQuantileLimit`; mean/variance/sum up to rounding (Chan et al.).
   */
  mergeState(s: AccumulatorState): void {
    if (s.kind !== this.kind) throw new TypeError(`cannot merge a ${s.kind} column state into ${this.kind} column ${this.name}`);
    this.statsCache = undefined;
    this.nulls += s.nulls;
    this.values += s.values;
    this.invalid += s.invalid;
    if (s.min < this.min) this.min = s.min;
    if (s.max > this.max) this.max = s.max;
    if (s.minLen < this.minLen) this.minLen = s.minLen;
    if (s.maxLen > this.maxLen) this.maxLen = s.maxLen;
    this.lenSum += s.lenSum;
    if (s.n > 0) {
      const na = this.n;
      const n = na + s.n;
      if (na === 0) {
        this.mean = s.mean;
        this.m2 = s.m2;
      } else {
        // Chan et al.'s pairwise combination of (n, mean, M2).
        const delta = s.mean - this.mean;
        this.mean += (delta * s.n) / n;
        this.m2 += s.m2 + ((delta * delta * na) / n) * s.n;
      }
      this.n = n;
      // Neumaier: the other's compensation joins ours, then its sum is one compensated step.
      this.sumComp += s.sumComp;
      const t = this.sum + s.sum;
      if (Math.abs(this.sum) >= Math.abs(s.sum)) this.sumComp += this.sum - t + s.sum;
      else this.sumComp += s.sum - t + this.sum;
      this.sum = t;
    }
    this.mergeDistinct(s);
    this.mergeQuantiles(s);
  }

  /**
   * Distinct counting merges EXACTLY into the sequential result, because that result does not
   * depend on the order of the values: past the switch the HLL registers are a max over the
   * distinct keys, and the sample level is the smallest level whose hash subset of all distinct
   * keys fits the limit, every sampled key counted exactly (it has passed the level since its
   * first occurrence). Each side's sample level is at most the merged one, so every key the
   * merged sample needs is in every side's sample (or exact map) with its exact count.
   */
  private mergeDistinct(s: AccumulatorState): void {
    if (!this.exact && !this.hll) return;
    if (s.exact && this.exact) {
      for (const [key, count] of s.exact) addCount(this.exact, key, count);
      if (this.exact.size > this.options.limits.exactDistinctLimit) this.switchDistinctToSketch();
      return;
    }
    if (!s.exact && !s.hll) return;
    // One side is past the switch, so all rows together are too.
    if (this.exact) this.switchDistinctToSketch();
    const hll = this.hll!;
    if (s.hll) {
      hll.merge(s.hll);
      this.setSampleLevelAtLeast(s.sampleLevel);
      if (s.sample) {
        for (const [key, count] of s.sample) {
          hashKey(key);
          if (this.inSample(lastHash.h1)) this.addSampled(key, count);
        }
      }
    } else {
      for (const [key, count] of s.exact!) {
        hashKey(key);
        hll.addHash(lastHash.h1, lastHash.h2);
        if (this.inSample(lastHash.h1)) this.addSampled(key, count);
      }
    }
  }

  private setSampleLevelAtLeast(level: number): void {
    if (level <= this.sampleLevel) return;
    this.sampleLevel = level;
    this.pruneSample();
  }

  /**
   * Exact buffers concatenate while all numbers fit `exactQuantileLimit` (the sorted result is
   * then the sequential one); otherwise the numbers go to a KLL sketch, as they would have.
   */
  private mergeQuantiles(s: AccumulatorState): void {
    if (s.kll) {
      const other = KllSketch.fromState(s.kll);
      if (this.kll) this.kll.merge(other);
      else if (this.buf) {
        other.updateAll(this.buf, 0, this.bufLen);
        this.kll = other;
        this.buf = undefined;
        this.bufLen = 0;
      }
      return;
    }
    const add = s.buf;
    if (!add || add.length === 0) return;
    if (this.buf) {
      const limit = this.options.limits.exactQuantileLimit;
      const needed = this.bufLen + add.length;
      if (needed <= limit) {
        if (needed > this.buf.length) {
          const grown = new Float64Array(Math.min(limit, Math.max(needed, this.buf.length * 2)));
          grown.set(this.buf.subarray(0, this.bufLen));
          this.buf = grown;
        }
        this.buf.set(add, this.bufLen);
        this.bufLen = needed;
        return;
      }
      this.switchQuantilesToSketch();
    }
    const kll = this.kll;
    kll?.updateAll(add, 0, add.length);
  }

  /** Values held in memory: exact distinct keys (or the sample), exact numbers, sketch items. */
  retainedValueCount(): { distinct: number; quantile: number } {
    return {
      distinct: (this.exact?.size ?? 0) + (this.sample?.size ?? 0),
      quantile: this.bufLen + (this.kll?.retained ?? 0),
    };
  }

  get distinctIsApproximate(): boolean {
    return this.hll !== undefined;
  }

  get quantilesAreApproximate(): boolean {
    return this.kll !== undefined;
  }

  /** All metrics this column can give, plus the names of the approximate ones. */
  stats(): { stats: ColumnStats; approximate: ColumnMetric[] } {
    if (this.statsCache) return this.statsCache;
    const s: ColumnStats = { invalidCount: this.invalid };
    const approximate: ColumnMetric[] = [];
    const total = this.nulls + this.values;
    s.valuesCount = this.values;
    s.nullCount = this.nulls;
    if (total > 0) s.nullProportion = this.nulls / total;
    if (this.invalid > 0) s.validCount = this.values - this.invalid;
    const valid = this.values - this.invalid;

    if (this.exact || this.hll) {
      let distinct: number;
      let unique: number;
      if (this.exact) {
        distinct = this.exact.size;
        unique = 0;
        for (const c of this.exact.values()) if (c === 1) unique++;
      } else {
        distinct = Math.min(valid, Math.max(this.sample!.size, Math.round(this.hll!.estimate())));
        let singles = 0;
        for (const c of this.sample!.values()) if (c === 1) singles++;
        unique = this.sample!.size > 0 ? Math.round((distinct * singles) / this.sample!.size) : 0;
        approximate.push('distinctCount', 'distinctProportion', 'uniqueCount', 'uniqueProportion', 'duplicateCount');
      }
      s.distinctCount = distinct;
      s.uniqueCount = Math.min(unique, distinct);
      s.duplicateCount = Math.max(0, valid - distinct);
      if (this.values > 0) {
        s.distinctProportion = distinct / this.values;
        s.uniqueProportion = s.uniqueCount / this.values;
      }
    }

    if (this.kind === 'numeric' || this.kind === 'datetime' || this.kind === 'time') {
      if (this.n > 0) {
        s.min = this.min;
        s.max = this.max;
      }
    }
    if (this.kind === 'numeric' && this.n > 0) {
      s.mean = this.mean;
      s.sum = this.sum + this.sumComp;
      if (this.n > 1) {
        s.variance = this.m2 / (this.n - 1);
        s.stddev = Math.sqrt(s.variance);
      }
      this.quantileStats(s, approximate);
    }
    if (this.kind === 'string' && this.n > 0) {
      s.minLength = this.minLen;
      s.maxLength = this.maxLen;
      s.mean = this.lenSum / this.n;
    }
    this.statsCache = { stats: s, approximate };
    return this.statsCache;
  }

  private quantileStats(s: ColumnStats, approximate: ColumnMetric[]): void {
    const maxBins = this.options.limits.histogramMaxBins;
    if (this.buf) {
      const sorted = this.buf.subarray(0, this.bufLen).sort();
      s.median = quantileSorted(sorted, 0.5);
      s.firstQuartile = quantileSorted(sorted, 0.25);
      s.thirdQuartile = quantileSorted(sorted, 0.75);
      s.interQuartileRange = s.thirdQuartile! - s.firstQuartile!;
      const plan = planBins(this.n, this.min, this.max, s.interQuartileRange, maxBins);
      if (plan) {
        const freq = new Array<number>(plan.edges.length).fill(0);
        for (let i = 0; i < sorted.length; i++) freq[binIndex(plan, sorted[i])]++;
        s.histogram = histogramFrom(plan, freq);
      }
    } else if (this.kll) {
      s.median = this.kll.quantile(0.5);
      s.firstQuartile = this.kll.quantile(0.25);
      s.thirdQuartile = this.kll.quantile(0.75);
      s.interQuartileRange = s.thirdQuartile! - s.firstQuartile!;
      const plan = planBins(this.n, this.min, this.max, s.interQuartileRange, maxBins);
      if (plan) {
        const freq = new Array<number>(plan.edges.length).fill(0);
        this.kll.forEachWeighted((v, w) => (freq[binIndex(plan, v)] += w));
        s.histogram = histogramFrom(plan, freq);
      }
      approximate.push('median', 'firstQuartile', 'thirdQuartile', 'interQuartileRange', 'nonParametricSkew', 'histogram');
    } else return;
    if (s.stddev !== undefined && s.stddev > 0 && s.median !== undefined) {
      s.nonParametricSkew = (this.mean - s.median) / s.stddev;
    }
  }
}
