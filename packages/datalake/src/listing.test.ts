import type { ObjectInfo } from './object-store';
import { listTables, type ListedTable } from './listing';

const at = (key: string, minutes = 0, size = 10): ObjectInfo => ({ key, size, lastModified: new Date(Date.UTC(2024, 0, 1, 0, minutes)) });

async function list(objects: ObjectInfo[], options = {}): Promise<ListedTable[]> {
  const out: ListedTable[] = [];
  for await (const t of listTables('bucket', objects, options)) out.push(t);
  return out;
}

test('one table per supported file; markers, hidden files and other formats skipped with a reason', async () => {
  const skipped: string[] = [];
  const tables = await list(
    [at('data/'), at('data/a.csv'), at('data/_SUCCESS'), at('.hidden/x.csv'), at('notes.txt'), at('b.parquet'), at('c::d.json')],
    { onSkip: (key: string, why: string) => skipped.push(`${key}: ${why}`) },
  );
  expect(tables.map((t) => [t.name, t.format.fileFormat])).toEqual([
    ['data/a.csv', 'csv'],
    ['b.parquet', 'parquet'],
    ['c__reserved__colon__d.json', 'json'],
  ]);
  expect(skipped).toEqual(['data/_SUCCESS: hidden or marker object', '.hidden/x.csv: hidden or marker object', 'notes.txt: not a supported file format']);
  expect((await list([at('.hidden/x.csv')], { includeHiddenFiles: true })).map((t) => t.name)).toEqual(['.hidden/x.csv']);
});

test('a key over 256 characters is named by its MD5 with the key as displayName', async () => {
  const key = `${'k'.repeat(300)}.csv`;
  const [t] = await list([at(key)]);
  expect(t.name).toMatch(/^[0-9a-f]{32}$/);
  expect(t.displayName).toBe(key);
});

test('partitionedTables: one table per Hive folder, read through its newest file; plain files stay tables', async () => {
  const tables = await list(
    [
      at('events/year=2024/month=01/part-0.parquet', 1),
      at('events/year=2024/month=02/part-0.parquet', 5),
      at('events/year=2023/month=12/part-0.parquet', 3),
      at('other.csv'),
      at('sales/region=eu/a.csv', 2),
    ],
    { partitionedTables: true },
  );
  expect(tables.map((t) => [t.name, t.object.key, t.partitions?.files])).toEqual([
    ['events', 'events/year=2024/month=02/part-0.parquet', 3],
    ['other.csv', 'other.csv', undefined],
    ['sales', 'sales/region=eu/a.csv', 1],
  ]);
  expect(tables[0].partitions!.tablePartition().columns!.map((c) => c.columnName)).toEqual(['year', 'month']);
  // Without the option, every file is its own table.
  expect((await list([at('events/year=2024/month=01/part-0.parquet')])).map((t) => t.name)).toEqual(['events/year=2024/month=01/part-0.parquet']);
});
