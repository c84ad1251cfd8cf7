/**
 * How OpenMetadata's JSON Schemas changed after the 1.2 snapshot, for the fields om-ingest sends: the
 * delta the test server applies to impersonate a newer server. Each entry names the first release that
 * has the change and the public record it was taken from. For added enum values known only by a merge
 * date, the first release is taken as the next minor after it (a later boundary only makes the
 * impersonated server stricter for a release or two); changed shapes carry the release they shipped in.
 *
 * Changes are data, applied by `contract.ts`; nothing here is a copy of a schema.
 */

export type SchemaChange =
  /** Values added to an enum at a JSON pointer inside one schema file. */
  | { op: 'addEnum'; file: string; pointer: string; values: string[] }
  /** A property added to an object schema (`pointer` points at the object schema). */
  | { op: 'addProperty'; file: string; pointer: string; name: string; schema: Record<string, unknown> }
  | { op: 'removeProperty'; file: string; pointer: string; name: string }
  /** A property that stops being required. */
  | { op: 'unrequire'; file: string; pointer: string; name: string }
  /** The schema at `pointer` replaced as a whole. */
  | { op: 'replace'; file: string; pointer: string; schema: Record<string, unknown> };

export interface VersionDelta {
  since: string;
  source: string;
  changes: SchemaChange[];
}

const TABLE = 'entity/data/table.json';
const TEST_BASIC = 'tests/basic.json';
const OWNERS = { type: 'array', items: { $ref: '../../type/entityReference.json' } };

export const VERSION_DELTAS: VersionDelta[] = [
  {
    since: '1.3.0',
    source:
      'OpenMetadata 1.3 release (incident manager): test case results lose testCaseFailureStatus and gain incidentId; ' +
      'computePassedFailedRowCount adds passed/failed row counts to results and test cases (PR #14472, merged 2023-12-21)',
    changes: [
      { op: 'removeProperty', file: TEST_BASIC, pointer: '/definitions/testCaseResult', name: 'testCaseFailureStatus' },
      { op: 'addProperty', file: TEST_BASIC, pointer: '/definitions/testCaseResult', name: 'incidentId', schema: { $ref: '../type/basic.json#/definitions/uuid' } },
      ...['passedRows', 'failedRows'].map((name): SchemaChange => ({
        op: 'addProperty', file: TEST_BASIC, pointer: '/definitions/testCaseResult', name, schema: { type: 'integer' },
      })),
      ...['passedRowsPercentage', 'failedRowsPercentage'].map((name): SchemaChange => ({
        op: 'addProperty', file: TEST_BASIC, pointer: '/definitions/testCaseResult', name, schema: { type: 'number' },
      })),
      { op: 'addProperty', file: 'api/tests/createTestCase.json', pointer: '', name: 'computePassedFailedRowCount', schema: { type: 'boolean' } },
    ],
  },
  {
    since: '1.4.0',
    source: 'tablePartition as partition column details: OpenMetadata PR #15312 (merged 2024-02-22, backward-incompatible)',
    changes: [
      {
        op: 'replace', file: TABLE, pointer: '/definitions/tablePartition',
        schema: {
          type: 'object',
          javaType: 'org.openmetadata.schema.type.TablePartition',
          properties: {
            columns: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  columnName: { type: 'string' },
                  intervalType: { type: 'string', enum: ['TIME-UNIT', 'INTEGER-RANGE', 'INGESTION-TIME', 'COLUMN-VALUE', 'INJECTED', 'ENUM', 'OTHER'] },
                  interval: { type: 'string' },
                },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
      },
    ],
  },
  {
    since: '1.5.0',
    source:
      'fileFormat jsonl, jsonl.gz, jsonl.zip: OpenMetadata PR #16614 (merged 2024-06-11); dataType HLL … UINT: ' +
      'generated UI types of 2024; multiple owners (owner → owners): 1.5.0 (OpenMetadata PR #17285); ' +
      'test case results by POST /dataQuality/testCases/testCaseResults/{fqn}: 1.5 API',
    changes: [
      { op: 'addEnum', file: TABLE, pointer: '/definitions/fileFormat', values: ['jsonl', 'jsonl.gz', 'jsonl.zip'] },
      { op: 'addEnum', file: TABLE, pointer: '/definitions/dataType', values: ['HLL', 'LARGEINT', 'QUANTILE_STATE', 'AGG_STATE', 'BITMAP', 'UINT'] },
      ...['api/data/createTable.json', 'api/data/createDatabase.json', 'api/data/createDatabaseSchema.json', 'api/services/createDatabaseService.json']
        .flatMap((file): SchemaChange[] => [
          { op: 'removeProperty', file, pointer: '', name: 'owner' },
          { op: 'addProperty', file, pointer: '', name: 'owners', schema: OWNERS },
        ]),
      { op: 'removeProperty', file: TABLE, pointer: '/definitions/dataModel', name: 'owner' },
      { op: 'addProperty', file: TABLE, pointer: '/definitions/dataModel', name: 'owners', schema: { type: 'array', items: { $ref: '../../type/entityReference.json' } } },
    ],
  },
  {
    since: '1.6.0',
    source:
      'createTable.locationPath (datalake/storage location of a table); basic test suites (basicEntityReference, ' +
      'created with the table\'s first test case, so createTestCase no longer needs testSuite): 1.6 API',
    changes: [
      { op: 'addProperty', file: 'api/tests/createTestSuite.json', pointer: '', name: 'basicEntityReference', schema: { type: 'string' } },
      { op: 'unrequire', file: 'api/tests/createTestCase.json', pointer: '', name: 'testSuite' },
      { op: 'addProperty', file: 'api/data/createTable.json', pointer: '', name: 'locationPath', schema: { type: 'string' } },
      { op: 'addEnum', file: TABLE, pointer: '/definitions/tableType', values: ['Dynamic', 'Stream'] },
    ],
  },
  {
    since: '1.9.0',
    source: 'fileFormat pq, pqt, parq, parquet.snappy: OpenMetadata PR #22027 (merged 2025-06-30)',
    changes: [{ op: 'addEnum', file: TABLE, pointer: '/definitions/fileFormat', values: ['pq', 'pqt', 'parq', 'parquet.snappy'] }],
  },
  {
    since: '1.10.0',
    source: 'fileFormat csv.gz: OpenMetadata PR #22666 (merged 2025-07-30, issue #19952)',
    changes: [{ op: 'addEnum', file: TABLE, pointer: '/definitions/fileFormat', values: ['csv.gz'] }],
  },
];

/** Routes whose existence depends on the server version (older servers answer 404). */
export const ROUTES_SINCE: { method: string; pattern: RegExp; since: string; source: string }[] = [
  {
    method: 'POST', pattern: /^dataQuality\/testCases\/testCaseResults\//, since: '1.5.0',
    source: 'test case results became a time series resource in 1.5',
  },
  {
    method: 'PUT', pattern: /^dataQuality\/testSuites\/base$/, since: '1.6.0',
    source: 'basic test suites (renamed from executable) in 1.6',
  },
];

export function parseVersion(version: string): [number, number, number] {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) throw new Error(`cannot read the version "${version}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function atLeast(version: string, since: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(since);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}
