import { checkWorkflowKind, workflowKindOf } from './workflow-kind';

const config = (source: Record<string, unknown>) => ({ source: { serviceName: 's', ...source } });

describe('workflow kind per subcommand', () => {
  it('reads the kind from source.type and sourceConfig.config.type', () => {
    expect(workflowKindOf(config({ type: 'datalake', sourceConfig: { config: { type: 'DatabaseMetadata' } } }))?.kind).toBe('DatabaseMetadata');
    expect(workflowKindOf(config({ type: 'datalake', sourceConfig: { config: {} } }))?.kind).toBe('DatabaseMetadata');
    expect(workflowKindOf(config({ type: 'dbt', sourceConfig: { config: { type: 'DBT' } } }))?.kind).toBe('dbt');
    expect(workflowKindOf(config({ type: 'datalake', sourceConfig: { config: { type: 'Profiler' } } }))?.kind).toBe('Profiler');
    expect(workflowKindOf(config({ type: 'testsuite', sourceConfig: { config: { type: 'TestSuite' } } }))?.kind).toBe('TestSuite');
    expect(workflowKindOf(config({ type: 'datalake', sourceConfig: { config: { type: 'AutoClassification' } } }))?.kind).toBe('AutoClassification');
    expect(workflowKindOf(config({ type: 'x', sourceConfig: { config: { type: 'DatabaseUsage' } } }))).toBeUndefined();
  });

  it('accepts ingest ← metadata/dbt, profile ← Profiler, test ← TestSuite, and names the right command otherwise', () => {
    expect(() => checkWorkflowKind('ingest', config({ type: 'dbt' }), 'd.yaml')).not.toThrow();
    expect(() => checkWorkflowKind('test', config({ type: 'testsuite' }), 't.yaml')).not.toThrow();
    expect(() => checkWorkflowKind('test', config({ type: 'datalake', sourceConfig: { config: { type: 'Profiler' } } }), 'p.yaml')).toThrow(
      /source\.sourceConfig\.config\.type: metadata test runs TestSuite workflows, but this config is a Profiler workflow\n\s+hint: run it with: metadata profile -c p\.yaml/,
    );
    expect(() => checkWorkflowKind('classify', config({ type: 'dynamodb', sourceConfig: { config: { type: 'AutoClassification' } } }), 'c.yaml')).not.toThrow();
    expect(() => checkWorkflowKind('profile', config({ type: 'datalake', sourceConfig: { config: { type: 'AutoClassification' } } }), 'c.yaml')).toThrow(/hint: run it with: metadata classify -c c\.yaml/);
    expect(() => checkWorkflowKind('profile', config({ type: 'dbt' }), '<stdin>')).toThrow(/source\.type: .*dbt workflow\n\s+hint: run it with: metadata ingest -c -/);
  });
});
