import { right, type Either } from '../either';
import { CompiledFilter } from '../filters';
import type { OmRecord } from '../model/records';
import { StepStatus } from '../status';
import { DatabaseHierarchy, type HierarchyProducers, type TableCandidate } from './database-hierarchy';
import { runOrdered } from './run-ordered';

const table = (name: string, delayMs = 0): TableCandidate => ({
  name,
  produce: async ({ fqn, schema }) => {
    await new Promise((r) => setTimeout(r, delayMs));
    return [right<OmRecord>({ kind: 'table', entity: { name, databaseSchema: schema.fqn, columns: [], description: fqn } })];
  },
});

function lake(schemas: Record<string, TableCandidate[] | Error>, databases = ['default']): HierarchyProducers {
  return {
    service: () => ({ name: 'svc', serviceType: 'CustomDatabase' }),
    databases: () => databases,
    schemas: () => Object.keys(schemas),
    async *tables(schema) {
      const listed = schemas[schema.name];
      if (listed instanceof Error) throw listed;
      yield* listed;
    },
  };
}

async function collect(items: AsyncIterable<Either<OmRecord>>): Promise<Either<OmRecord>[]> {
  const out: Either<OmRecord>[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const describeRecords = (items: Either<OmRecord>[]) =>
  items.map((i) => {
    if (!i.ok) return `failure ${i.error.name}`;
    const r = i.value;
    if (r.kind === 'schemaDone') return `schemaDone ${r.databaseSchema} ${r.complete}`;
    return `${r.kind} ${'entity' in r ? (r.entity as { name: string }).name : ''}`;
  });

test('yields the hierarchy in order with FQNs and schemaDone, tables in listing order whatever their speed', async () => {
  const status = new StepStatus('Source test');
  const h = new DatabaseHierarchy({ serviceName: 'svc', status, concurrency: 3 });
  const items = await collect(h.records(lake({ 'a.b': [table('slow', 30), table('fast', 0), table('x.csv', 5)] })));
  expect(describeRecords(items)).toEqual([
    'databaseService svc', 'database default', 'databaseSchema a.b', 'table slow', 'table fast', 'table x.csv', 'schemaDone svc.default."a.b" true',
  ]);
  const t = items[5] as { ok: true; value: { kind: 'table'; entity: { databaseSchema: string; description: string } } };
  expect(t.value.entity.description).toBe('svc.default."a.b"."x.csv"');
});

test('the three filters, on names or FQNs, with OpenMetadata reasons and the source nouns', async () => {
  const status = new StepStatus('Source test');
  const h = new DatabaseHierarchy({
    serviceName: 'svc',
    status,
    filters: {
      database: new CompiledFilter({ excludes: ['svc\\.skipdb'] }),
      schema: new CompiledFilter({ excludes: ['svc\\.keep\\.private'] }),
      table: new CompiledFilter({ includes: ['svc\\.keep\\.public\\.t'] }),
    },
    useFqnForFiltering: true,
    nouns: { schema: 'Bucket', table: 'Object' },
  });
  const items = await collect(h.records(lake({ public: [table('t1'), table('other')], private: [table('t2')] }, ['skipdb', 'keep'])));
  expect(describeRecords(items)).toEqual(['databaseService svc', 'database keep', 'databaseSchema public', 'table t1', 'schemaDone svc.keep.public true']);
  expect(Object.fromEntries(status.filteredByReason)).toEqual({ 'Database Filtered Out': 1, 'Bucket Filtered Out': 1, 'Object Filtered Out': 1 });
  expect(status.filteredSamples.map((f) => f.name)).toEqual(['svc.skipdb', 'svc.keep.public.other', 'svc.keep.private']);
  expect(h.tablesFiltered).toBe(1);
  expect(h.filterTable('keep', 'public', 'other')).toBe('table');
  expect(h.filterTable('keep', 'public', 't9')).toBeUndefined();
});

test('includeTables false: the schema ends complete with nothing to mark deleted, no table is listed', async () => {
  const h = new DatabaseHierarchy({ serviceName: 'svc', status: new StepStatus('s'), includeTables: false });
  const items = await collect(h.records(lake({ s: new Error('never listed') })));
  expect(items.at(-1)).toEqual(right({ kind: 'schemaDone', databaseSchema: 'svc.default.s', complete: true, markDeletedTables: false }));
});

test('a table listing that dies part-way: what was read, a weighted failure, an incomplete schemaDone', async () => {
  const producers = lake({});
  producers.schemas = () => ['s'];
  producers.tables = async function* () {
    yield table('a');
    yield table('b');
    throw new Error('connection reset');
  };
  const items = await collect(new DatabaseHierarchy({ serviceName: 'svc', status: new StepStatus('s') }).records(producers));
  expect(describeRecords(items).slice(2)).toEqual(['databaseSchema s', 'table a', 'table b', 'failure s', 'schemaDone svc.default.s false']);
  expect((items[5] as { ok: false; error: { weight: number; error: string } }).error).toMatchObject({ weight: 2 });
});

test('a table listing that cannot start is one failure, not an empty schema', async () => {
  const h = new DatabaseHierarchy({ serviceName: 'svc', status: new StepStatus('s') });
  const producers = lake({});
  producers.schemas = () => ['gone'];
  producers.tables = async () => {
    throw new Error('NoSuchBucket');
  };
  const items = await collect(h.records(producers));
  expect(describeRecords(items)).toEqual(['databaseService svc', 'database default', 'failure gone']);
});

test('a listingFailed hook that throws ends the source after the incomplete schemaDone', async () => {
  const producers = { ...lake({ s: new Error('denied') }), listingFailed: () => { throw new Error('source failed'); } };
  const items: Either<OmRecord>[] = [];
  await expect((async () => { for await (const i of new DatabaseHierarchy({ serviceName: 'svc', status: new StepStatus('s') }).records(producers)) items.push(i); })()).rejects.toThrow('source failed');
  expect(describeRecords(items).slice(-1)).toEqual(['schemaDone svc.default.s false']);
});

test('abort: no further database or table, and the schema is not complete', async () => {
  const abort = new AbortController();
  const producers = lake({});
  producers.schemas = () => ['s'];
  producers.tables = async function* () {
    yield table('a');
    abort.abort();
    yield table('b');
  };
  const items = await collect(new DatabaseHierarchy({ serviceName: 'svc', status: new StepStatus('s'), signal: abort.signal }).records(producers));
  expect(describeRecords(items).slice(2)).toEqual(['databaseSchema s', 'table a', 'schemaDone svc.default.s false']);
});

test('runOrdered: bounded, ordered, and yields started tasks before rethrowing a listing error', async () => {
  let inFlight = 0;
  let most = 0;
  const task = (n: number) => async () => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise((r) => setTimeout(r, (5 - n) * 3));
    inFlight--;
    return n;
  };
  async function* tasks() {
    for (let n = 0; n < 5; n++) yield task(n);
    throw new Error('listing died');
  }
  const seen: number[] = [];
  await expect((async () => { for await (const n of runOrdered(tasks(), 2)) seen.push(n); })()).rejects.toThrow('listing died');
  expect(seen).toEqual([0, 1, 2, 3, 4]);
  expect(most).toBe(2);
});

test('a schema listing that dies part-way is weighed by the tables read; a table listing failure is not taken for it', async () => {
  const producers = lake({ a: [table('t1'), table('t2')], b: new Error('reset') });
  producers.schemas = async function* () {
    yield 'a';
    yield 'b';
    throw new Error('bucket listing died');
  };
  let calls = 0;
  const hook = producers.listingFailed;
  producers.listingFailed = (f) => {
    calls++;
    return hook ? hook(f) : { ok: false, error: { name: `${f.level} ${f.scope.name}`, error: String(f.produced) } };
  };
  const items = await collect(new DatabaseHierarchy({ serviceName: 'svc', status: new StepStatus('s') }).records(producers));
  expect(describeRecords(items).slice(2)).toEqual([
    'databaseSchema a', 'table t1', 'table t2', 'schemaDone svc.default.a true',
    'databaseSchema b', 'failure table b', 'schemaDone svc.default.b false', 'failure schema default',
  ]);
  expect(calls).toBe(2);
  expect((items.at(-1) as { ok: false; error: { error: string } }).error.error).toBe('2');
});
