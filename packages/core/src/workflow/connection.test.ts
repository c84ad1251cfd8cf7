import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { ConnectionCheckFailure, ConnectionTestError, type ConnectionCheck } from '../connection';
import { right } from '../either';
import { silentLogger } from '../logger';
import { definePlugin, PLUGIN_API_VERSION } from '../plugin/descriptor';
import { StepStatus } from '../status';
import type { Sink, Source } from '../steps';
import { registryWith, tableRecord, tempDir } from '../testing/fixtures';
import { stepToken } from '../tokens';
import { Workflow } from './workflow';

/** A source whose connection checks pass or fail as told, and a sink that records what happened to it. */
function plugins(state: { reachable: boolean; sinkCreated: number; sinkChecks: number; sourceClosed: number }) {
  const source = definePlugin({
    id: 'probe',
    apiVersion: PLUGIN_API_VERSION,
    provides: ['source:probe', 'sink:recorder'],
    register(container) {
      container.register(stepToken('source', 'probe'), {
        useValue: {
          create: (): Source => ({
            status: new StepStatus('Source probe'),
            connectionChecks: (): ConnectionCheck[] => [
              { name: 'open the probe', run: async () => 'opened' },
              {
                name: 'list one page of probe://bucket/',
                run: async () => {
                  if (!state.reachable) throw new ConnectionCheckFailure('source.serviceConnection.config.bucketName', 'bucket "bucket" does not exist');
                  return 'reachable';
                },
              },
              { name: 'never reached when the listing fails', run: async () => undefined },
            ],
            async *records() {
              yield right({ kind: 'databaseService', entity: { name: 'svc', serviceType: 'CustomDatabase' } });
              yield tableRecord('a');
            },
            async close() {
              state.sourceClosed++;
            },
          }),
        },
      });
      container.register(stepToken('sink', 'recorder'), {
        useValue: {
          connectionChecks: (): ConnectionCheck[] => {
            state.sinkChecks++;
            return [{ name: 'GET /version', run: async () => 'v1' }];
          },
          create: (): Sink => {
            state.sinkCreated++;
            return { status: new StepStatus('Sink recorder'), write: async () => right({}), close: async () => undefined };
          },
        },
      });
    },
  });
  return registryWith(source);
}

const config = (sink: Record<string, unknown> = { type: 'recorder' }) => ({
  source: { type: 'probe', serviceName: 'svc', sourceConfig: { config: { type: 'DatabaseMetadata' } } },
  sink,
  workflowConfig: {},
});

describe('connection test before any write', () => {
  it('stops in create, before the sink exists, naming the field to fix', async () => {
    const state = { reachable: false, sinkCreated: 0, sinkChecks: 0, sourceClosed: 0 };
    const created = Workflow.create(config(), { registry: plugins(state), logger: silentLogger });
    await expect(created).rejects.toThrow(ConnectionTestError);
    await expect(Workflow.create(config(), { registry: plugins(state), logger: silentLogger })).rejects.toThrow(
      'Connection test failed for source probe (list one page of probe://bucket/): source.serviceConnection.config.bucketName: bucket "bucket" does not exist. Nothing was written.',
    );
    expect(state.sinkCreated).toBe(0);
    expect(state.sourceClosed).toBe(2);
    const err = await Workflow.create(config(), { registry: plugins(state), logger: silentLogger }).catch((e: unknown) => e);
    expect((err as { exitCode: number }).exitCode).toBe(1);
  });

  it('creates the sink once the source is reachable; testConnection: false skips the check', async () => {
    const state = { reachable: true, sinkCreated: 0, sinkChecks: 0, sourceClosed: 0 };
    const wf = await Workflow.create(config(), { registry: plugins(state), logger: silentLogger });
    expect(state.sinkCreated).toBe(1);
    await wf.stop();
    state.reachable = false;
    const unchecked = await Workflow.create(config(), { registry: plugins(state), logger: silentLogger, testConnection: false });
    await unchecked.stop();
    expect(state.sinkCreated).toBe(2);
  });

  it('testConnections lists every check; a factory with checks is not created', async () => {
    const state = { reachable: false, sinkCreated: 0, sinkChecks: 0, sourceClosed: 0 };
    const results = await Workflow.testConnections(config(), { registry: plugins(state), logger: silentLogger });
    expect(results).toEqual([
      { step: 'source probe', name: 'open the probe', ok: true, detail: 'opened' },
      { step: 'source probe', name: 'list one page of probe://bucket/', ok: false, detail: 'source.serviceConnection.config.bucketName: bucket "bucket" does not exist' },
      { step: 'source probe', name: 'never reached when the listing fails', ok: false, skipped: true, detail: 'skipped: an earlier check failed' },
      { step: 'sink recorder', name: 'GET /version', ok: true, detail: 'v1' },
    ]);
    expect(state.sinkCreated).toBe(0);
    expect(state.sinkChecks).toBe(1);
    expect(state.sourceClosed).toBe(1);
  });

  it('validate is offline: no step is created', async () => {
    const state = { reachable: false, sinkCreated: 0, sinkChecks: 0, sourceClosed: 0 };
    await Workflow.validate(config(), { registry: plugins(state), logger: silentLogger });
    expect(state).toEqual({ reachable: false, sinkCreated: 0, sinkChecks: 0, sourceClosed: 0 });
  });
});

describe('dry run', () => {
  it('plans the writes of the configured sink without creating it', async () => {
    const state = { reachable: true, sinkCreated: 0, sinkChecks: 0, sourceClosed: 0 };
    const dir = tempDir();
    const lines: string[] = [];
    const stdout = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const wf = await Workflow.create(config({ type: 'file', config: { filename: 'out.json' } }), {
      registry: plugins(state),
      logger: silentLogger,
      dryRun: true,
      configDir: dir,
      stdout,
    });
    await wf.execute();
    await wf.stop();
    expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
    expect(lines).toEqual(['[dry run] create or update databaseService svc', '[dry run] create or update table svc.db.schema.a']);
    const sink = wf.summary().steps[1] as unknown as { step: string; plan: { counts: Record<string, number> } };
    expect(sink.step).toBe('Sink file (dry run: nothing sent)');
    expect(sink.plan.counts).toEqual({ create: 0, update: 0, 'create or update': 2, write: 0, delete: 0 });
  });
});

describe('paths in a config', () => {
  it("resolve from the config file's folder, not the cwd", async () => {
    const state = { reachable: true, sinkCreated: 0, sinkChecks: 0, sourceClosed: 0 };
    const dir = tempDir();
    const file = path.join(dir, 'workflow.json');
    fs.writeFileSync(file, JSON.stringify(config({ type: 'file', config: { filename: 'out/result.json' } })));
    const wf = await Workflow.create(file, { registry: plugins(state), logger: silentLogger });
    await wf.execute();
    await wf.stop();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'result.json'), 'utf8'))).toHaveLength(2);
  });

  it('resolve schema-marked file paths (TLS certificates) from there too, leaving inline PEM alone', async () => {
    const state = { reachable: true, sinkCreated: 0, sinkChecks: 0, sourceClosed: 0 };
    const dir = tempDir();
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const file = path.join(dir, 'workflow.json');
    const sslConfig = { caCertificate: 'certs/ca.pem', sslCertificate: pem, sslKey: '/etc/keys/client.key' };
    fs.writeFileSync(file, JSON.stringify({ ...config(), workflowConfig: { openMetadataServerConfig: { hostPort: 'http://127.0.0.1:1/api', sslConfig } } }));
    const wf = await Workflow.create(file, { registry: plugins(state), logger: silentLogger });
    await wf.stop();
    expect(wf.config.workflowConfig.openMetadataServerConfig?.sslConfig).toEqual({ caCertificate: path.join(dir, 'certs', 'ca.pem'), sslCertificate: pem, sslKey: '/etc/keys/client.key' });
  });
});
