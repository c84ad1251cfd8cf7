import * as fs from 'node:fs';
import * as path from 'node:path';
import { sampleTemplateYaml } from '../helpers/sample-config';
import { createUserProject, REPO_ROOT, writeFile, type UserProject } from '../helpers/user-project';

const TEMPLATE_DIR = path.join(REPO_ROOT, 'examples', 'plugin-template');

const sampleConfig = (extra = '') => sampleTemplateYaml('out/result.json', extra);

describe('metadata CLI as a user installs it', () => {
  let project: UserProject;

  beforeAll(() => {
    // The third-party template is packed and installed from its tarball, like a plugin from npm.
    project = createUserProject([], [TEMPLATE_DIR]);
  });

  it('prints its version and help', () => {
    const version = project.run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+ \(@om\/core \d+\.\d+\.\d+\)/);
    const help = project.run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('ingest');
    expect(help.stdout).toContain('plugins');
  });

  it('exits 2 on usage errors', () => {
    expect(project.run([]).status).toBe(2);
    const unknown = project.run(['ingets']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('ingest');
    expect(project.run(['ingest']).status).toBe(2);
  });

  it('lists discovered plugins without importing them, including the installed template', () => {
    const table = project.run(['plugins']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/\| om-plugin-sample \| 0\.1\.0\s+\| source:sample\s+\| enabled/);
    expect(table.stdout).toMatch(/\| @om\/core\s+\| \S+\s+\| sink:file, sink:console \| enabled/);
    const json = JSON.parse(project.run(['plugins', '--output', 'json']).stdout);
    expect(json).toContainEqual(expect.objectContaining({ package: 'om-plugin-sample', id: 'sample', provides: ['source:sample'], enabled: true }));
  });

  it('runs the third-party sample source end to end', () => {
    writeFile(project.dir, 'sample.yaml', sampleConfig());
    const result = project.run(['ingest', '-c', 'sample.yaml']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const written = JSON.parse(fs.readFileSync(path.join(project.dir, 'out', 'result.json'), 'utf8'));
    expect(written.map((r: { name: string }) => r.name)).toEqual(['sample_service', 'sample_db', 'public', 'customers', 'orders']);
    expect(result.stdout).toContain('Workflow finished successfully');
    expect(result.stdout).toMatch(/\| Source sample \| 5\s+\| 0\s+\| 0\s+\| 1\s+\| 0\s+\| 100.00/);
  });

  it('prints a machine-readable summary with --output json', () => {
    writeFile(project.dir, 'sample.yaml', sampleConfig());
    const result = project.run(['ingest', '-c', 'sample.yaml', '--output', 'json']);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ command: 'ingest', state: 'success', successPercent: 100 });
    expect(summary.steps[0]).toMatchObject({ step: 'Source sample', records: 5, filtered: 1, filteredByReason: { 'Table Filtered Out': 1 } });
  });

  it('exits 2 with every violation and no stack trace for a bad config', () => {
    writeFile(
      project.dir,
      'bad.yaml',
      sampleConfig('unknownKey: 1').replace('tables: [customers', 'tabels: [customers').replace("excludes: ['audit.*']", "excludes: ['audit[']"),
    );
    const result = project.run(['ingest', '-c', 'bad.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Invalid configuration in bad.yaml (3 problems)');
    expect(result.stderr).toContain('unknownKey: unknown key "unknownKey"');
    expect(result.stderr).toContain('source.serviceConnection.config.tabels: unknown key "tabels"');
    expect(result.stderr).toContain('hint: did you mean "tables"?');
    expect(result.stderr).toContain('source.sourceConfig.config.tableFilterPattern.excludes[0]: invalid regular expression "audit["');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming an unset environment variable', () => {
    writeFile(project.dir, 'env.yaml', sampleConfig().replace('serviceName: sample_service', 'serviceName: ${SERVICE_NAME}'));
    const result = project.run(['ingest', '-c', 'env.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('source.serviceName: environment variable SERVICE_NAME is not set');
    const ok = project.run(['ingest', '-c', 'env.yaml'], { env: { SERVICE_NAME: 'from_env' } });
    expect(ok.status).toBe(0);
  });

  it('exits 2 for a missing file', () => {
    const result = project.run(['ingest', '-c', 'nope.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cannot read config file: file not found');
  });

  it('names the package to install for a plugin that is not installed', () => {
    writeFile(project.dir, 'ddb.yaml', sampleConfig().replace('type: sample', 'type: dynamodb'));
    const result = project.run(['ingest', '-c', 'ddb.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('needs @om/dynamodb: pnpm add @om/dynamodb');
    writeFile(project.dir, 'typo.yaml', sampleConfig().replace('type: sample', 'type: sampel'));
    expect(project.run(['ingest', '-c', 'typo.yaml']).stderr).toContain('Did you mean "sample"?');
  });

  it('exits 1 when the run is below the success threshold', () => {
    // An output path that cannot be written makes every sink write fail.
    writeFile(project.dir, 'blocker', 'a file where a directory is needed');
    writeFile(project.dir, 'fail.yaml', sampleConfig().replace('out/result.json', 'blocker/result.json'));
    const result = project.run(['ingest', '-c', 'fail.yaml']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('Workflow finished with failures');
  });

  it('never prints a secret from the config, even in errors', () => {
    writeFile(
      project.dir,
      'secret.yaml',
      sampleConfig(`  openMetadataServerConfig:
    hostPort: http://127.0.0.1:1/api
    authProvider: openmetadata
    securityConfig:
      jwtToken: \${OM_JWT}`).replace("workflowConfig:\n  loggerLevel: WARN\n", 'workflowConfig:\n  loggerLevel: DEBUG\n'),
    );
    const secret = 'eyJhbGciOiJIUzI1NiJ9.very-secret-payload.signature';
    const result = project.run(['ingest', '-c', 'secret.yaml', '--debug'], { env: { OM_JWT: secret } });
    expect(result.status).toBe(0);
    const out = fs.readFileSync(path.join(project.dir, 'out', 'result.json'), 'utf8');
    for (const text of [result.stdout, result.stderr, out]) expect(text).not.toContain(secret);
  });
});
