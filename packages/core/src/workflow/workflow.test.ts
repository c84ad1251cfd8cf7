import * as fs from 'node:fs';
import * as path from 'node:path';
import { left, right } from '../either';
import { WorkflowExecutionError } from '../errors';
import { silentLogger } from '../logger';
import { registryWith, scriptedSourcePlugin, tableRecord, tempDir, type ScriptItem } from '../testing/fixtures';
import { Workflow } from './workflow';

function config(out: string, extra: Record<string, unknown> = {}) {
  return {
    source: {
      type: 'scripted',
      serviceName: 'svc',
      serviceConnection: { config: { type: 'Scripted', password: 'Sup3r-Secret-Pw' } },
      sourceConfig: { config: { type: 'DatabaseMetadata' } },
    },
    sink: { type: 'file', config: { filename: out } },
    workflowConfig: { ...extra },
  };
}

const hierarchy: ScriptItem[] = [
  right({ kind: 'databaseService', entity: { name: 'svc', serviceType: 'CustomDatabase', connection: { config: { password: 'Sup3r-Secret-Pw' } } } }),
  right({ kind: 'database', entity: { name: 'db', service: 'svc' } }),
  right({ kind: 'databaseSchema', entity: { name: 'schema', database: 'svc.db' } }),
];

async function run(items: ScriptItem[], extra: Record<string, unknown> = {}) {
  const dir = tempDir();
  const out = path.join(dir, 'out.json');
  const wf = await Workflow.create(config(out, extra), { registry: registryWith(scriptedSourcePlugin(() => items)), logger: silentLogger });
  await wf.execute();
  await wf.stop();
  return { wf, out };
}

describe('Workflow', () => {
  it('refuses --state for a source that cannot run incrementally, naming the option and the fix', async () => {
    const dir = tempDir();
    const create = Workflow.create(config(path.join(dir, 'out.json')), {
      registry: registryWith(scriptedSourcePlugin(() => hierarchy)),
      logger: silentLogger,
      state: path.join(dir, 'state.json'),
    });
    await expect(create).rejects.toThrow(/--state: source "scripted" cannot run incrementally.*run it without --state/s);
    expect(fs.existsSync(path.join(dir, 'state.json'))).toBe(false);
  });

  it('runs source → sink and counts records per step', async () => {
    const { wf, out } = await run([...hierarchy, tableRecord('a'), tableRecord('b')]);
    const summary = wf.summary();
    expect(summary.state).toBe('success');
    expect(summary.steps.map((s) => [s.step, s.records, s.errors])).toEqual([
      ['Source scripted', 5, 0],
      ['Sink file', 5, 0],
    ]);
    const written = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(written.map((r: { name: string }) => r.name)).toEqual(['svc', 'db', 'schema', 'a', 'b']);
    expect(wf.resultStatus()).toBe(0);
    expect(() => wf.raiseFromStatus()).not.toThrow();
  });

  it('keeps going after a failed item and passes when above the threshold', async () => {
    const items: ScriptItem[] = [...hierarchy];
    for (let i = 0; i < 19; i++) items.push(tableRecord(`t${i}`));
    items.push(left('bad.csv', 'cannot parse'));
    const { wf } = await run(items);
    const source = wf.summary().steps[0];
    expect(source.records).toBe(22);
    expect(source.errors).toBe(1);
    expect(source.failureSamples).toEqual([{ name: 'bad.csv', error: 'cannot parse' }]);
    expect(source.successPercent).toBe(95.65);
    expect(wf.summary().state).toBe('partialSuccess');
    expect(wf.resultStatus()).toBe(1);
    expect(() => wf.raiseFromStatus()).not.toThrow();
  });

  it('raises when below the success threshold', async () => {
    const items: ScriptItem[] = [...hierarchy, left('x', 'boom'), left('y', 'boom')];
    const { wf } = await run(items, { successThreshold: 70 });
    expect(wf.summary().steps[0].successPercent).toBe(60);
    expect(wf.summary().state).toBe('failed');
    expect(() => wf.raiseFromStatus()).toThrow(WorkflowExecutionError);
    expect(() => wf.raiseFromStatus()).toThrow(/Source scripted reported 2 error\(s\); success 60% is below the threshold of 70%/);
  });

  it('honours a lower threshold', async () => {
    const { wf } = await run([...hierarchy, left('x', 'boom'), left('y', 'boom')], { successThreshold: 50 });
    expect(() => wf.raiseFromStatus()).not.toThrow();
  });

  it('records a source that throws as a failed run, and the sink output stays valid JSON', async () => {
    const { wf, out } = await run([...hierarchy, { throw: 'connection refused' }]);
    expect(wf.summary().state).toBe('failed');
    expect(() => wf.raiseFromStatus()).toThrow(/Source scripted failed: connection refused/);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toHaveLength(3);
  });

  it('never writes a secret into output files, status or the summary', async () => {
    const items: ScriptItem[] = [...hierarchy, left('x', 'login failed with password Sup3r-Secret-Pw')];
    const { wf, out } = await run(items);
    let printed = '';
    wf.printStatus((t) => (printed += t));
    const everything = [fs.readFileSync(out, 'utf8'), printed, JSON.stringify(wf.summary())].join('\n');
    expect(everything).toContain('login failed with password ******');
    expect(everything).not.toContain('Sup3r-Secret-Pw');
  });

  it('stop() during execute ends the run after the current record and closes the steps', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.json');
    let wf!: Workflow;
    const plugin = scriptedSourcePlugin(() => {
      const items: ScriptItem[] = [...hierarchy];
      for (let i = 0; i < 1000; i++) items.push(tableRecord(`t${i}`));
      return items;
    });
    wf = await Workflow.create(config(out), { registry: registryWith(plugin), logger: silentLogger });
    const running = wf.execute();
    await new Promise((r) => setImmediate(r));
    await wf.stop();
    await running;
    const summary = wf.summary();
    expect(summary.stopped).toBe(true);
    expect(summary.steps[0].records).toBeLessThan(1003);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).length).toBe(summary.steps[1].records);
  });

  it('stop() ends a run stuck in a source read that never answers: state stopped, valid output file', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.json');
    const plugin = scriptedSourcePlugin(() => [...hierarchy, tableRecord('a'), { hang: true }, tableRecord('never')]);
    const wf = await Workflow.create(config(out), { registry: registryWith(plugin), logger: silentLogger });
    const running = wf.execute();
    while (wf.summary().steps[1].records < 4) await new Promise((r) => setTimeout(r, 5));
    await wf.stop();
    await running;
    const summary = wf.summary();
    expect(summary.state).toBe('stopped');
    expect(summary.stopped).toBe(true);
    const written = JSON.parse(fs.readFileSync(out, 'utf8')) as { name: string }[];
    expect(written.map((r) => r.name)).toEqual(['svc', 'db', 'schema', 'a']);
    let printed = '';
    wf.printStatus((t) => (printed += t));
    expect(printed).toContain('Workflow was stopped before the source was exhausted');
  });

  it('prints OpenMetadata-style summary with failures table and success %', async () => {
    const { wf } = await run([...hierarchy, tableRecord('a'), left('broken.csv', 'unexpected end of file')]);
    let printed = '';
    wf.printStatus((t) => (printed += t));
    expect(printed).toMatch(/\| Step\s+\| Processed \| Updated \| Warnings \| Filtered \| Errors \| Success % \|/);
    expect(printed).toMatch(/\| Source scripted \| 4\s+\| 0\s+\| 0\s+\| 0\s+\| 1\s+\| 80.00\s+\|/);
    expect(printed).toMatch(/\| Source scripted \| broken.csv\s+\| unexpected end of file \|/);
    expect(printed).toContain('Success %: 80.00 (threshold 90)');
    expect(printed).toContain('Workflow finished with failures');
  });

  it('writes JSON Lines when asked', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'nested', 'out.jsonl');
    const cfg = config(out);
    (cfg.sink.config as Record<string, unknown>).format = 'jsonl';
    const wf = await Workflow.create(cfg, { registry: registryWith(scriptedSourcePlugin(() => [...hierarchy])), logger: silentLogger });
    await wf.execute();
    await wf.stop();
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.name)).toEqual(['svc', 'db', 'schema']);
  });
});
