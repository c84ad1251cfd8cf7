import { freshnessParameters, parseSources } from './sources';

/** A `dbt source freshness` artifact (dbt sources v3 schema): pass, warn, error and a runtime error. */
const SOURCES = {
  metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json', dbt_version: '1.8.7', generated_at: '2024-10-01T10:00:00.000000Z' },
  results: [
    {
      unique_id: 'source.shop.raw.orders', status: 'pass', max_loaded_at: '2024-10-01T09:00:00+00:00', snapshotted_at: '2024-10-01T10:00:00+00:00',
      max_loaded_at_time_ago_in_s: 3600, criteria: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null },
      timing: [{ name: 'compile', started_at: '2024-10-01T09:59:58Z', completed_at: '2024-10-01T09:59:59Z' }, { name: 'execute', started_at: '2024-10-01T09:59:59Z', completed_at: '2024-10-01T10:00:01.500000Z' }],
      thread_id: 'Thread-1', execution_time: 0.5, adapter_response: {},
    },
    {
      unique_id: 'source.shop.raw.customers', status: 'warn', max_loaded_at: '2024-09-30T18:00:00+00:00', snapshotted_at: '2024-10-01T10:00:00+00:00',
      max_loaded_at_time_ago_in_s: 57600, criteria: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 1, period: 'day' } },
      timing: [{ name: 'execute', completed_at: '2024-10-01T10:00:02Z' }], thread_id: 'Thread-1', execution_time: 0.4, adapter_response: {},
    },
    {
      unique_id: 'source.shop.raw.payments', status: 'error', max_loaded_at: '2024-09-28T10:00:00+00:00', snapshotted_at: '2024-10-01T10:00:00+00:00',
      max_loaded_at_time_ago_in_s: 259200, criteria: { warn_after: { count: null, period: null }, error_after: { count: 2, period: 'day' } },
      timing: [], thread_id: 'Thread-2', execution_time: 0.3, adapter_response: {},
    },
    { unique_id: 'source.shop.raw.events', status: 'runtime error', error: 'Database Error: relation "raw.events" does not exist' },
  ],
};

describe('dbt sources.json freshness results (as OpenMetadata dbt/metadata.py _build_freshness_test_case_result)', () => {
  const { results, generatedAt } = parseSources(JSON.stringify(SOURCES), 'target/sources.json');

  it('maps pass → Success (1), error → Failed (0), warn and runtime error → Aborted (0)', () => {
    expect([...results.values()].map((r) => [r.uniqueId, r.result.testCaseStatus, r.result.testResultValue![0].value])).toEqual([
      ['source.shop.raw.orders', 'Success', '1'],
      ['source.shop.raw.customers', 'Aborted', '0'],
      ['source.shop.raw.payments', 'Failed', '0'],
      ['source.shop.raw.events', 'Aborted', '0'],
    ]);
    expect(results.get('source.shop.raw.orders')!.result.testResultValue).toEqual([{ name: 'source.shop.raw.orders', value: '1' }]);
  });

  it('times a result by its execute timing, else by the file', () => {
    expect(generatedAt).toBe('2024-10-01T10:00:00.000000Z');
    expect(results.get('source.shop.raw.orders')!.result.timestamp).toBe(Date.parse('2024-10-01T10:00:01.500Z'));
    expect(results.get('source.shop.raw.payments')!.result.timestamp).toBe(Date.parse('2024-10-01T10:00:00Z'));
  });

  it('explains a result that did not pass: its age against the thresholds, or the error; nothing for a pass', () => {
    expect(results.get('source.shop.raw.orders')!.result.result).toBeUndefined();
    expect(results.get('source.shop.raw.customers')!.result.result).toBe('Data is 16.0 hours old; max_loaded_at=2024-09-30T18:00:00+00:00; warn_after=12 hour; error_after=1 day');
    expect(results.get('source.shop.raw.payments')!.result.result).toBe('Data is 72.0 hours old; max_loaded_at=2024-09-28T10:00:00+00:00; error_after=2 day');
    expect(results.get('source.shop.raw.events')!.result.result).toBe('Database Error: relation "raw.events" does not exist');
  });

  it('parameter values as OpenMetadata writes them (dbt_utils.create_test_case_parameter_values)', () => {
    expect(freshnessParameters(results.get('source.shop.raw.orders')!)).toEqual([{ name: 'error_after', value: '1 day' }, { name: 'warn_after', value: '12 hour' }]);
  });

  it('a file that is not a sources.json names itself', () => {
    expect(() => parseSources('{"nodes": {}}', 'target/sources.json')).toThrow('target/sources.json has no "results" list: is it a dbt sources.json (dbt source freshness)?');
  });
});
