/** Exact quantiles and the Freedman–Diaconis histogram (OpenMetadata's binning rules). */
import type { Histogram } from '@om/core';

/** pandas `Series.quantile(q)` (linear interpolation) on ascending values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  return frac === 0 ? sorted[lo] : sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

export const DEFAULT_MAX_BINS = 100;

export interface BinPlan {
  /** Lower edge of every bin; the last bin is open (`x and up`). */
  edges: number[];
  width: number;
}

/**
 * Bin plan from count, min, max and IQR:
 * 1. Freedman–Diaconis width `2·IQR·n^(−1/3)`; when IQR = 0 the width is 1 (OpenMetadata's
 *    fallback); bins = ⌈(max − min) / width⌉;
 * 2. more than `maxBins` bins (or no IQR) → Sturges: ⌈log2(n) + 1⌉ equal bins over [min, max];
 * 3. still more than `maxBins` → `maxBins` equal bins.
 * max = min (a constant column) gives one bin holding every value (OpenMetadata reports none).
 */
export function planBins(n: number, min: number, max: number, iqr: number | undefined, maxBins = DEFAULT_MAX_BINS): BinPlan | undefined {
  if (n <= 0 || !Number.isFinite(min) || !Number.isFinite(max)) return undefined;
  if (max === min) return { edges: [min], width: 0 };
  let bins: number;
  let width: number;
  if (iqr !== undefined && Number.isFinite(iqr)) {
    width = iqr === 0 ? 1 : 2 * iqr * n ** (-1 / 3);
    bins = Math.ceil((max - min) / width);
  } else {
    bins = Infinity;
    width = 0;
  }
  if (bins > maxBins) {
    bins = Math.ceil(Math.log2(n) + 1);
    width = (max - min) / bins;
  }
  if (bins > maxBins) {
    bins = maxBins;
    width = (max - min) / bins;
  }
  const edges: number[] = [];
  for (let i = 0; i < bins; i++) edges.push(min + i * width);
  return { edges, width };
}

/** Index of the bin holding x (bins are [edge_i, edge_{i+1}), the last one open-ended). */
export function binIndex(plan: BinPlan, x: number): number {
  const { edges, width } = plan;
  const last = edges.length - 1;
  if (last === 0 || width === 0) return 0;
  let i = Math.floor((x - edges[0]) / width);
  if (i < 0) i = 0;
  if (i > last) i = last;
  while (i < last && x >= edges[i + 1]) i++;
  while (i > 0 && x < edges[i]) i--;
  return i;
}

/**
 * OpenMetadata's bin label number format: three decimals with a K/M/B/T suffix per power of
 * 1000 (`1500` → `1.500K`), `0` for zero, `<int>e<exp>` past T. Differences from
 * OpenMetadata: values below 1 in magnitude keep no suffix (`0.500`; the Python code picks a
 * wrong suffix there) and exact powers of 1000 get the higher unit (`1.000M`, not `1000.000K`).
 */
export function formatBinNumber(x: number): string {
  if (x === 0) return '0';
  const units = ['', 'K', 'M', 'B', 'T'];
  const abs = Math.abs(x);
  let magnitude = 0;
  while (abs >= 1000 ** (magnitude + 1)) magnitude++;
  if (magnitude >= units.length) return `${Math.trunc(x / 1000 ** magnitude)}e${magnitude * 3}`;
  return `${(x / 1000 ** magnitude).toFixed(3)}${units[magnitude]}`;
}

/** Labels `a to b` for every bin but the last, which is `a and up`. */
export function binLabels(plan: BinPlan): string[] {
  return plan.edges.map((e, i) =>
    i < plan.edges.length - 1 ? `${formatBinNumber(e)} to ${formatBinNumber(plan.edges[i + 1])}` : `${formatBinNumber(e)} and up`,
  );
}

export function histogramFrom(plan: BinPlan, frequencies: number[]): Histogram {
  return { boundaries: binLabels(plan), frequencies };
}
