/** Artifacts over plain HTTP and from dbt Cloud, served by a small local HTTP server. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { jaffleTables, runDbt, seedLake, shared, storedTable, tableFqn, TOKEN } from './helpers';

const CLOUD_TOKEN = 'dbtc_cloud-token-never-printed-4242';
let server: OmApiServer;
let files: http.Server;
let base: string;
const seen: { path: string; auth?: string }[] = [];

const artifact = (name: string) => fs.readFileSync(shared(name));

beforeAll(async () => {
  files = http.createServer((req, res) => {
    try {
      serve(req, res);
    } catch (err) {
      // Answer, so a broken fixture fails the test at once instead of hanging the client.
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String((err as Error).message));
    }
  });
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ path: `${url.pathname}${url.search}`, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
    const send = (status: number, body: string | Buffer) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    };
    // plain HTTP artifacts
    if (url.pathname === '/artifacts/manifest.json') return send(200, artifact('manifest.json'));
    if (url.pathname === '/artifacts/catalog.json') return send(200, artifact('catalog.json'));
    // dbt Cloud API v2
    if (url.pathname.startsWith('/api/v2/')) {
      if (req.headers.authorization !== `Token ${CLOUD_TOKEN}`) return send(401, JSON.stringify({ status: { code: 401, user_message: 'Invalid token' } }));
      if (url.pathname === '/api/v2/accounts/7/runs/') {
        const ok = url.searchParams.get('status') === '10' && url.searchParams.get('order_by') === '-finished_at';
        if (!ok) return send(400, JSON.stringify({ status: { code: 400 } }));
        const job = url.searchParams.get('job_definition_id');
        return send(200, JSON.stringify({ data: job === '3' ? [{ id: 99, status: 10 }] : [] }));
      }
      const m = /^\/api\/v2\/accounts\/7\/runs\/99\/artifacts\/(.+)$/.exec(url.pathname);
      if (m && m[1] === 'manifest.json') return send(200, artifact('manifest.json'));
      if (m && m[1] === 'run_results.json') return send(200, artifact('run_results.json'));
      return send(404, JSON.stringify({ status: { code: 404 } }));
    }
    send(404, '{}');
  };
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => files.close(() => resolve()));
});
// Every test runs against the oldest and the newest OpenMetadata version the server impersonates.
describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  beforeEach(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
    await seedLake(server, jaffleTables('dbt_alice'));
    seen.length = 0;
  });
  afterEach(async () => {
    await server.close();
  });

  test('reads artifacts from HTTP URLs; a missing optional one is a warning', async () => {
    const r = await runDbt(server, {
      dbtConfigSource: {
        dbtConfigType: 'http',
        dbtManifestHttpPath: `${base}/artifacts/manifest.json`,
        dbtCatalogHttpPath: `${base}/artifacts/catalog.json`,
        dbtRunResultsHttpPath: `${base}/artifacts/run_results.json`,
      },
    });
    expect(r.wf.state()).toBe('success');
    expect(r.status.dbt.models.applied).toBe(8);
    expect(r.status.dbt.artifactSets).toEqual([expect.objectContaining({ label: `${base}/artifacts/manifest.json`, catalog: true, runResults: 0 })]);
    expect(r.status.warningSamples).toEqual([
      { name: `${base}/artifacts/run_results.json`, reason: `source.sourceConfig.config.dbtConfigSource.dbtRunResultsHttpPath: ${base}/artifacts/run_results.json answered 404; going on without it` },
    ]);
    expect(storedTable(server, tableFqn('dbt_alice', 'customers')).dataModel).toMatchObject({ resourceType: 'model' });
  });

  test('a manifest URL that fails stops the run in the connection test with the URL and the status', async () => {
    await expect(runDbt(server, { dbtConfigSource: { dbtConfigType: 'http', dbtManifestHttpPath: `${base}/artifacts/nope.json` } })).rejects.toThrow(
      `Connection test failed for source dbt (HEAD ${base}/artifacts/nope.json): source.sourceConfig.config.dbtConfigSource.dbtManifestHttpPath: HEAD ${base}/artifacts/nope.json → 404. Nothing was written.`,
    );
  });

  test('dbt Cloud: the latest successful run of the job, with the token only in the Authorization header', async () => {
    const r = await runDbt(server, {
      dbtConfigSource: { dbtConfigType: 'cloud', dbtCloudUrl: base, dbtCloudAccountId: 7, dbtCloudProjectId: '5', dbtCloudJobId: 3, dbtCloudAuthToken: CLOUD_TOKEN },
    });
    expect(r.wf.state()).toBe('success');
    expect(r.status.dbt.artifactSets).toEqual([expect.objectContaining({ label: 'dbt Cloud run 99', catalog: false, runResults: 1 })]);
    expect(r.status.dbt.tests.results.Success).toBe(20);
    expect(seen[0].path).toBe('/api/v2/accounts/7/runs/?status=10&order_by=-finished_at&limit=1&job_definition_id=3&project_id=5');
    expect(seen.every((s) => s.auth === `Token ${CLOUD_TOKEN}`)).toBe(true);
    expect(r.status.warningSamples.map((w) => w.reason)).toEqual(['dbt Cloud run 99 has no catalog.json; going on without it']);
    expect(r.output).not.toContain(CLOUD_TOKEN);
  });

  test('dbt Cloud: a refused token and a job without successful runs are clear errors without the token', async () => {
    // The connection test lists one run before anything is applied.
    const refused = await runDbt(server, {
      dbtConfigSource: { dbtConfigType: 'cloud', dbtCloudUrl: base, dbtCloudAccountId: '7', dbtCloudAuthToken: 'dbtc_wrong-token-also-secret' },
    }).catch((err: unknown) => err as Error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(
      /^Connection test failed for source dbt \(find the latest successful run of dbt Cloud account 7 at .*\): source\.sourceConfig\.config\.dbtConfigSource\.dbtCloudAuthToken \/ dbtCloudAccountId \/ dbtCloudUrl: GET .* → 401: .*Invalid token/,
    );
    expect((refused as Error).message).not.toContain('dbtc_wrong-token-also-secret');

    const none = await runDbt(server, { dbtConfigSource: { dbtConfigType: 'cloud', dbtCloudUrl: base, dbtCloudAccountId: '7', dbtCloudJobId: '4', dbtCloudAuthToken: CLOUD_TOKEN } }).catch(
      (err: unknown) => err as Error,
    );
    expect((none as Error).message).toBe(
      `Connection test failed for source dbt (find the latest successful run of dbt Cloud account 7 at ${base}): source.sourceConfig.config.dbtConfigSource.dbtCloudJobId / dbtCloudProjectId: no successful run: run the job once, or check the ids. Nothing was written.`,
    );
    expect((none as Error).message).not.toContain(CLOUD_TOKEN);
  });
});
