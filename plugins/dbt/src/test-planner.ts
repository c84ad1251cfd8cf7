/**
 * dbt tests as records: one `testDefinition` per test name and entity type (plus source freshness),
 * then per table one `testCaseResults` with its cases and the results from run_results / sources.json.
 */
import { right, type CreateTestCaseRequest, type Either, type OmRecord, type TestCaseResult } from '@om/core';
import type { DbtTest, ParsedManifest } from './artifacts/manifest';
import type { ParsedRunResults } from './artifacts/run-results';
import { freshnessParameters, type ParsedSources } from './artifacts/sources';
import type { OmTable, Resolved } from './lookup';
import type { DbtStatus } from './status';

/** Python-literal text of a kwarg value, as OpenMetadata writes parameter values (`['a', 'b']`). */
export function parameterValue(value: unknown, top = true): string {
  if (typeof value === 'string') return top ? value : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => parameterValue(v, false)).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${parameterValue(k, false)}: ${parameterValue(v, false)}`).join(', ')}}`;
  }
  return String(value);
}

const IGNORED_KWARGS = new Set(['model', 'column_name']);
const SINGULAR_TEST_DEFINITION = 'dbt_singular_test';
/** The definition of `dbt source freshness` checks (parameters `warn_after`, `error_after`). */
const FRESHNESS_TEST_DEFINITION = 'dbt_source_freshness';

export class TestPlanner {
  private readonly definitions = new Map<string, 'TABLE' | 'COLUMN'>();

  constructor(
    private readonly status: DbtStatus,
    private readonly warn: (name: string, reason: string) => void,
  ) {}

  private definitionOf(test: DbtTest, entityType: 'TABLE' | 'COLUMN'): string {
    const base = test.testName ?? SINGULAR_TEST_DEFINITION;
    // One definition per name and entity type: a generic test used on tables and columns gets two.
    const first = this.definitions.get(base);
    return !first || first === entityType ? base : `${base}_${entityType.toLowerCase()}`;
  }

  *records(manifest: ParsedManifest, resolved: Map<string, Resolved>, runResults: ParsedRunResults | undefined, sources?: ParsedSources): Generator<Either<OmRecord>> {
    interface Planned {
      test: DbtTest;
      table: OmTable;
      column?: string;
      definition: string;
      entityType: 'TABLE' | 'COLUMN';
    }
    const planned: Planned[] = [];
    const params = new Map<string, Set<string>>();
    for (const test of manifest.tests) {
      const target = test.attachedNode ? resolved.get(test.attachedNode) : undefined;
      if (!target) {
        this.status.details.tests.skipped++;
        if (!test.attachedNode) this.warn(test.uniqueId, 'the model this dbt test is about could not be found in the manifest; test left out');
        continue;
      }
      let column: string | undefined;
      if (test.columnName) {
        const wanted = test.columnName.replace(/^["`[]|["`\]]$/g, '').toLowerCase();
        column = target.table.columns?.find((c) => c.name.toLowerCase() === wanted)?.name;
        if (!column) {
          this.status.details.tests.skipped++;
          this.warn(test.uniqueId, `column ${test.columnName} is not a column of ${target.table.fullyQualifiedName}; test left out`);
          continue;
        }
      }
      const entityType = column ? 'COLUMN' : 'TABLE';
      const definition = this.definitionOf(test, entityType);
      if (!this.definitions.has(definition)) this.definitions.set(definition, entityType);
      const set = params.get(definition) ?? new Set<string>();
      for (const k of Object.keys(test.kwargs)) if (!IGNORED_KWARGS.has(k)) set.add(k);
      params.set(definition, set);
      planned.push({ test, table: target.table, ...(column ? { column } : {}), definition, entityType });
    }

    // Source freshness (sources.json): one case per source table, named by the source (as OpenMetadata's
    // dbt source does: dbt/metadata.py create_dbt_test_case, dbt_utils create_test_case_parameter_*).
    const freshness: { table: OmTable; name: string; result: NonNullable<ReturnType<ParsedSources['results']['get']>> }[] = [];
    for (const result of sources?.results.values() ?? []) {
      const target = resolved.get(result.uniqueId);
      if (!target) {
        this.status.details.tests.skipped++;
        continue;
      }
      freshness.push({ table: target.table, name: target.node.name, result });
    }
    if (freshness.length > 0) params.set(FRESHNESS_TEST_DEFINITION, new Set(['warn_after', 'error_after']));

    for (const [definition, keys] of params) {
      const entityType = planned.find((p) => p.definition === definition)?.entityType ?? 'TABLE';
      yield right<OmRecord>({
        kind: 'testDefinition',
        entity: {
          name: definition,
          displayName: definition,
          description:
            definition === SINGULAR_TEST_DEFINITION ? 'dbt singular (data) test' : definition === FRESHNESS_TEST_DEFINITION ? 'dbt source freshness' : `dbt generic test ${definition}`,
          entityType,
          testPlatforms: ['DBT'],
          parameterDefinition: [...keys].sort().map((name) => ({ name })),
        },
      });
      this.status.details.tests.definitions++;
    }

    // One record per table: its cases, each with its result when run_results has one.
    const byTable = new Map<string, { testCase: CreateTestCaseRequest; result?: TestCaseResult }[]>();
    for (const p of planned) {
      const tableFqn = p.table.fullyQualifiedName;
      const testCase: CreateTestCaseRequest = {
        name: p.test.name,
        ...(p.test.description ? { description: p.test.description } : {}),
        entityLink: p.column ? `<#E::table::${tableFqn}::columns::${p.column}>` : `<#E::table::${tableFqn}>`,
        testDefinition: p.definition,
        parameterValues: Object.entries(p.test.kwargs)
          .filter(([k]) => !IGNORED_KWARGS.has(k))
          .map(([name, value]) => ({ name, value: parameterValue(value) })),
      };
      this.status.details.tests.cases++;
      const run = runResults?.results.get(p.test.uniqueId);
      const result: TestCaseResult | undefined = run && {
        timestamp: run.timestamp,
        testCaseStatus: run.testCaseStatus,
        result: run.message ?? `dbt test ${run.status}`,
        ...(run.failures !== undefined ? { testResultValue: [{ name: 'failures', value: String(run.failures) }] } : {}),
      };
      if (run) this.status.details.tests.results[run.testCaseStatus]++;
      const cases = byTable.get(tableFqn) ?? [];
      cases.push({ testCase, ...(result ? { result } : {}) });
      byTable.set(tableFqn, cases);
    }
    for (const f of freshness) {
      const tableFqn = f.table.fullyQualifiedName;
      const cases = byTable.get(tableFqn) ?? [];
      cases.push({
        testCase: { name: f.name, entityLink: `<#E::table::${tableFqn}>`, testDefinition: FRESHNESS_TEST_DEFINITION, parameterValues: freshnessParameters(f.result) },
        result: f.result.result,
      });
      byTable.set(tableFqn, cases);
      this.status.details.tests.cases++;
      this.status.details.tests.results[f.result.result.testCaseStatus]++;
    }
    for (const [tableFqn, results] of byTable) yield right<OmRecord>({ kind: 'testCaseResults', tableFqn, results });
  }
}
