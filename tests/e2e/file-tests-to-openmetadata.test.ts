/**
 * tableDiff (two files of one lake, keyed), tableDataToBeFresh and columnValuesToBeAtExpectedLocation
 * through `metadata test` (Datalake TestSuite source → orm-test-runner → metadata-rest) into the strict
 * OpenMetadata API test server, on every impersonated version. The server is given the three
 * definitions first, as a server that has them (newer OpenMetadata; Collate for tableDataToBeFresh).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinPlugin, PluginRegistry, silentLogger, Workflow } from '@om/core';
import { plugin as datalakePlugin } from '@om/datalake';
import { plugin as openMetadataPlugin } from '@om/openmetadata';
import { profilerPlugin } from '@om/profiler';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';

const TOKEN = 'e2e-file-tests-token';
const SERVICE = 'dq_lake';
const ORDERS = `${SERVICE}.default.sales."orders.csv"`;
const ORDERS_COPY = `${SERVICE}.default.sales."orders_copy.csv"`;
const SHOPS = `${SERVICE}.default.sales."shops.csv"`;

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(datalakePlugin, '@om/datalake');
  r.addDescriptor(openMetadataPlugin, '@om/openmetadata');
  r.addDescriptor(profilerPlugin, '@om/profiler');
  return r;
}

const square = (lon: number, lat: number, d: number) => [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]];

describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  let server: OmApiServer;
  let root: string;
  const now = new Date();
  const recent = new Date(now.getTime() - 600_000).toISOString().slice(0, 19).replace('T', ' ');

  const run = async (config: Record<string, unknown>) => {
    const wf = await Workflow.create(
      {
        ...config,
        sink: { type: 'metadata-rest', config: {} },
        workflowConfig: { loggerLevel: 'ERROR', openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } } },
      },
      { registry: registry(), logger: silentLogger, env: {}, configDir: root },
    );
    try {
      await wf.execute();
    } finally {
      await wf.stop();
    }
    return wf;
  };
  const source = (sourceConfig: Record<string, unknown>) => ({
    type: 'datalake',
    serviceName: SERVICE,
    serviceConnection: { config: { type: 'Datalake', configSource: { root }, bucketName: '', prefix: '' } },
    sourceConfig: { config: sourceConfig },
  });
  // Row counts are fields of the results from 1.3 on; the sink leaves them out for older servers.
  const rows = (r: Record<string, number>) => (version === '1.2.0' ? {} : r);
  const results = (fqn: string) => server.store.testCases.get(fqn)!.results;

  beforeAll(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-e2e-dq-'));
    fs.mkdirSync(path.join(root, 'sales'));
    fs.writeFileSync(path.join(root, 'sales', 'orders.csv'), `id,customer,amount,updated_at\n1,ann,10,2024-01-01 00:00:00\n2,bob,20,${recent}\n3,cid,30,2024-01-02 00:00:00\n`);
    fs.writeFileSync(path.join(root, 'sales', 'orders_copy.csv'), 'id,customer,amount,updated_at\n1,ann,10,2024-01-01 00:00:00\n2,bob,25,2024-01-01 00:00:00\n4,dan,40,2024-01-01 00:00:00\n');
    fs.writeFileSync(path.join(root, 'sales', 'shops.csv'), 'shop,city,lon,lat\n1,Paris,2.35,48.85\n2,Lyon,2.35,48.85\n3,Lyon,4.85,45.76\n');
    fs.writeFileSync(
      path.join(root, 'cities.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { libgeo: 'Paris', codgeo: '75056' }, geometry: { type: 'Polygon', coordinates: square(2.35, 48.85, 0.05) } },
          { type: 'Feature', properties: { libgeo: 'Lyon', codgeo: '69123' }, geometry: { type: 'Polygon', coordinates: square(4.85, 45.76, 0.05) } },
        ],
      }),
    );
    const meta = await run({ source: source({ type: 'DatabaseMetadata' }) });
    expect(meta.summary().state).toBe('success');
    for (const [name, entityType] of [['tableDiff', 'TABLE'], ['tableDataToBeFresh', 'TABLE'], ['columnValuesToBeAtExpectedLocation', 'COLUMN']]) {
      const res = await fetch(`${server.hostPort}/v1/dataQuality/testDefinitions`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, description: name, entityType, testPlatforms: ['OpenMetadata'] }),
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('runs tableDiff against a second file and tableDataToBeFresh, with OpenMetadata result values', async () => {
    const wf = await run({
      source: { ...source({ type: 'TestSuite', entityFullyQualifiedName: ORDERS }), type: 'testsuite' },
      processor: {
        type: 'orm-test-runner',
        config: {
          testCases: [
            { name: 'same_as_copy', testDefinitionName: 'tableDiff', computePassedFailedRowCount: true, parameterValues: [{ name: 'table2', value: ORDERS_COPY }, { name: 'keyColumns', value: "['id']" }, { name: 'useColumns', value: "['customer', 'amount']" }] },
            { name: 'fresh', testDefinitionName: 'tableDataToBeFresh', parameterValues: [{ name: 'column', value: 'updated_at' }, { name: 'timeSinceUpdate', value: '3600' }] },
          ],
        },
      },
    });
    expect(wf.summary().state).toBe('success');
    const diff = results(`${ORDERS}.same_as_copy`).at(-1)!;
    expect(diff).toMatchObject({
      testCaseStatus: 'Failed',
      result: 'Found 3 different rows which is more than the threshold of 0',
      testResultValue: [
        { name: 'removedRows', value: '1' },
        { name: 'addedRows', value: '1' },
        { name: 'changedRows', value: '1' },
        { name: 'diffCount', value: '3' },
      ],
      ...rows({ passedRows: 1, failedRows: 3 }),
    });
    const fresh = results(`${ORDERS}.fresh`).at(-1) as unknown as { testCaseStatus: string; testResultValue: { name: string; value: string }[] };
    expect(fresh.testCaseStatus).toBe('Success');
    expect(Number(fresh.testResultValue![0].value)).toBeGreaterThanOrEqual(600);
    expect(Number(fresh.testResultValue![0].value)).toBeLessThan(3600);
  });

  it('runs columnValuesToBeAtExpectedLocation with the reference shapes file', async () => {
    const wf = await run({
      source: { ...source({ type: 'TestSuite', entityFullyQualifiedName: SHOPS }), type: 'testsuite' },
      processor: {
        type: 'orm-test-runner',
        config: {
          locationReferenceFile: 'cities.geojson',
          testCases: [
            {
              name: 'in_city',
              testDefinitionName: 'columnValuesToBeAtExpectedLocation',
              columnName: 'city',
              computePassedFailedRowCount: true,
              parameterValues: [
                { name: 'locationReferenceType', value: 'CITY' },
                { name: 'longitudeColumnName', value: 'lon' },
                { name: 'latitudeColumnName', value: 'lat' },
                { name: 'radius', value: '1000' },
              ],
            },
          ],
        },
      },
    });
    expect(wf.summary().state).toBe('success');
    expect(results(`${SHOPS}.city.in_city`).at(-1)).toMatchObject({
      testCaseStatus: 'Failed',
      result: 'Found validLocation=2, invalidLocation=1,unknownLocation=0 vs. expected 0 invalidLocation.',
      testResultValue: [
        { name: 'validLocation', value: '2' },
        { name: 'invalidLocation', value: '1' },
        { name: 'unknownLocation', value: '0' },
      ],
      ...rows({ failedRows: 1, passedRows: 2 }),
    });
  });
});
