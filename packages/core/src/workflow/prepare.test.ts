import { right } from '../either';
import { OmError, PluginError } from '../errors';
import { silentLogger } from '../logger';
import { definePlugin, PLUGIN_API_VERSION } from '../plugin/descriptor';
import { StepStatus } from '../status';
import type { Sink, Source } from '../steps';
import { registryWith, tableRecord } from '../testing/fixtures';
import { stepToken } from '../tokens';
import { Workflow } from './workflow';

/** Steps that log what happens to them; the sink's prepare fails as told. */
function plugin(log: string[], sinkFails?: Error) {
  return definePlugin({
    id: 'steps',
    apiVersion: PLUGIN_API_VERSION,
    provides: ['source:logged', 'sink:logged'],
    register(container) {
      container.register(stepToken('source', 'logged'), {
        useValue: {
          create: (): Source => {
            log.push('create source');
            return {
              status: new StepStatus('Source logged'),
              prepare: async () => void log.push('prepare source'),
              connectionChecks: () => [{ name: 'reach', run: async () => void log.push('check source') }],
              async *records() {
                yield right({ kind: 'databaseService', entity: { name: 'svc', serviceType: 'CustomDatabase' } });
                yield tableRecord('a');
              },
              close: async () => void log.push('close source'),
            };
          },
        },
      });
      container.register(stepToken('sink', 'logged'), {
        useValue: {
          create: (): Sink => {
            log.push('create sink');
            return {
              status: new StepStatus('Sink logged'),
              prepare: async () => {
                log.push('prepare sink');
                if (sinkFails) throw sinkFails;
              },
              write: async () => right({}),
              close: async () => void log.push('close sink'),
            };
          },
        },
      });
    },
  });
}

const config = { source: { type: 'logged', serviceName: 'svc', sourceConfig: { config: {} } }, sink: { type: 'logged' }, workflowConfig: {} };

test('creation contacts nothing; the workflow prepares the source, checks it, then prepares the sink', async () => {
  const log: string[] = [];
  await Workflow.validate(config, { registry: registryWith(plugin(log)), logger: silentLogger });
  expect(log).toEqual([]);
  const workflow = await Workflow.create(config, { registry: registryWith(plugin(log)), logger: silentLogger });
  expect(log).toEqual(['create source', 'prepare source', 'check source', 'create sink', 'prepare sink']);
  await workflow.execute();
  await workflow.stop();
  expect(workflow.state()).toBe('success');
});

test('a sink that cannot connect: a PluginError naming it, and every created step is closed', async () => {
  const log: string[] = [];
  const create = Workflow.create(config, { registry: registryWith(plugin(log, new Error('ECONNREFUSED 127.0.0.1:1'))), logger: silentLogger });
  await expect(create).rejects.toThrow(PluginError);
  await expect(create).rejects.toThrow('Failed to create the sink "logged": ECONNREFUSED 127.0.0.1:1');
  expect(log.slice(-2).sort()).toEqual(['close sink', 'close source']);
  // A user error (bad credentials) stays as it is.
  await expect(Workflow.create(config, { registry: registryWith(plugin([], new OmError('the token was refused'))), logger: silentLogger })).rejects.toThrow(/^the token was refused$/);
});

test('test-connection reports a step that cannot connect as one failed check', async () => {
  const log: string[] = [];
  const results = await Workflow.testConnections(config, { registry: registryWith(plugin(log, new Error('ECONNREFUSED'))), logger: silentLogger });
  expect(results.map((r) => [r.step, r.name, r.ok])).toEqual([
    ['source logged', 'reach', true],
    ['sink logged', 'connect the sink', false],
  ]);
  expect(log).toContain('close sink');
});
