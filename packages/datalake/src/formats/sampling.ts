import type { ColumnBatch } from '@om/core';

/**
 * Deterministic sampling of a row stream. Same seed + same file → same sample.
 *
 * - PERCENTAGE p: each row is kept with probability p/100 (Bernoulli), drawn from a seeded PRNG
 *   in row order. No memory; the sample size is about p% of the rows (not exact).
 * - ROWS n: seeded reservoir sampling (Algorithm R) keeps exactly min(n, rows) rows, each row
 *   equally likely; memory is n rows. The kept rows are yielded in file order once the scan ends.
 *   When the row count is known up front and ≤ n, every row is passed through unbuffered.
 */
export type ProfileSampleType = 'PERCENTAGE' | 'ROWS';

export interface SamplingOptions {
  profileSample?: number;
  profileSampleType?: ProfileSampleType;
  /** PRNG seed (default DEFAULT_SAMPLE_SEED). */
  seed?: number;
  /** Rows in the table, when the format says (Parquet footer). */
  knownRowCount?: number;
}

export const DEFAULT_SAMPLE_SEED = 20240101;

/** mulberry32: a small, fast, seedable 32-bit PRNG giving floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** True when the options select fewer than all rows. */
export function samplingActive(options: SamplingOptions | undefined): boolean {
  if (!options || options.profileSample === undefined || options.profileSample === null) return false;
  const type = options.profileSampleType ?? 'PERCENTAGE';
  if (type === 'PERCENTAGE') return options.profileSample < 100;
  return !(options.knownRowCount !== undefined && options.knownRowCount <= options.profileSample);
}

/** The sampled rows; without active sampling, `rows` itself (no extra async layer per row). */
export function sampleRows<T>(rows: AsyncIterable<T>, options: SamplingOptions | undefined): AsyncIterable<T> {
  return samplingActive(options) ? sampled(rows, options!) : rows;
}

async function* sampled<T>(rows: AsyncIterable<T>, options: SamplingOptions): AsyncGenerator<T> {
  const random = seededRandom(options.seed ?? DEFAULT_SAMPLE_SEED);
  const sample = options.profileSample!;
  if ((options.profileSampleType ?? 'PERCENTAGE') === 'PERCENTAGE') {
    const p = Math.max(0, sample) / 100;
    for await (const row of rows) if (random() < p) yield row;
    return;
  }
  const n = Math.max(0, Math.floor(sample));
  if (n === 0) return;
  const kept: { index: number; row: T }[] = [];
  let seen = 0;
  for await (const row of rows) {
    if (seen < n) kept.push({ index: seen, row });
    else {
      const j = Math.floor(random() * (seen + 1));
      if (j < n) kept[j] = { index: seen, row };
    }
    seen++;
  }
  kept.sort((a, b) => a.index - b.index);
  for (const k of kept) yield k.row;
}

/** Rows per batch emitted by the ROWS reservoir. */
const RESERVOIR_BATCH_ROWS = 16_384;

/**
 * The same sampling over column batches: the PRNG is drawn exactly as `sampleRows` draws it (one
 * draw per row for PERCENTAGE; one per row past the first n for ROWS), so the same seed selects
 * the same rows on both paths. Without active sampling, `batches` itself.
 */
export function sampleBatches(batches: AsyncIterable<ColumnBatch>, options: SamplingOptions | undefined): AsyncIterable<ColumnBatch> {
  if (!samplingActive(options)) return batches;
  return (options!.profileSampleType ?? 'PERCENTAGE') === 'PERCENTAGE' ? bernoulliBatches(batches, options!) : reservoirBatches(batches, options!);
}

/**
 * The sample as row indices, for readers that decode one column at a time and must pick the same
 * rows in every column: `select(length)` takes the next `length` rows of the pass (called once per
 * block, in order) and gives the indices kept within the block, ascending (a shared buffer, valid
 * until the next call), or `undefined` for "all of them" (no active sampling). The PRNG is drawn as
 * `sampleRows`/`sampleBatches` draw it, so the same seed keeps the same rows. ROWS needs the pass's
 * row count up front (`totalRows`): the reservoir is replayed over row numbers only (n integers).
 */
export interface RowSelector {
  select(length: number): Int32Array | undefined;
  /** Rows kept in the blocks passed so far. */
  kept: number;
}

export function rowSelector(options: SamplingOptions | undefined, totalRows: number): RowSelector {
  if (!samplingActive(options)) {
    const all: RowSelector = { kept: 0, select: (length) => ((all.kept += length), undefined) };
    return all;
  }
  const random = seededRandom(options!.seed ?? DEFAULT_SAMPLE_SEED);
  let picked = new Int32Array(0);
  if ((options!.profileSampleType ?? 'PERCENTAGE') === 'PERCENTAGE') {
    const p = Math.max(0, options!.profileSample!) / 100;
    const sel: RowSelector = {
      kept: 0,
      select(length) {
        if (picked.length < length) picked = new Int32Array(length);
        let n = 0;
        for (let i = 0; i < length; i++) if (random() < p) picked[n++] = i;
        sel.kept += n;
        return picked.subarray(0, n);
      },
    };
    return sel;
  }
  // ROWS: replay Algorithm R over row numbers, then walk the kept rows in order.
  const n = Math.max(0, Math.floor(options!.profileSample!));
  const slots = new Float64Array(Math.min(n, totalRows));
  for (let seen = 0; seen < totalRows; seen++) {
    if (seen < n) slots[seen] = seen;
    else {
      const j = Math.floor(random() * (seen + 1));
      if (j < n) slots[j] = seen;
    }
  }
  slots.sort();
  let next = 0;
  let base = 0;
  const sel: RowSelector = {
    kept: 0,
    select(length) {
      if (picked.length < length) picked = new Int32Array(length);
      let k = 0;
      while (next < slots.length && slots[next] < base + length) picked[k++] = slots[next++] - base;
      base += length;
      sel.kept += k;
      return picked.subarray(0, k);
    },
  };
  return sel;
}

type Gatherable = ArrayLike<unknown> & { constructor: unknown };

/** `values` at `indices[0..n)`, as the same typed array kind when `values` is one. */
export function gather(values: ArrayLike<unknown> | undefined, indices: ArrayLike<number>, n: number): ArrayLike<unknown> {
  if (values === undefined) return new Array<unknown>(n);
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    const Typed = (values as Gatherable).constructor as new (n: number) => { [i: number]: unknown; length: number };
    const out = new Typed(n);
    for (let k = 0; k < n; k++) out[k] = values[indices[k]];
    return out as ArrayLike<unknown>;
  }
  const out = new Array<unknown>(n);
  for (let k = 0; k < n; k++) out[k] = values[indices[k]];
  return out;
}

function setColumn(columns: Record<string, ArrayLike<unknown>>, name: string, values: ArrayLike<unknown>): void {
  if (name === '__proto__') Object.defineProperty(columns, name, { value: values, enumerable: true, writable: true, configurable: true });
  else columns[name] = values;
}

async function* bernoulliBatches(batches: AsyncIterable<ColumnBatch>, options: SamplingOptions): AsyncGenerator<ColumnBatch> {
  const random = seededRandom(options.seed ?? DEFAULT_SAMPLE_SEED);
  const p = Math.max(0, options.profileSample!) / 100;
  let picked = new Int32Array(0);
  for await (const batch of batches) {
    if (picked.length < batch.length) picked = new Int32Array(batch.length);
    let n = 0;
    for (let i = 0; i < batch.length; i++) if (random() < p) picked[n++] = i;
    if (n === 0) continue;
    const columns: Record<string, ArrayLike<unknown>> = {};
    for (const name of Object.keys(batch.columns)) setColumn(columns, name, gather(batch.columns[name], picked, n));
    yield { length: n, columns };
  }
}

async function* reservoirBatches(batches: AsyncIterable<ColumnBatch>, options: SamplingOptions): AsyncGenerator<ColumnBatch> {
  const random = seededRandom(options.seed ?? DEFAULT_SAMPLE_SEED);
  const n = Math.max(0, Math.floor(options.profileSample!));
  if (n === 0) return;
  /** Row number (in the pass) held by each slot. */
  const rowOf: number[] = [];
  /** Values by column, then slot. */
  const kept = new Map<string, unknown[]>();
  let seen = 0;
  for await (const batch of batches) {
    const names = Object.keys(batch.columns);
    const stores = names.map((name) => {
      let store = kept.get(name);
      if (!store) kept.set(name, (store = []));
      return store;
    });
    const cols = names.map((name) => batch.columns[name]);
    for (let i = 0; i < batch.length; i++, seen++) {
      let slot: number;
      if (seen < n) slot = seen;
      else {
        slot = Math.floor(random() * (seen + 1));
        if (slot >= n) continue;
      }
      rowOf[slot] = seen;
      for (let c = 0; c < cols.length; c++) stores[c][slot] = cols[c][i];
      // A column absent from this batch has no value for this row.
      if (kept.size > cols.length) for (const [name, store] of kept) if (!(name in batch.columns)) store[slot] = undefined;
    }
  }
  const slots = rowOf.map((_, slot) => slot).sort((a, b) => rowOf[a] - rowOf[b]);
  for (let start = 0; start < slots.length; start += RESERVOIR_BATCH_ROWS) {
    const part = slots.slice(start, start + RESERVOIR_BATCH_ROWS);
    const columns: Record<string, ArrayLike<unknown>> = {};
    for (const [name, store] of kept) setColumn(columns, name, gather(store, part, part.length));
    yield { length: part.length, columns };
  }
}
