import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '@om/core';
import { dbtProjectWorkflowConfig, fromDbtEnvVars } from './project';

const SHARED = path.resolve(__dirname, '../../../../shared/testdata/dbt');

function project(vars: string, artifacts: string[] = ['manifest.json', 'catalog.json', 'run_results.json']): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-dbt-project-'));
  fs.writeFileSync(path.join(dir, 'dbt_project.yml'), `name: jaffle_shop\nversion: '1.0'\nprofile: jaffle_shop\n${vars}`);
  fs.mkdirSync(path.join(dir, 'target'));
  for (const a of artifacts) fs.copyFileSync(path.join(SHARED, a), path.join(dir, 'target', a));
  return dir;
}

const VARS = `vars:
  openmetadata_host_port: http://localhost:8585/api
  openmetadata_jwt_token: "{{ env_var('OM_JWT') }}"
  openmetadata_service_name: "{{ env_var('OM_SERVICE', 'lake') }}"
  openmetadata_dbt_update_owners: false
  openmetadata_table_filter_pattern:
    includes: ['.*orders.*']
`;

describe('metadata ingest-dbt: the workflow from dbt_project.yml (OpenMetadata cli/ingest_dbt.py)', () => {
  it('takes the server, token and service from vars and the artifacts from target/', () => {
    const dir = project(VARS);
    const config = dbtProjectWorkflowConfig(dir) as any;
    expect(config.source).toMatchObject({ type: 'dbt', serviceName: '${OM_SERVICE:-lake}' });
    expect(config.source.sourceConfig.config).toEqual({
      type: 'DBT',
      dbtConfigSource: {
        dbtConfigType: 'local',
        dbtManifestFilePath: path.join(dir, 'target', 'manifest.json'),
        dbtCatalogFilePath: path.join(dir, 'target', 'catalog.json'),
        dbtRunResultsFilePath: path.join(dir, 'target', 'run_results.json'),
      },
      // OpenMetadata's defaults: descriptions and owners updated, tags included, one database.
      dbtUpdateDescriptions: true,
      dbtUpdateOwners: false,
      includeTags: true,
      searchAcrossDatabases: false,
      tableFilterPattern: { includes: ['.*orders.*'] },
    });
    expect(config.sink).toEqual({ type: 'metadata-rest', config: {} });
    expect(config.workflowConfig.openMetadataServerConfig).toEqual({ hostPort: 'http://localhost:8585/api', authProvider: 'openmetadata', securityConfig: { jwtToken: '${OM_JWT}' } });
  });

  it('uses sources.json when dbt source freshness wrote one', () => {
    const dir = project(VARS, ['manifest.json']);
    fs.writeFileSync(path.join(dir, 'target', 'sources.json'), '{"results": []}');
    expect((dbtProjectWorkflowConfig(dir) as any).source.sourceConfig.config.dbtConfigSource).toEqual({
      dbtConfigType: 'local', dbtManifestFilePath: path.join(dir, 'target', 'manifest.json'), dbtSourcesFilePath: path.join(dir, 'target', 'sources.json'),
    });
  });

  it('names every missing var and a missing manifest, with the fix', () => {
    const dir = project('vars:\n  openmetadata_host_port: localhost:8585\n', []);
    let err: unknown;
    try {
      dbtProjectWorkflowConfig(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain(path.join(dir, 'dbt_project.yml'));
    expect(message).toContain('vars.openmetadata_jwt_token: is required by metadata ingest-dbt');
    expect(message).toContain('vars.openmetadata_service_name: is required by metadata ingest-dbt');
    expect(message).toContain('vars.openmetadata_host_port: "localhost:8585" is not an http(s) URL');
    expect(message).toContain("run 'dbt compile' or 'dbt run' in the project first");
  });

  it('a folder without dbt_project.yml says what to give', () => {
    expect(() => dbtProjectWorkflowConfig(os.tmpdir())).toThrow(/no dbt_project\.yml in .*give the folder of a dbt project/s);
  });

  it("dbt's env_var() becomes a variable reference", () => {
    expect(fromDbtEnvVars({ a: "{{ env_var('X') }}", b: ["{{env_var(\"Y\", \"d\")}}"] })).toEqual({ a: '${X}', b: ['${Y:-d}'] });
  });
});
