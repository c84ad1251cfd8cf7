import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  builtinPlugin,
  definePlugin,
  PLUGIN_API_VERSION,
  PluginRegistry,
  right,
  silentLogger,
  StepStatus,
  stepToken,
  Workflow,
  type OmRecord,
  type Source,
} from '@om/core';
import { profilerPlugin } from './plugin';
import { ProfilerProcessor } from './processors';
import { renderProfileHtml, renderProfileTable } from './index';
import { escapeHtml } from './render/html';
import { memoryTable } from './testing/tables';

function sourcePlugin(records: () => OmRecord[]) {
  return definePlugin({
    id: 'test-memory',
    apiVersion: PLUGIN_API_VERSION,
    provides: ['source:memory'],
    register(container) {
      container.register(stepToken('source', 'memory'), {
        useValue: {
          create: (): Source => ({
            status: new StepStatus('Source memory'),
            async *records() {
              for (const r of records()) yield right(r);
            },
            async close() {},
          }),
        },
      });
    },
  });
}

const people = () =>
  memoryTable(
    { id: 'INT', name: 'STRING', age: 'INT' },
    [
      { id: '1', name: 'John', age: '30' },
      { id: '2', name: 'Jane', age: '31' },
      { id: '3', name: '', age: '32' },
    ],
    { fileFormat: 'csv', sizeInByte: 42 },
  );

async function runWorkflow(processor: Record<string, unknown>, records: () => OmRecord[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-profiler-'));
  const out = path.join(dir, 'out.json');
  const registry = new PluginRegistry();
  registry.addDescriptor(builtinPlugin, '@om/core', '0.1.0');
  registry.addDescriptor(profilerPlugin, '@om/profiler', '0.1.0');
  registry.addDescriptor(sourcePlugin(records), 'test-memory');
  const wf = await Workflow.create(
    {
      source: { type: 'memory', serviceName: 'svc', sourceConfig: { config: { type: 'Profiler' } } },
      processor,
      sink: { type: 'file', config: { filename: out } },
      workflowConfig: {},
    },
    { registry, logger: silentLogger },
  );
  await wf.execute();
  await wf.stop();
  return { wf, written: JSON.parse(fs.readFileSync(out, 'utf8')) };
}

describe('processors through the Workflow', () => {
  it('orm-profiler turns profileRequests into tableProfile records and passes others through', async () => {
    const { wf, written } = await runWorkflow(
      { type: 'orm-profiler', config: { profiler: { name: 'p', metrics: ['rowCount', 'columnCount', 'valuesCount', 'nullCount', 'median', 'distinctCount'] }, exactDistinctLimit: 1000 } },
      () => [
        { kind: 'database', entity: { name: 'default', service: 'svc' } },
        { kind: 'profileRequest', table: people() },
      ],
    );
    expect(wf.summary().state).toBe('success');
    // generateSampleData defaults to true (OpenMetadata's profiler config): the sample follows the profile.
    expect(written).toHaveLength(3);
    expect(written[2]).toEqual({
      kind: 'x-sampleData',
      name: 'svc.default.bucket."data/t.csv"',
      tableFqn: 'svc.default.bucket."data/t.csv"',
      sampleData: { columns: ['id', 'name', 'age'], rows: [[1, 'John', 30], [2, 'Jane', 31]] },
    });
    expect(written[0]).toEqual({ name: 'default', service: 'svc' });
    const rec = written[1];
    expect(rec.kind).toBe('tableProfile');
    expect(rec.tableFqn).toBe('svc.default.bucket."data/t.csv"');
    expect(rec.columnNames).toEqual(['id', 'name', 'age']);
    expect(rec.approximateMetrics).toEqual([]);
    expect(rec.profile.tableProfile).toMatchObject({ rowCount: 3, columnCount: 3 });
    expect(rec.profile.columnProfile.map((c: { name: string; valuesCount: number; nullCount: number; median?: number; distinctCount: number }) => [c.name, c.valuesCount, c.nullCount, c.median, c.distinctCount])).toEqual([
      ['id', 3, 0, 2, 3],
      ['name', 2, 1, undefined, 2],
      ['age', 3, 0, 31, 3],
    ]);
  });

  it('scanThreads decides whether a large table is offered to worker threads (1: never)', async () => {
    const asked: unknown[] = [];
    // A 64 MB table that cannot be split: the profile then reads it in this thread.
    const big = () => ({ ...people(), sizeInByte: 64 * 1024 * 1024, parts: async (_signal?: AbortSignal, options?: unknown) => (asked.push(options), undefined) });
    for (const scanThreads of [1, 3]) {
      const { wf, written } = await runWorkflow({ type: 'orm-profiler', config: { scanThreads } }, () => [{ kind: 'profileRequest', table: big() }]);
      expect(wf.summary().state).toBe('success');
      expect(written[0].profile.tableProfile.rowCount).toBe(3);
    }
    expect(asked).toEqual([{ lanes: 3, columns: ['id', 'name', 'age'] }]);
    await expect(runWorkflow({ type: 'orm-profiler', config: { scanThreads: 0 } }, () => [])).rejects.toThrow(/scanThreads/);
  });

  it('orm-test-runner turns testSuiteRequests into testCaseResults', async () => {
    const { wf, written } = await runWorkflow(
      {
        type: 'orm-test-runner',
        config: {
          testCases: [
            { name: 'rows', testDefinitionName: 'tableRowCountToBeBetween', parameterValues: [{ name: 'minValue', value: '1' }, { name: 'maxValue', value: '10' }] },
            { name: 'names_known', testDefinitionName: 'columnValuesToBeInSet', columnName: 'name', parameterValues: [{ name: 'allowedValues', value: "['John', 'Jane']" }, { name: 'matchEnum', value: 'true' }], computePassedFailedRowCount: true },
            { name: 'name_not_null', testDefinitionName: 'columnValuesToBeNotNull', columnName: 'name', computePassedFailedRowCount: true },
            { name: 'bad', testDefinitionName: 'tableCustomSQLQuery', parameterValues: [{ name: 'sqlExpression', value: 'eval("1")' }] },
          ],
        },
      },
      () => [{ kind: 'testSuiteRequest', table: people() }],
    );
    expect(wf.summary().state).toBe('success');
    expect(written).toHaveLength(1);
    const rec = written[0];
    expect(rec.kind).toBe('testCaseResults');
    expect(rec.results.map((r: { testCase: { name: string }; result: { testCaseStatus: string } }) => [r.testCase.name, r.result.testCaseStatus])).toEqual([
      ['rows', 'Success'],
      ['names_known', 'Failed'], // matchEnum: the null name is not in the set (as in OpenMetadata)
      ['name_not_null', 'Failed'],
      ['bad', 'Aborted'],
    ]);
    expect(rec.results[2].result).toMatchObject({ failedRows: 1, passedRows: 2 });
    expect(rec.results[1].testCase.entityLink).toBe('<#E::table::svc.default.bucket."data/t.csv"::columns::name>');
    expect(wf.summary().steps[1].warnings).toBe(1);
  });

  it('rejects bad processor configs before running', async () => {
    await expect(runWorkflow({ type: 'orm-test-runner', config: { testCases: [{ name: 'x' }] } }, () => [])).rejects.toThrow(/testDefinitionName/);
    await expect(runWorkflow({ type: 'orm-profiler', config: { profiler: { metrics: ['nope'] } } }, () => [])).rejects.toThrow(/unknown metric\(s\): nope/);
  });

  it('a table whose rows cannot be read is a per-record failure', async () => {
    const p = new ProfilerProcessor({}, { signal: new AbortController().signal, logger: silentLogger });
    const broken = memoryTable({ a: 'INT' }, () => {
      throw new Error('unexpected end of file');
    });
    const [r] = await p.process({ kind: 'profileRequest', table: broken });
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ name: broken.fqn, error: expect.stringMatching(/cannot profile the table: unexpected end of file/) }) });
  });
});

describe('renderers', () => {
  it('renders a text table and a self-contained HTML report', async () => {
    const p = new ProfilerProcessor({}, { signal: new AbortController().signal, logger: silentLogger }, { now: () => Date.UTC(2024, 0, 1) });
    const t = memoryTable({ age: 'INT', name: 'STRING', born: 'DATE' }, [
      { age: 30, name: '<b>x</b>', born: '2020-01-01' },
      { age: 31, name: 'y', born: '2020-01-02' },
      { age: 32, name: null, born: null },
    ]);
    const [r] = await p.process({ kind: 'profileRequest', table: t });
    if (!r.ok || r.value.kind !== 'tableProfile') throw new Error('no profile');
    const text = renderProfileTable(r.value);
    expect(text).toContain('Table svc.default.bucket."data/t.csv" (rows: 3, columns: 3)');
    expect(text).toMatch(/\| age\s+\| INT\s+\| 3\s+\| 0\.0%\s+\| 3\s+\| 3\s+\| 30\s+\| 32\s+\| 31\s+\| 1\s+\| 31\s+\|/);
    expect(text).toMatch(/\| born\s+\| DATE\s+\| 2\s+\| 33\.3%.*\| 2020-01-01 \| 2020-01-02 \|/);
    const html = renderProfileHtml([r.value, { kind: 'database', entity: { name: 'x', service: 's' } }]);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<svg');
    expect(html).toContain('30.000 to 31.387');
    expect(escapeHtml('<b>"x"</b>')).toBe('&lt;b&gt;&quot;x&quot;&lt;/b&gt;');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
