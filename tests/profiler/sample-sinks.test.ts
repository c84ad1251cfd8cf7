/**
 * Sample data and PII suggestions without a server: a Profiler run (no catalog: the storage listing)
 * into the file sink and the console sink carries the same x-sampleData / x-columnTags records.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { builtinPlugin, PluginRegistry, silentLogger, Workflow } from '@om/core';
import { plugin as datalakePlugin } from '@om/datalake';
import { profilerPlugin } from '@om/profiler';

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(datalakePlugin, '@om/datalake');
  r.addDescriptor(profilerPlugin, '@om/profiler');
  return r;
}

describe('sample data in the file and console sinks', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-sample-sinks-'));
    fs.mkdirSync(path.join(root, 'crm'));
    const rows = Array.from({ length: 30 }, (_, i) => `${i},user${i}@example.com,${i % 4 === 0 ? '' : `note ${i}`},{"a": ${i}}`);
    fs.writeFileSync(path.join(root, 'crm', 'people.csv'), `id,email,notes,payload\n${rows.join('\n')}\n`);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const run = async (sink: Record<string, unknown>, stdout?: PassThrough) => {
    const wf = await Workflow.create(
      {
        source: {
          type: 'datalake',
          serviceName: 'lake',
          serviceConnection: { config: { type: 'Datalake', configSource: { root }, bucketName: '', prefix: '' } },
          sourceConfig: { config: { type: 'Profiler', sampleDataCount: 5, processPiiSensitive: true } },
        },
        processor: { type: 'orm-profiler', config: { tableConfig: [{ fullyQualifiedName: 'lake.default.crm."people.csv"', columnConfig: { excludeColumns: ['payload'] } }] } },
        sink,
        workflowConfig: { loggerLevel: 'ERROR' },
      },
      { registry: registry(), logger: silentLogger, env: {}, configDir: root, ...(stdout ? { stdout } : {}) },
    );
    await wf.execute();
    await wf.stop();
    expect(wf.summary().state).toBe('success');
  };

  it('writes the same rows to both, rows with a missing value skipped, excluded columns left out', async () => {
    await run({ type: 'file', config: { filename: 'out.json' } });
    const records = JSON.parse(fs.readFileSync(path.join(root, 'out.json'), 'utf8')) as { kind?: string; sampleData?: { columns: string[]; rows: unknown[][] }; columns?: { column: string; tagLabel: { tagFQN: string } }[] }[];
    const sample = records.find((r) => r.kind === 'x-sampleData')!.sampleData!;
    expect(sample).toEqual({
      columns: ['id', 'email', 'notes'],
      rows: [1, 2, 3, 5, 6].map((i) => [i, `user${i}@example.com`, `note ${i}`]),
    });
    const tags = records.find((r) => r.kind === 'x-columnTags')!.columns!;
    expect(tags.map((t) => [t.column, t.tagLabel.tagFQN])).toEqual([['email', 'PII.Sensitive']]);

    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    await run({ type: 'console', config: {} }, out);
    const line = text.split('\n').find((l) => l.includes('x-sampleData'))!;
    expect(JSON.parse(line.slice(line.indexOf('{'))).sampleData).toEqual(sample);
    expect(text).toContain('PII.Sensitive');
  });

  it('examples/local-classify.yaml: sample rows and PII suggestions on the console, nothing profiled', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const wf = await Workflow.create(path.resolve(__dirname, '../../examples/local-classify.yaml'), { registry: registry(), logger: silentLogger, env: {}, stdout: out });
    await wf.execute();
    await wf.stop();
    expect(wf.summary().state).toBe('success');
    const records = text.split('\n').filter((l) => l.includes(' x-')).map((l) => JSON.parse(l.slice(l.indexOf('{'))));
    // No column of these two tables is personal by the rules (a bare `name` is not), so no x-columnTags.
    expect(records.map((r) => [r.kind, r.tableFqn]).sort()).toEqual([
      ['x-sampleData', 'local_datalake.shop.sales."customers.tsv"'],
      ['x-sampleData', 'local_datalake.shop.sales."orders.csv"'],
    ]);
    expect(text).not.toContain('tableProfile');
  });
});
