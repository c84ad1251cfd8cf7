/**
 * Writes profiler and data-quality results to OpenMetadata (§6.5 of the reference):
 *
 * - `tableProfile`: the table is looked up by FQN (`GET /tables/name/{fqn}?fields=columns`), column
 *   profiles of columns the server's table does not have are dropped with a warning (the server would
 *   refuse the whole profile), then `PUT /tables/{id}/tableProfile` with `{tableProfile, columnProfile}`.
 * - `testCaseResults`: get-or-create the table's executable ("basic") test suite
 *   (`GET /dataQuality/testSuites/name/{fqn}.testSuite`; `PUT /dataQuality/testSuites/base` with
 *   `basicEntityReference` on servers ≥ 1.6, `/executable` with `executableEntityReference` before),
 *   list its test cases once (`GET /dataQuality/testCases?testSuiteId=`), create the missing ones and
 *   update those whose definition or parameter values changed (`PUT /dataQuality/testCases`), then send
 *   each result: `POST /dataQuality/testCases/testCaseResults/{fqn}` (≥ 1.5) or
 *   `PUT /dataQuality/testCases/{fqn}/testCaseResult` (older).
 */
import { OmError, quoteName, type CreateTableProfileRequest, type CreateTestCaseRequest, type TestCaseResult } from '@om/core';
import { encodeFqn, type EntityBase, type OpenMetadataClient } from './client';
import type { ServerDialect } from './compat/dialect';
import type { MetadataRestStatus } from './status';

/** The table a profile or result refers to is not on the server. */
export class TableNotFoundError extends OmError {}

interface TableEntity extends EntityBase {
  columns?: { name: string }[];
}

interface TestCaseEntity extends EntityBase {
  entityLink?: string;
  testDefinition?: { name?: string; fullyQualifiedName?: string } | string;
  parameterValues?: { name: string; value?: string }[];
  computePassedFailedRowCount?: boolean;
  description?: string;
}

export class QualityWriter {
  constructor(
    private readonly client: OpenMetadataClient,
    private readonly status: MetadataRestStatus,
    private readonly dialect: ServerDialect,
  ) {}

  private async table(fqn: string): Promise<TableEntity> {
    const table = await this.client.getByName<TableEntity>('tables', fqn, { fields: ['columns'] });
    if (!table || table.deleted) {
      throw new TableNotFoundError(`table ${fqn} does not exist in OpenMetadata; run the metadata ingestion for its service first`);
    }
    return table;
  }

  async writeProfile(tableFqn: string, profile: CreateTableProfileRequest): Promise<void> {
    const table = await this.table(tableFqn);
    const known = new Set((table.columns ?? []).map((c) => c.name));
    const columnProfile = (profile.columnProfile ?? []).filter((c) => known.has(c.name));
    const dropped = (profile.columnProfile ?? []).filter((c) => !known.has(c.name)).map((c) => c.name);
    if (dropped.length > 0) {
      this.status.warning(tableFqn, `column profile(s) not sent, the server's table has no column ${dropped.join(', ')}`);
    }
    const body: Record<string, unknown> = { tableProfile: stripUndefined(profile.tableProfile) };
    if (columnProfile.length > 0) body.columnProfile = columnProfile.map(stripUndefined);
    await this.client.put(`tables/${table.id}/tableProfile`, body);
    this.status.count('tableProfile', 'created');
  }

  private async suite(tableFqn: string): Promise<EntityBase> {
    const name = `${tableFqn}.testSuite`;
    const existing = await this.client.getByName<EntityBase>('dataQuality/testSuites', name);
    if (existing) return existing;
    const newer = this.dialect.supports('basicTestSuites');
    const { entity, change } = await this.client.put<EntityBase>(
      newer ? 'dataQuality/testSuites/base' : 'dataQuality/testSuites/executable',
      newer ? { name, basicEntityReference: tableFqn } : { name, executableEntityReference: tableFqn },
    );
    this.status.count('testSuite', change === 'created' ? 'created' : change);
    return entity;
  }

  /** Creates or updates the table's test cases and sends the result of each case that has one. */
  async writeResults(tableFqn: string, results: { testCase: CreateTestCaseRequest; result?: TestCaseResult }[]): Promise<void> {
    const table = await this.table(tableFqn);
    const suite = await this.suite(table.fullyQualifiedName);
    const existing = new Map<string, TestCaseEntity>();
    for await (const tc of this.client.listAll<TestCaseEntity>('dataQuality/testCases', { testSuiteId: suite.id, fields: 'testDefinition', include: 'non-deleted' })) {
      existing.set(tc.fullyQualifiedName, tc);
    }
    const failures: string[] = [];
    for (const { testCase, result } of results) {
      const fqn = testCaseFqn(table.fullyQualifiedName, testCase);
      try {
        const serverFqn = await this.upsertTestCase(fqn, testCase, existing.get(fqn), suite);
        if (result) await this.postResult(serverFqn, result);
      } catch (err) {
        failures.push(`${testCase.name}: ${(err as Error).message ?? String(err)}`);
      }
    }
    if (failures.length > 0) {
      throw new OmError(`${failures.length} of ${results.length} test case(s) could not be written: ${failures.join('; ')}`);
    }
  }

  private async upsertTestCase(fqn: string, testCase: CreateTestCaseRequest, current: TestCaseEntity | undefined, suite: EntityBase): Promise<string> {
    if (current && sameTestCase(current, testCase)) {
      this.status.count('testCase', 'unchanged');
      return current.fullyQualifiedName;
    }
    const body: Record<string, unknown> = this.dialect.testCase(stripUndefined({ ...testCase, testSuite: undefined }));
    if (!this.dialect.supports('basicTestSuites')) body.testSuite = suite.fullyQualifiedName;
    const { entity, change } = await this.client.put<EntityBase>('dataQuality/testCases', body);
    this.status.count('testCase', change);
    return entity.fullyQualifiedName ?? fqn;
  }

  private async postResult(testCaseFqn: string, result: TestCaseResult): Promise<void> {
    const body = this.dialect.testCaseResult(stripUndefined(result));
    if (this.dialect.supports('testCaseResultsResource')) await this.client.post(`dataQuality/testCases/testCaseResults/${encodeFqn(testCaseFqn)}`, body);
    else await this.client.request('PUT', `dataQuality/testCases/${encodeFqn(testCaseFqn)}/testCaseResult`, { body });
    this.status.count('testCaseResult', 'created');
  }
}

/** `<tableFQN>[.<column>].<name>`, as the server builds it. */
export function testCaseFqn(tableFqn: string, testCase: CreateTestCaseRequest): string {
  const m = /::columns::(.+)>$/.exec(testCase.entityLink);
  const column = m ? m[1] : undefined;
  return column ? `${tableFqn}.${quoteName(column)}.${quoteName(testCase.name)}` : `${tableFqn}.${quoteName(testCase.name)}`;
}

function definitionName(tc: TestCaseEntity): string | undefined {
  const d = tc.testDefinition;
  if (typeof d === 'string') return d;
  return d?.name ?? d?.fullyQualifiedName;
}

function paramsKey(params: { name: string; value?: string }[] | undefined): string {
  return JSON.stringify([...(params ?? [])].map((p) => [p.name, p.value ?? null]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
}

function sameTestCase(current: TestCaseEntity, wanted: CreateTestCaseRequest): boolean {
  return (
    definitionName(current) === wanted.testDefinition &&
    current.entityLink === wanted.entityLink &&
    paramsKey(current.parameterValues) === paramsKey(wanted.parameterValues) &&
    (wanted.computePassedFailedRowCount === undefined || Boolean(current.computePassedFailedRowCount) === wanted.computePassedFailedRowCount) &&
    (wanted.description === undefined || current.description === wanted.description)
  );
}

function stripUndefined<T extends object>(o: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
