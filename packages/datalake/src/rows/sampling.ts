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
