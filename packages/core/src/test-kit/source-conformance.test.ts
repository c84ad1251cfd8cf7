import { right } from '../either';
import type { OmRecord } from '../model/records';
import { PLUGIN_API_VERSION } from '../plugin/descriptor';
import type { Capability } from '../tokens';
import { scriptedSourcePlugin } from '../testing/fixtures';
import { checkSourceConformance } from './index';

const config = {
  source: { type: 'scripted', serviceName: 'svc', serviceConnection: { config: { type: 'Scripted' } }, sourceConfig: { config: { type: 'DatabaseMetadata' } } },
};
const manifest = (provides: Capability[] = ['source:scripted']) => ({ name: 'om-plugin-scripted', om: { id: 'test-scripted', apiVersion: PLUGIN_API_VERSION, provides } });

const table = (name: string, schema = 'svc.db.public'): OmRecord => ({
  kind: 'table',
  entity: { name, databaseSchema: schema, columns: [{ name: 'id', dataType: 'INT' }] },
});
const good = (): OmRecord[] => [
  { kind: 'databaseService', entity: { name: 'svc', serviceType: 'CustomDatabase' } },
  { kind: 'database', entity: { name: 'db', service: 'svc' } },
  { kind: 'databaseSchema', entity: { name: 'public', database: 'svc.db' } },
  table('a'),
  table('b'),
  { kind: 'schemaDone', databaseSchema: 'svc.db.public', complete: true, markDeletedTables: false },
];

const run = (records: OmRecord[], m = manifest()) =>
  checkSourceConformance({ plugin: scriptedSourcePlugin(() => records.map((r) => right(r))), manifest: m, config });

describe('checkSourceConformance', () => {
  it('passes a well-behaved source and returns its records', async () => {
    const { records, summary } = await run(good());
    expect(records.map((r) => r.kind)).toEqual(['databaseService', 'database', 'databaseSchema', 'table', 'table', 'schemaDone']);
    expect(summary.state).toBe('success');
  });

  it('names a package.json manifest that disagrees with the descriptor', async () => {
    await expect(run(good(), manifest(['source:other']))).rejects.toThrow(
      'Source conformance: package.json: "om.provides" is [source:other] but the descriptor provides [source:scripted]',
    );
  });

  it('refuses a table before its schema, a duplicate table and a schema without schemaDone', async () => {
    const [service, database, schema, a, b, done] = good();
    await expect(run([service, database, a, schema, b, done])).rejects.toThrow('record 3 (table) names schema "svc.db.public" before any databaseSchema record');
    await expect(run([service, database, schema, a, a, done])).rejects.toThrow('table "svc.db.public.a" is emitted twice');
    await expect(run([service, database, schema, a, b])).rejects.toThrow('schema "svc.db.public" has no schemaDone record');
  });

  it('fails a run with source errors', async () => {
    const records = good().map((r) => right(r));
    const plugin = scriptedSourcePlugin(() => [...records.slice(0, 3), { throw: 'boom' }]);
    await expect(checkSourceConformance({ plugin, config })).rejects.toThrow('boom');
  });
});
