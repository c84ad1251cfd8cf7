/**
 * The bundled examples through the built `metadata` command, as the README's quick start runs
 * them (native module loading, not Jest's, so packaging mistakes show here).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/user-project';

const CLI = path.join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');

function metadata(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bundled examples through the built CLI', () => {
  it('ingest: the local data lake quick start succeeds with every table and no failures', () => {
    const r = metadata(['ingest', '-c', 'examples/local-datalake.yaml', '--output', 'json']);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.state).toBe('success');
    expect(summary.steps.map((s: { errors: number }) => s.errors)).toEqual([0, 0]);
    // The console tree went to stderr because stdout carries the JSON.
    for (const table of ['orders.csv', 'customers.tsv', 'events.jsonl', 'products.json', 'returns.csv.gz', 'archive/2023.json.zip', 'clicks.avro', 'products.parquet', 'schemas/person.json']) {
      expect(r.stderr).toContain(`table ${table}  (`);
    }
    expect(r.stderr).toContain('table events  (parquet, Partitioned');
  });

  it('profile: every example table is profiled, with an HTML report', () => {
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-report-')), 'profile.html');
    const r = metadata(['profile', '-c', 'examples/local-profiler.yaml', '--report', report, '--output', 'json']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.steps.map((s: { step: string; errors: number }) => [s.step, s.errors])).toEqual([
      ['Source datalake', 0],
      ['Processor orm-profiler', 0],
      ['Sink console', 0],
    ]);
    expect(summary.steps[1].records).toBeGreaterThanOrEqual(4);
    const html = fs.readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('orders.csv');
  });

  it('test: the example test suite runs every case', () => {
    const r = metadata(['test', '-c', 'examples/local-testsuite.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/tests local_datalake\.shop\.sales\."orders\.csv": \d+\/\d+ passed/);
    expect(r.stdout).toContain('Workflow finished successfully');
  });

  it('classify: sample rows of the example tables, nothing profiled; profile refuses the config and names classify', () => {
    const r = metadata(['classify', '-c', 'examples/local-classify.yaml', '--output', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).state).toBe('success');
    expect(r.stderr).toContain('x-sampleData {"kind":"x-sampleData","name":"local_datalake.shop.sales.\\"orders.csv\\"');
    expect(r.stderr).toContain('[1001,"C-01","2024-01-15",19.99,1,true,"first order, gift wrapped"]');
    expect(r.stderr).not.toContain('tableProfile');
    const wrong = metadata(['profile', '-c', 'examples/local-classify.yaml']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('this config is an AutoClassification workflow');
    expect(wrong.stderr).toContain('hint: run it with: metadata classify -c examples/local-classify.yaml');
  });
});
