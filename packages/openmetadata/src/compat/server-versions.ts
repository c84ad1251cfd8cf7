/**
 * What each OpenMetadata server version accepts, for the values and fields om-ingest sends: the one
 * documented table the sink adapts its requests from (packages/openmetadata/README.md shows it).
 *
 * `since` is the first release with the value or field. For an added value known only by its merge
 * date it is the next minor after the merge (a later boundary only costs a fallback on a release or
 * two); a changed shape carries the release it shipped in, since either side of it refuses the other.
 * `fallback` is the closest value an older server knows; without one the field is left out.
 */

export interface ValueSupport {
  since: string;
  fallback?: string;
  /** Where the fact comes from. */
  source: string;
}

/** `table.json#/definitions/fileFormat` values added after 1.2. */
export const FILE_FORMAT_SUPPORT: Record<string, ValueSupport> = {
  jsonl: { since: '1.5.0', fallback: 'json', source: 'OpenMetadata PR #16614, merged 2024-06-11' },
  'jsonl.gz': { since: '1.5.0', fallback: 'json.gz', source: 'OpenMetadata PR #16614' },
  'jsonl.zip': { since: '1.5.0', fallback: 'json.zip', source: 'OpenMetadata PR #16614' },
  pq: { since: '1.9.0', fallback: 'parquet', source: 'OpenMetadata PR #22027, merged 2025-06-30' },
  pqt: { since: '1.9.0', fallback: 'parquet', source: 'OpenMetadata PR #22027' },
  parq: { since: '1.9.0', fallback: 'parquet', source: 'OpenMetadata PR #22027' },
  'parquet.snappy': { since: '1.9.0', fallback: 'parquet', source: 'OpenMetadata PR #22027' },
  'csv.gz': { since: '1.10.0', fallback: 'csv', source: 'OpenMetadata PR #22666, merged 2025-07-30 (issue #19952)' },
};

/** `table.json#/definitions/dataType` values added after 1.2 (UINT's fallback depends on its width). */
export const DATA_TYPE_SUPPORT: Record<string, ValueSupport> = {
  UINT: { since: '1.5.0', fallback: 'BIGINT', source: 'OpenMetadata generated types, 2024' },
  LARGEINT: { since: '1.5.0', fallback: 'NUMERIC', source: 'OpenMetadata generated types, 2024' },
  HLL: { since: '1.5.0', fallback: 'BINARY', source: 'OpenMetadata generated types, 2024' },
  QUANTILE_STATE: { since: '1.5.0', fallback: 'BINARY', source: 'OpenMetadata generated types, 2024' },
  AGG_STATE: { since: '1.5.0', fallback: 'BINARY', source: 'OpenMetadata generated types, 2024' },
  BITMAP: { since: '1.5.0', fallback: 'BINARY', source: 'OpenMetadata generated types, 2024' },
};

/** `table.json#/definitions/tableType` values added after 1.2. */
export const TABLE_TYPE_SUPPORT: Record<string, ValueSupport> = {
  Dynamic: { since: '1.6.0', fallback: 'Regular', source: 'OpenMetadata table.json, 1.6 era' },
  Stream: { since: '1.6.0', fallback: 'Regular', source: 'OpenMetadata table.json, 1.6 era' },
};

/** Request shapes that changed after 1.2. */
export const FEATURE_SINCE = {
  /**
   * `testCaseResult.testCaseFailureStatus` ends (the 1.3 incident manager replaces it); passed/failed
   * row counts begin (OpenMetadata PR #14472, merged 2023-12-21).
   */
  incidents: '1.3.0',
  /**
   * `tablePartition.columns` as `{columnName, intervalType, interval}` (1.2: column names plus one
   * interval type); OpenMetadata PR #15312, merged 2024-02-22 as a backward-incompatible change.
   */
  partitionColumnDetails: '1.4.0',
  /** Test case results are posted to `/dataQuality/testCases/testCaseResults/{fqn}`. */
  testCaseResultsResource: '1.5.0',
  /** `owners` (a list) replaces `owner` (OpenMetadata PR #17285: "In 1.5.0 we are updating owner -> owners"). */
  owners: '1.5.0',
  /** Basic test suites (`/dataQuality/testSuites/base`); test cases need no `testSuite`. */
  basicTestSuites: '1.6.0',
  /** `createTable.locationPath`. */
  locationPath: '1.6.0',
} as const;
export type Feature = keyof typeof FEATURE_SINCE;

/** Major versions whose ingestion API this package speaks (2.x kept the 1.x API family). */
export const SUPPORTED_MAJORS = [1, 2] as const;
/** The oldest supported release. */
export const OLDEST_SUPPORTED = '1.2.0';
/** The newest releases tested against (the test server impersonates them). */
export const NEWEST_TESTED = { '1.x': '1.13.1', '2.x': '2.0.7' } as const;

/** `x.y.z` out of a version string such as `1.6.2-SNAPSHOT`. */
export function parseVersion(version: string): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** True when `version` is `since` or newer; an unknown version is taken as the newest. */
export function atLeast(version: string | undefined, since: string): boolean {
  const a = version === undefined ? undefined : parseVersion(version);
  const b = parseVersion(since)!;
  if (!a) return true;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}
