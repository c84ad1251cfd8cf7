/**
 * `metadata ingest-dbt -c <dbt project>` through the built CLI, as OpenMetadata's command runs: the
 * server, token and service from dbt_project.yml vars (the token through dbt's env_var()), the
 * jaffle_shop artifacts from target/, into the OpenMetadata API test server on both versions.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { REPO_ROOT } from '../helpers/user-project';
import { api, jaffleTables, shared, TOKEN } from './helpers';

const CLI = path.join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');

/** The CLI in a child process (the test server answers from this one, so no spawnSync). */
function metadata(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function dbtProject(server: OmApiServer, artifacts = ['manifest.json', 'catalog.json', 'run_results.json']): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-ingest-dbt-'));
  fs.writeFileSync(
    path.join(dir, 'dbt_project.yml'),
    [
      'name: jaffle_shop',
      "version: '0.1'",
      'profile: jaffle_shop',
      'vars:',
      `  openmetadata_host_port: ${server.hostPort}`,
      `  openmetadata_jwt_token: "{{ env_var('OM_DBT_JWT') }}"`,
      '  openmetadata_service_name: warehouse',
      '',
    ].join('\n'),
  );
  fs.mkdirSync(path.join(dir, 'target'));
  for (const a of artifacts) fs.copyFileSync(shared(a), path.join(dir, 'target', a));
  return dir;
}

describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  let server: OmApiServer;
  beforeEach(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
  });
  afterEach(async () => {
    await server.close();
  });

  /** The jaffle_shop relations as a warehouse service holds them: database jaffle_shop, schema dbt_alice. */
  async function seedWarehouse(): Promise<void> {
    const ok = (r: { status: number; body: unknown }) => {
      if (r.status >= 300) throw new Error(`seeding failed: ${r.status} ${JSON.stringify(r.body)}`);
    };
    ok(await api(server, 'PUT', '/services/databaseServices', { name: 'warehouse', serviceType: 'Redshift' }));
    ok(await api(server, 'PUT', '/databases', { name: 'jaffle_shop', service: 'warehouse' }));
    ok(await api(server, 'PUT', '/databaseSchemas', { name: 'dbt_alice', database: 'warehouse.jaffle_shop' }));
    for (const t of jaffleTables('dbt_alice')) {
      ok(await api(server, 'PUT', '/tables', {
        name: t.alias, databaseSchema: 'warehouse.jaffle_shop.dbt_alice', columns: t.columns.map((name) => ({ name, dataType: 'STRING' })),
      }));
    }
  }

  it('ingests the project: data models and lineage on the warehouse tables; the token never printed', async () => {
    await seedWarehouse();
    const dir = dbtProject(server);
    const r = await metadata(['ingest-dbt', '-c', dir, '--output', 'json'], { OM_DBT_JWT: TOKEN });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.stdout).not.toContain(TOKEN);
    const summary = JSON.parse(r.stdout);
    expect(r.status).toBe(0);
    expect(summary).toMatchObject({ command: 'ingest', state: 'success' });
    const customers = server.store.getByName('table', 'warehouse.jaffle_shop.dbt_alice.customers');
    expect(customers.dataModel).toMatchObject({ modelType: 'DBT', resourceType: 'model', path: '/Users/harsha/Code/jaffle_shop/models/customers.sql' });
    // OpenMetadata's ingest-dbt updates descriptions by default (openmetadata_dbt_update_descriptions: true).
    expect(customers.body.description).toContain('basic information about a customer');
    expect(server.store.lineage.length).toBe(8);
  });

  it('names what is missing in dbt_project.yml and exits 2', async () => {
    const dir = dbtProject(server, []);
    fs.writeFileSync(path.join(dir, 'dbt_project.yml'), 'name: x\nvars:\n  openmetadata_service_name: lake\n');
    const r = await metadata(['ingest-dbt', '-c', dir], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('vars.openmetadata_host_port: is required by metadata ingest-dbt');
    expect(r.stderr).toContain("run 'dbt compile' or 'dbt run' in the project first");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
