import { ConsoleLogger, PluginRegistry, Workflow } from '@om/core';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../../../tests/om-api-server';
import { plugin } from './plugin';
import type { MetadataRestSink } from './sink';
import type { MetadataRestStatusSnapshot } from './status';
import { lake, testSourcePlugin } from './testing/test-source';
import { rejection } from './testing/rejection';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpbmdlc3Rpb24tYm90In0.c2lnbmF0dXJlLW9mLXRoZS1ib3Q';

let server: OmApiServer;

interface RunOptions {
  sink?: Record<string, unknown>;
  server?: Record<string, unknown> | null;
  markDeletedTables?: boolean;
}

async function run(options: RunOptions = {}) {
  const registry = new PluginRegistry();
  registry.addDescriptor(plugin, '@om/openmetadata');
  registry.addDescriptor(testSourcePlugin, 'test-lake');
  const lines: string[] = [];
  const logger = new ConsoleLogger({ level: 'DEBUG', write: (l) => lines.push(l) });
  const serverConfig =
    options.server === null
      ? undefined
      : { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN }, ...options.server };
  const config = {
    source: {
      type: 'test-lake',
      serviceName: 'lake',
      serviceConnection: { config: { type: 'Datalake' } },
      sourceConfig: { config: { markDeletedTables: options.markDeletedTables ?? true } },
    },
    sink: { type: 'metadata-rest', config: { tableConcurrency: 4, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...options.sink } },
    workflowConfig: { loggerLevel: 'DEBUG', ...(serverConfig ? { openMetadataServerConfig: serverConfig } : {}) },
  };
  const wf = await Workflow.create(config, { registry, logger, env: {} });
  try {
    await wf.execute();
  } finally {
    await wf.stop();
  }
  let printed = '';
  wf.printStatus((t) => (printed += t), { debug: true });
  const summary = wf.summary();
  const sink = wf.sink as MetadataRestSink;
  const output = [...lines, printed, JSON.stringify(summary)].join('\n');
  expect(output).not.toContain(TOKEN);
  return { wf, sink, status: sink.status.snapshot() as MetadataRestStatusSnapshot, lines, printed, summary };
}

/** Tables on the server: name → {version, deleted}. */
function tables(): Record<string, { version: number; deleted: boolean }> {
  return Object.fromEntries(server.store.all('table').map((t) => [t.name, { version: t.version, deleted: t.deleted }]));
}

const live = () => Object.entries(tables()).filter(([, t]) => !t.deleted).map(([n]) => n).sort();

// Every test runs against the oldest and the newest OpenMetadata version the server impersonates.
describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  beforeEach(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
    lake.current = { schemas: { 'my.bucket': ['a.csv', 'b.csv', 'c.csv', 'd.csv'], logs: ['x.json'] } };
  });
  afterEach(async () => {
    await server.close();
  });

  describe('metadata-rest sink in a workflow', () => {
    it('writes the hierarchy, changes nothing on a re-run, and soft-deletes a removed table on the next run', async () => {
      const first = await run();
      expect(first.wf.state()).toBe('success');
      expect(server.store.all('databaseService').map((s) => s.fullyQualifiedName)).toEqual(['lake']);
      expect(server.store.all('database').map((s) => s.fullyQualifiedName)).toEqual(['lake.default']);
      expect(server.store.all('databaseSchema').map((s) => s.fullyQualifiedName).sort()).toEqual(['lake.default."my.bucket"', 'lake.default.logs']);
      expect(server.store.all('table').map((t) => t.fullyQualifiedName).sort()).toEqual([
        'lake.default."my.bucket"."a.csv"', 'lake.default."my.bucket"."b.csv"', 'lake.default."my.bucket"."c.csv"',
        'lake.default."my.bucket"."d.csv"', 'lake.default.logs."x.json"',
      ]);
      expect(first.status.records).toBe(9);
      expect(first.status.errors).toBe(0);
      expect(first.status.openMetadata).toMatchObject({
        server: server.hostPort,
        serverVersion: version,
        entities: {
          databaseService: { created: 1 },
          database: { created: 1 },
          databaseSchema: { created: 2 },
          table: { created: 5, updated: 0, unchanged: 0, deleted: 0 },
        },
      });
      // `extension` is for file sinks: the REST sink leaves it out (the server would refuse it).
      expect(server.store.all('table')[0].body.extension).toBeUndefined();

      const second = await run();
      expect(second.wf.state()).toBe('success');
      expect(Object.values(tables()).every((t) => t.version === 0.1 && !t.deleted)).toBe(true);
      expect(server.store.all('databaseService')[0].version).toBe(0.1);
      expect(second.status.updated).toBe(0);
      expect(second.status.openMetadata.entities).toMatchObject({
        databaseService: { unchanged: 1, created: 0 },
        table: { unchanged: 5, created: 0, updated: 0, deleted: 0 },
      });
      // The existing service is looked up, never PUT again.
      expect(server.requestsFor('PUT', '/services/databaseServices')).toHaveLength(1);

      lake.current.schemas['my.bucket'] = ['a.csv', 'b.csv', 'c.csv'];
      const third = await run();
      expect(third.wf.state()).toBe('success');
      expect(tables()['d.csv']).toEqual({ version: 0.2, deleted: true });
      expect(live()).toEqual(['a.csv', 'b.csv', 'c.csv', 'x.json']);
      expect(third.status.openMetadata.entities.table).toMatchObject({ unchanged: 4, deleted: 1 });
      const del = server.requestsFor('DELETE', '/tables/');
      expect(del).toHaveLength(1);
      expect(del[0].query).toBe('recursive=true&hardDelete=false');
    });

    it('reports an updated table and counts it as updated', async () => {
      await run();
      lake.current.columns = { 'a.csv': [{ name: 'id', dataType: 'BIGINT' }] };
      const r = await run();
      expect(r.status.updated).toBe(1);
      expect(r.status.openMetadata.entities.table).toMatchObject({ updated: 1, unchanged: 4 });
      expect(tables()['a.csv'].version).toBe(0.2);
    });

    it('deletes nothing after a failed run', async () => {
      await run();
      lake.current.schemas['my.bucket'] = ['a.csv', 'b.csv', 'c.csv'];
      lake.current.unreadable = ['b.csv'];
      const r = await run();
      expect(r.summary.steps[0].errors).toBe(1);
      expect(live()).toEqual(['a.csv', 'b.csv', 'c.csv', 'd.csv', 'x.json']);
      expect(server.requestsFor('DELETE', '/tables/')).toHaveLength(0);
      expect(r.status.warningSamples.map((w) => w.reason)).toContain(
        'skipped for 2 schema(s): the run had failures, so tables missing from it are not known to be gone',
      );
    });

    it('deletes nothing for a schema whose listing failed, and still cleans the others', async () => {
      lake.current.schemas.logs = ['x.json', 'y.json'];
      await run();
      lake.current = { schemas: { 'my.bucket': ['a.csv', 'b.csv', 'c.csv'], logs: ['x.json'] }, failListing: ['my.bucket'] };
      const r = await run();
      expect(live()).toEqual(['a.csv', 'b.csv', 'c.csv', 'd.csv', 'x.json']);
      expect(tables()['y.json'].deleted).toBe(true);
      expect(r.status.warningSamples).toContainEqual({
        name: 'lake.default."my.bucket"',
        reason: 'mark-deleted skipped for this schema: listing its tables failed, so unseen tables are not known to be gone',
      });
    });

    it('does nothing when markDeletedTables is off', async () => {
      await run();
      lake.current.schemas['my.bucket'] = ['a.csv'];
      await run({ markDeletedTables: false });
      expect(live()).toHaveLength(5);
    });

    it('refuses to delete more than markDeletedMaxPercent of a schema and says so', async () => {
      await run();
      lake.current.schemas['my.bucket'] = ['a.csv'];
      const r = await run();
      expect(live()).toEqual(['a.csv', 'b.csv', 'c.csv', 'd.csv', 'x.json']);
      expect(r.status.warnings).toBe(1);
      expect(r.status.warningSamples[0]).toEqual({
        name: 'lake.default."my.bucket"',
        reason:
          'mark-deleted refused for schema lake.default."my.bucket": 3 of its 4 tables (75.0 %) were not seen in this run, ' +
          'more than markDeletedMaxPercent (50 %). Nothing was deleted. If they are really gone, raise sink.config.markDeletedMaxPercent for one run.',
      });
      expect(r.status.openMetadata.markDeletedRefused).toBe(1);
      expect(r.lines.some((l) => l.includes('WARN') && l.includes('mark-deleted refused for schema lake.default."my.bucket"'))).toBe(true);

      // Exactly half is allowed; a raised threshold lets the rest go.
      lake.current.schemas['my.bucket'] = ['a.csv', 'b.csv'];
      await run();
      expect(live()).toEqual(['a.csv', 'b.csv', 'x.json']);
      lake.current.schemas['my.bucket'] = [];
      await run({ sink: { markDeletedMaxPercent: 100 } });
      expect(live()).toEqual(['x.json']);
    });

    it('records each failed table with the server message, and the run is not counted as a success', async () => {
      lake.current.columns = { 'b.csv': [{ name: 'name', dataType: 'VARCHAR' }] };
      const r = await run();
      expect(r.status.errors).toBe(1);
      expect(r.status.records).toBe(8);
      expect(r.status.failureSamples[0]).toMatchObject({
        name: 'lake.default."my.bucket"."b.csv"',
        error:
          'Failed to ingest lake.default."my.bucket"."b.csv": PUT /tables → 400: For column data types char, varchar, binary, varbinary dataLength must not be null',
      });
      expect(r.wf.resultStatus()).toBe(1);
      expect(live()).toEqual(['a.csv', 'c.csv', 'd.csv', 'x.json']);
    });

    it('retries 503s and dropped connections during a run', async () => {
      server.injectFault({ method: 'PUT', path: '/tables', status: 503, times: 3 });
      server.injectFault({ method: 'PUT', path: '/databaseSchemas', drop: true, times: 1 });
      const r = await run();
      expect(r.wf.state()).toBe('success');
      expect(live()).toHaveLength(5);
      expect(server.requestsFor('PUT', '/tables').filter((q) => q.status === 503)).toHaveLength(3);
    });

    it('keeps table PUTs within tableConcurrency', async () => {
      // One schema, so nothing but table PUTs can overlap.
      lake.current.schemas = { 'my.bucket': Array.from({ length: 12 }, (_, i) => `t${i}.csv`) };
      server.latencyMs = 15;
      const r = await run({ sink: { tableConcurrency: 3 } });
      expect(r.status.errors).toBe(0);
      expect(live()).toHaveLength(12);
      expect(server.maxInFlight).toBeLessThanOrEqual(3);
      expect(server.maxInFlight).toBeGreaterThan(1);
    });

    it('never overwrites an existing service unless forceEntityOverwriting', async () => {
      await run();
      const svc = server.store.all('databaseService')[0];
      svc.body.description = 'edited in the UI';
      await run();
      expect(svc.body.description).toBe('edited in the UI');
      expect(server.requestsFor('PUT', '/services/databaseServices')).toHaveLength(1);
      await run({ server: { forceEntityOverwriting: true } });
      expect(server.requestsFor('PUT', '/services/databaseServices')).toHaveLength(2);
    });

    it('leaves the connection out with storeServiceConnection: false', async () => {
      await run({ server: { storeServiceConnection: false } });
      expect(server.store.all('databaseService')[0].body.connection).toBeUndefined();
    });

    it('fails at create time without openMetadataServerConfig, on a version mismatch, and on refused credentials', async () => {
      await expect(run({ server: null })).rejects.toThrow(
        /workflowConfig\.openMetadataServerConfig: is required when sink\.type is "metadata-rest"/,
      );
      server.version = '0.13.1';
      await expect(run()).rejects.toThrow(/OpenMetadata server version 0\.13\.1 is not supported/);
      server.version = '1.6.2';
      server.token = 'rotated-token-value';
      const err = await rejection(run());
      expect(err.message).toMatch(/^OpenMetadata refused the credentials of authProvider "openmetadata" \(GET \/services\/databaseServices → 401: Not Authorized! Invalid token\)/);
      expect(err.message).not.toContain(TOKEN);
      expect(server.store.all('databaseService')).toHaveLength(0);
    });

    it('works without auth against a server that needs none', async () => {
      server.token = undefined;
      const r = await run({ server: { authProvider: 'no-auth', securityConfig: undefined } });
      expect(r.wf.state()).toBe('success');
      expect(server.requests.every((q) => !q.authorized)).toBe(true);
    });
  });
});
