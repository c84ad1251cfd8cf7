/**
 * The main job end to end: the bundled local data lake through the Datalake source into the
 * strict OpenMetadata API test server with the metadata-rest sink, as `metadata ingest` runs it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinPlugin, PluginRegistry, silentLogger, Workflow } from '@om/core';
import { plugin as datalakePlugin } from '@om/datalake';
import { plugin as openMetadataPlugin } from '@om/openmetadata';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { REPO_ROOT } from '../helpers/user-project';

const TOKEN = 'e2e-bot-token-value';

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(datalakePlugin, '@om/datalake');
  r.addDescriptor(openMetadataPlugin, '@om/openmetadata');
  return r;
}

function config(server: OmApiServer, root: string, markDeletedTables = true) {
  return {
    source: {
      type: 'datalake',
      serviceName: 'local_datalake',
      serviceConnection: { config: { type: 'Datalake', configSource: { root }, bucketName: '', prefix: '' } },
      sourceConfig: { config: { type: 'DatabaseMetadata', markDeletedTables } },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: {
      openMetadataServerConfig: {
        hostPort: server.hostPort,
        authProvider: 'openmetadata',
        securityConfig: { jwtToken: TOKEN },
      },
    },
  };
}

async function run(server: OmApiServer, root: string) {
  const wf = await Workflow.create(config(server, root), { registry: registry(), logger: silentLogger });
  await wf.execute();
  await wf.stop();
  return wf;
}

// Every test runs against the oldest and the newest OpenMetadata version the server impersonates.
describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  describe('local data lake → OpenMetadata API test server', () => {
    let server: OmApiServer;
    let root: string;

    beforeAll(async () => {
      server = await startOmApiServer({ token: TOKEN, version });
      // A private copy of the example lake, so the test can remove a file.
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-e2e-lake-'));
      fs.cpSync(path.join(REPO_ROOT, 'examples', 'datalake'), root, { recursive: true });
    });

    afterAll(async () => {
      await server.close();
    });

    it('creates the service, database, one schema per bucket and one table per file, accepted by the strict server', async () => {
      const wf = await run(server, root);
      const summary = wf.summary();
      expect(summary.steps.map((s) => [s.step, s.errors])).toEqual(summary.steps.map((s) => [s.step, 0]));
      expect(summary.state).toBe('success');

      const live = (kind: 'databaseService' | 'database' | 'databaseSchema' | 'table') => server.store.all(kind).filter((e) => !e.deleted);
      expect(live('databaseService').map((e) => e.name)).toEqual(['local_datalake']);
      expect(live('database').map((e) => e.name)).toEqual(['default']);
      // om-ingest's own settings (the local root) are not sent: OpenMetadata's schema has no such field.
      expect(live('databaseService')[0].body.connection).toEqual({
        config: { type: 'Datalake', configSource: {}, bucketName: '', prefix: '' },
      });
      const buckets = fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory()).sort();
      expect(live('databaseSchema').map((e) => e.name).sort()).toEqual(buckets);

      const tables = live('table');
      const sinkRecords = summary.steps.find((s) => s.step.startsWith('Sink'))!.records;
      // service + database + schemas + tables
      expect(tables.length).toBe(sinkRecords - 2 - buckets.length);
      for (const t of tables) expect((t.body.columns as unknown[]).length).toBeGreaterThan(0);
    });

    it('changes nothing on an unchanged re-run (no version bumps)', async () => {
      const versions = () => new Map(server.store.all('table').map((e) => [e.fullyQualifiedName, e.version]));
      const before = versions();
      await run(server, root);
      const after = versions();
      expect(after).toEqual(before);
    });

    it('soft-deletes the table of a removed file on the next run', async () => {
      const bucket = fs.readdirSync(root).find((d) => fs.statSync(path.join(root, d)).isDirectory())!;
      const files = (fs.readdirSync(path.join(root, bucket), { recursive: true }) as string[])
        .filter((f) => f.endsWith('.csv') && !path.basename(f).startsWith('.') && fs.statSync(path.join(root, bucket, f)).isFile());
      const removed = files[0];
      fs.rmSync(path.join(root, bucket, removed));
      const wf = await run(server, root);
      expect(wf.summary().state).toBe('success');
      const deleted = server.store.all('table').filter((e) => e.deleted);
      expect(deleted.map((e) => e.fullyQualifiedName)).toEqual([`local_datalake.default.${bucket}."${removed.split(path.sep).join('/')}"`]);
    });
  });
});
