import { PassThrough } from 'node:stream';
import { right } from '../either';
import { silentLogger } from '../logger';
import { registryWith, scriptedSourcePlugin, type ScriptItem } from '../testing/fixtures';
import { Workflow } from '../workflow/workflow';

async function consoleOutput(items: ScriptItem[]): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d.toString()));
  const wf = await Workflow.create(
    {
      source: { type: 'scripted', serviceName: 'svc', sourceConfig: { config: {} } },
      sink: { type: 'console' },
      workflowConfig: {},
    },
    { registry: registryWith(scriptedSourcePlugin(() => items)), logger: silentLogger, stdout: out },
  );
  await wf.execute();
  await wf.stop();
  return text;
}

describe('console sink', () => {
  it('prints the hierarchy as an indented tree with nested columns', async () => {
    const text = await consoleOutput([
      right({ kind: 'databaseService', entity: { name: 'svc', serviceType: 'Datalake' } }),
      right({ kind: 'database', entity: { name: 'default', service: 'svc' } }),
      right({ kind: 'databaseSchema', entity: { name: 'bucket', database: 'svc.default' } }),
      right({
        kind: 'table',
        entity: {
          name: 'users/users.json',
          databaseSchema: 'svc.default.bucket',
          tableType: 'Regular',
          fileFormat: 'json',
          columns: [
            { name: 'id', dataType: 'INT', dataTypeDisplay: 'INT' },
            { name: 'address', dataType: 'JSON', children: [{ name: 'city', dataType: 'STRING' }] },
            { name: 'tags', dataType: 'ARRAY', arrayDataType: 'STRING' },
          ],
        },
      }),
    ]);
    expect(text).toBe(
      [
        'service svc (Datalake)',
        '  database default',
        '    schema bucket',
        '      table users/users.json  (json, Regular, 3 columns)',
        '        id       INT',
        '        address  JSON',
        '          city  STRING',
        '        tags     ARRAY<STRING>',
        '',
      ].join('\n'),
    );
  });

  it('prints profiles and test results as tables', async () => {
    const text = await consoleOutput([
      right({
        kind: 'tableProfile',
        tableFqn: 'svc.default.bucket."a.csv"',
        profile: {
          tableProfile: { timestamp: 1, rowCount: 3, columnCount: 1 },
          columnProfile: [{ name: 'age', timestamp: 1, valuesCount: 3, nullProportion: 0, min: 30, max: 32, mean: 31, median: 31 }],
        },
      }),
      right({
        kind: 'testCaseResults',
        tableFqn: 'svc.default.bucket."a.csv"',
        results: [
          {
            testCase: { name: 'age_between', entityLink: '<#E::table::x>', testDefinition: 'columnValuesToBeBetween' },
            result: { timestamp: 1, testCaseStatus: 'Success', result: 'Found min=30, max=32' },
          },
        ],
      }),
    ]);
    expect(text).toContain('profile svc.default.bucket."a.csv": 3 rows, 1 columns');
    expect(text).toMatch(/\| age\s+\| 3\s+\| 0.0%\s+\|/);
    expect(text).toContain('tests svc.default.bucket."a.csv": 1/1 passed');
    expect(text).toMatch(/\| age_between \| columnValuesToBeBetween \| Success \| Found min=30, max=32 \|/);
  });
});
