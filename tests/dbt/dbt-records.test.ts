/**
 * dbt through the sink: the dbt source only reads OpenMetadata and yields records (as OpenMetadata's
 * dbt source does, `ingestion/src/metadata/ingestion/source/database/dbt/metadata.py`, whose records
 * the `metadata_rest` sink writes one type at a time), so a `file` sink shows what dbt would change
 * and a dry run sends nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { builtinPlugin, ConsoleLogger, Workflow } from '@om/core';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { jaffleTables, MAPPING, registry, seedLake, SERVICE, shared, tableFqn, TOKEN } from './helpers';

let server: OmApiServer;
let tmp: string;
/** Requests the seeding made (the run's own come after). */
let seeded = 0;

describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  beforeEach(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'om-dbt-records-'));
    await seedLake(server, jaffleTables('dbt_alice'));
    seeded = server.requests.length;
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const config = (sink: Record<string, unknown>) => ({
    source: {
      type: 'dbt',
      serviceName: SERVICE,
      sourceConfig: {
        config: {
          type: 'DBT',
          tableNameMapping: MAPPING,
          dbtConfigSource: { dbtConfigType: 'local', dbtManifestFilePath: shared('manifest.json'), dbtCatalogFilePath: shared('catalog.json'), dbtRunResultsFilePath: shared('run_results.json') },
        },
      },
    },
    sink,
    workflowConfig: { openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } } },
  });
  const writes = () => server.requests.slice(seeded).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  const logger = new ConsoleLogger({ level: 'WARN', write: () => undefined });

  it('sink: file writes what dbt would change, and nothing reaches the server', async () => {
    const out = path.join(tmp, 'plan.json');
    const wf = await Workflow.create(config({ type: 'file', config: { filename: out } }), { registry: registry({ descriptor: builtinPlugin, name: '@om/core' }), logger, env: {} });
    await wf.execute();
    await wf.stop();
    expect(wf.state()).toBe('success');
    expect(writes()).toEqual([]);
    const records = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>[];
    const ofKind = (kind: string) => records.filter((r) => r.kind === kind);
    expect(ofKind('dataModel')).toHaveLength(8);
    expect(ofKind('dataModel').find((r) => r.tableFqn === tableFqn('dbt_alice', 'customers'))).toMatchObject({
      dataModel: { modelType: 'DBT', resourceType: 'model', upstream: [tableFqn('dbt_alice', 'stg_customers'), tableFqn('dbt_alice', 'stg_orders'), tableFqn('dbt_alice', 'stg_payments')] },
    });
    // The descriptions OpenMetadata lacks, as the JSON Patch the sink would send.
    const patch = ofKind('tablePatch').find((r) => r.tableFqn === tableFqn('dbt_alice', 'customers'))!;
    expect(patch.operations).toContainEqual({ op: 'add', path: '/columns/0/description', value: 'This is a unique identifier for a customer' });
    expect(ofKind('lineage').map((r) => `${r.fromFqn} -> ${r.toFqn}`)).toContain(`${tableFqn('dbt_alice', 'stg_orders')} -> ${tableFqn('dbt_alice', 'orders')}`);
    expect(ofKind('lineage')).toHaveLength(8);
    // Test definitions are create requests (the file holds the body), then the cases with their results per table.
    expect(records.filter((r) => Array.isArray(r.testPlatforms)).map((r) => r.name).sort()).toEqual(['accepted_values', 'not_null', 'relationships', 'unique']);
    const cases = ofKind('testCaseResults').flatMap((r) => r.results as { result?: { testCaseStatus: string } }[]);
    expect(cases).toHaveLength(20);
    expect(cases.every((c) => c.result?.testCaseStatus === 'Success')).toBe(true);
    // The file sink counted every record: the summary shows what dbt would write.
    expect(wf.sink.status.records).toBe(records.length);
  });

  it('--dry-run lists every planned write and sends none', async () => {
    let printed = '';
    const stdout = new Writable({ write: (chunk, _enc, done) => ((printed += String(chunk)), done()) });
    const wf = await Workflow.create(config({ type: 'metadata-rest' }), { registry: registry({ descriptor: builtinPlugin, name: '@om/core' }), logger, env: {}, dryRun: true, stdout });
    await wf.execute();
    await wf.stop();
    expect(wf.state()).toBe('success');
    expect(writes()).toEqual([]);
    const lines = printed.split('\n').filter((l) => l.startsWith('[dry run]'));
    expect(lines).toContain(`[dry run] write dataModel ${tableFqn('dbt_alice', 'orders')}`);
    expect(lines).toContain(`[dry run] write lineage ${tableFqn('dbt_alice', 'stg_orders')} → ${tableFqn('dbt_alice', 'orders')}`);
    expect(lines.filter((l) => l.startsWith('[dry run] write testDefinition '))).toHaveLength(4);
    expect(lines.filter((l) => l.includes('test case result(s) of table'))).not.toHaveLength(0);
  });
});
