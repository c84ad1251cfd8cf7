import type { ObjectInfo } from '@om/object-store';
import { groupTableFormats, type ListingEvent } from './grouping';
import type { TableFormatKind } from './types';

const objects = (keys: string[]): ObjectInfo[] => [...keys].sort().map((key) => ({ key, size: 1 }));

async function events(keys: string[], probe: (folder: string) => TableFormatKind | undefined = () => undefined, maxHeld?: number) {
  const probed: string[] = [];
  const out: string[] = [];
  const stream = groupTableFormats(objects(keys), {
    maxHeld,
    probe: async (folder) => {
      probed.push(folder);
      return probe(folder);
    },
  });
  for await (const e of stream as AsyncIterable<ListingEvent>) out.push(e.kind === 'table' ? `${e.table.format}:${e.table.root}` : e.object.key);
  return { out, probed };
}

describe('lakehouse tables in a streamed listing', () => {
  it('keeps plain files, in listing order', async () => {
    const keys = ['a.csv', 'dir/b.csv', 'dir/c.json', 'dir/sub/d.parquet', 'z.tsv'];
    expect((await events(keys)).out).toEqual(keys);
  });

  it('an Iceberg folder whose data sorts before its metadata is one table; its files are not tables', async () => {
    const { out, probed } = await events([
      'lake/events/data/ts_day=2024-01-01/00000-0-a.parquet', 'lake/events/data/ts_day=2024-01-02/00000-0-b.parquet',
      'lake/events/metadata/00000-0b0e.metadata.json', 'lake/events/metadata/snap-1.avro', 'lake/orders.csv', 'lake/a.csv',
    ]);
    expect(out).toEqual(['lake/a.csv', 'iceberg:lake/events', 'lake/orders.csv']);
    expect(probed).toEqual([]);
  });

  it('a Delta folder with data files on both sides of its log; Hudi; a look-alike folder stays files', async () => {
    const { out } = await events([
      'db/t/0-part.parquet', 'db/t/_delta_log/00000000000000000000.json', 'db/t/_delta_log/_last_checkpoint', 'db/t/part-1.parquet',
      'db/trips/.hoodie/hoodie.properties', 'db/trips/city=oslo/x.parquet',
      'db/docs/metadata/notes.json',
    ]);
    expect(out).toEqual(['db/docs/metadata/notes.json', 'delta:db/t', 'hudi:db/trips']);
  });

  it('probes the folders of held files instead of holding more than maxHeld', async () => {
    const data = Array.from({ length: 50 }, (_, i) => `big/data/${String(i).padStart(3, '0')}.parquet`);
    const { out, probed } = await events([...data, 'big/metadata/v1.metadata.json', 'other/x.csv'], (f) => (f === 'big' ? 'iceberg' : undefined), 10);
    expect(out).toEqual(['iceberg:big', 'other/x.csv']);
    expect(probed).toEqual(['big']);
  });

  it('releases held plain files after one probe per folder', async () => {
    const data = Array.from({ length: 50 }, (_, i) => `raw/${String(i).padStart(3, '0')}.csv`);
    const { out, probed } = await events([...data, 'zz.csv'], () => undefined, 10);
    expect(out).toEqual([...data, 'zz.csv']);
    expect(probed).toEqual(['raw']);
  });
});

describe('probing never repeats a table', () => {
  it('a probed table followed by many plain files holds each folder once', async () => {
    const big = Array.from({ length: 30 }, (_, i) => `a/big/data/${String(i).padStart(3, '0')}.parquet`);
    const plain = Array.from({ length: 30 }, (_, i) => `a/c/${String(i).padStart(3, '0')}.csv`);
    const { out, probed } = await events([...big, 'a/big/metadata/v1.metadata.json', ...plain], (f) => (f === 'a/big' ? 'iceberg' : undefined), 5);
    expect(out).toEqual(['iceberg:a/big', ...plain]);
    expect(probed).toEqual(['a', 'a/big', 'a/c']);
  });
});
