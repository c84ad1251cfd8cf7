import type { Capability } from '../tokens';

/**
 * Which package provides each first-party capability, so a missing plugin error can say
 * exactly what to install (the way pip extras name `openmetadata-ingestion[datalake-s3]`).
 */
export const KNOWN_PLUGIN_PACKAGES: Record<string, string> = {
  'source:datalake': '@om/datalake',
  'objectStore:local': '@om/datalake',
  'objectStore:s3': '@om/datalake-s3',
  'objectStore:gcs': '@om/datalake-gcs',
  'objectStore:azure': '@om/datalake-azure',
  'source:dynamodb': '@om/dynamodb',
  'source:dbt': '@om/dbt',
  'source:testsuite': '@om/datalake',
  'processor:orm-profiler': '@om/profiler',
  'processor:orm-test-runner': '@om/profiler',
  'sink:metadata-rest': '@om/openmetadata',
  'sink:file': '@om/core',
  'sink:console': '@om/core',
};

export function knownPackageFor(capability: Capability): string | undefined {
  return KNOWN_PLUGIN_PACKAGES[capability];
}

/** Levenshtein distance, for did-you-mean hints. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n];
}

/** The closest candidate within a small distance, case-insensitively. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = input.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(input.length / 3));
  return best !== undefined && bestDistance <= limit && bestDistance > 0 ? best : best && bestDistance === 0 ? best : undefined;
}
