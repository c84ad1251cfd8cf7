import { left, right } from '../either';
import type { Logger } from '../logger';
import { definePlugin, PLUGIN_API_VERSION } from '../plugin/descriptor';
import { StepStatus } from '../status';
import type { Processor, Sink } from '../steps';
import { registryWith, scriptedSourcePlugin, tableRecord } from '../testing/fixtures';
import { stepToken } from '../tokens';
import { Workflow } from './workflow';

/** A processor that rejects table `bad`, and a sink that fails table `late` after accepting it. */
const steps = definePlugin({
  id: 'log-steps',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['processor:picky', 'sink:late'],
  register(container) {
    container.register(stepToken('processor', 'picky'), {
      useValue: {
        create: (): Processor => ({
          status: new StepStatus('Processor picky'),
          process: async (r) => [r.kind === 'table' && r.entity.name === 'bad' ? left('bad', 'cannot process it') : right(r)],
          close: async () => undefined,
        }),
      },
    });
    container.register(stepToken('sink', 'late'), {
      useValue: {
        create: (): Sink => ({
          status: new StepStatus('Sink late'),
          write: async (r) =>
            right(r.kind === 'table' && r.entity.name === 'late' ? { pending: Promise.resolve(left('late', 'rejected later')) } : {}),
          close: async () => undefined,
        }),
      },
    });
  },
});

describe('failures that count against the threshold', () => {
  it('are logged at ERROR, whichever step has them', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      level: 'DEBUG',
      debug: () => undefined,
      info: () => undefined,
      warn: (m) => lines.push(`WARN ${m}`),
      error: (m) => lines.push(`ERROR ${m}`),
    };
    const items = [tableRecord('ok'), tableRecord('bad'), tableRecord('late'), left('broken.csv', 'unreadable')];
    const wf = await Workflow.create(
      {
        source: { type: 'scripted', serviceName: 'svc', sourceConfig: { config: { type: 'DatabaseMetadata' } } },
        processor: { type: 'picky' },
        sink: { type: 'late' },
        workflowConfig: {},
      },
      { registry: registryWith(scriptedSourcePlugin(() => items), steps), logger },
    );
    await wf.execute();
    await wf.stop();
    expect(lines.sort()).toEqual(['ERROR bad: cannot process it', 'ERROR broken.csv: unreadable', 'ERROR late: rejected later']);
  });
});
