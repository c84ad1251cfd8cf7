/**
 * A third-party object store, installed from its tarball outside the workspace, is chosen by the
 * configSource keys it declares (`om.declares` in its package.json) and reads a Datalake end to end.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { createUserProject, REPO_ROOT, writeFile, type UserProject } from '../helpers/user-project';
import { startStaticFileServer, type StaticFileServer } from '../helpers/static-file-server';

const STORE_DIR = path.join(REPO_ROOT, 'examples', 'store-static');

const TOKEN = 'third-party-store-token';

const config = (configSource: string, sink = 'type: file\n  config:\n    filename: out/tables.json', server = '') => `
source:
  type: datalake
  serviceName: static_lake
  serviceConnection:
    config:
      type: Datalake
      configSource: ${configSource}
      bucketName: lake
  sourceConfig:
    config:
      type: DatabaseMetadata
sink:
  ${sink}
workflowConfig:
  loggerLevel: WARN
${server}
`;

describe('a third-party object store installed from a tarball', () => {
  let project: UserProject;
  let server: StaticFileServer;
  let root: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-static-lake-'));
    writeFile(root, 'lake/sales/orders.csv', 'order_id,amount,placed_at\n1,9.50,2024-01-02\n2,3.25,2024-01-03\n');
    writeFile(root, 'lake/events.jsonl', '{"id":1,"kind":"click","meta":{"x":1}}\n{"id":2,"kind":"view","meta":{"x":2}}\n');
    server = await startStaticFileServer(root);
    project = createUserProject(['@om/datalake', '@om/object-store', '@om/openmetadata'], [STORE_DIR]);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('is listed by the CLI from its manifest', () => {
    const json = JSON.parse(project.run(['plugins', '--output', 'json']).stdout);
    expect(json).toContainEqual(expect.objectContaining({ package: 'om-store-static', provides: ['objectStore:static'], enabled: true }));
  });

  it('is chosen for a configSource with its key and ingests the bucket', async () => {
    writeFile(project.dir, 'static.yaml', config(`{staticBaseUrl: "${server.url}"}`));
    const result = await project.runAsync(['ingest', '-c', 'static.yaml']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const written = JSON.parse(fs.readFileSync(path.join(project.dir, 'out', 'tables.json'), 'utf8')) as { name: string; columns?: { name: string; dataType: string }[] }[];
    const tables = Object.fromEntries(written.filter((r) => r.columns).map((t) => [t.name, t.columns!.map((c) => `${c.name}:${c.dataType}`)]));
    expect(tables).toEqual({
      'events.jsonl': ['id:INT', 'kind:STRING', 'meta:JSON'],
      'sales/orders.csv': ['order_id:INT', 'amount:FLOAT', 'placed_at:DATE'],
    });
    // Read through the store: folder indexes as JSON, then the files.
    expect(server.requests).toEqual(expect.arrayContaining(['GET /lake/', 'GET /lake/sales/']));
    expect(server.requests.some((r) => r.startsWith('GET /lake/sales/orders.csv'))).toBe(true);
  });

  it('without the plugin installed, its key is refused by name (exit 2)', () => {
    const bare = createUserProject(['@om/datalake']);
    writeFile(bare.dir, 'static.yaml', config(`{staticBaseUrl: "${server.url}"}`));
    const result = bare.run(['ingest', '-c', 'static.yaml']);
    expect(result.status).toBe(2);
    // Without the plugin nothing declares staticBaseUrl: the local store's schema names the key.
    expect(result.stderr).toContain('staticBaseUrl');
  });

  // The same run into OpenMetadata: the store's own settings are om-ingest extensions, never sent.
  describe.each(IMPERSONATED_VERSIONS)('into OpenMetadata %s', (version) => {
    let om: OmApiServer;
    beforeAll(async () => {
      om = await startOmApiServer({ token: TOKEN, version });
    });
    afterAll(async () => {
      await om?.close();
    });

    it('creates the service, the bucket schema and one table per file, accepted by the strict server', async () => {
      const omConfig = `  openMetadataServerConfig:\n    hostPort: ${om.hostPort}\n    authProvider: openmetadata\n    securityConfig:\n      jwtToken: \${OM_JWT}`;
      writeFile(project.dir, 'static-om.yaml', config(`{staticBaseUrl: "${server.url}"}`, 'type: metadata-rest', omConfig));
      const result = await project.runAsync(['ingest', '-c', 'static-om.yaml'], { env: { OM_JWT: TOKEN } });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const live = (kind: 'databaseService' | 'databaseSchema' | 'table') => om.store.all(kind).filter((e) => !e.deleted);
      expect(live('databaseService').map((e) => [e.name, e.body.connection])).toEqual([['static_lake', { config: { type: 'Datalake', configSource: {}, bucketName: 'lake' } }]]);
      expect(live('databaseSchema').map((e) => e.name)).toEqual(['lake']);
      expect(live('table').map((t) => t.name).sort()).toEqual(['events.jsonl', 'sales/orders.csv']);
    });
  });
});
