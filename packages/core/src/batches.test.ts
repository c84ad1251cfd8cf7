import { batchesOfRows, chunksOfBatches, rowsOfBatches } from './batches';
import type { ColumnBatch } from './model/columns';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const x of items) yield x;
}

describe('rowsOfBatches / batchesOfRows', () => {
  const rows = [
    { a: 1, b: 'x', c: null },
    { a: 2, b: null, c: true },
    { a: null, b: 'z', c: false },
    { a: 4, b: 'w', c: null },
    { a: 5, b: 'v', c: true },
  ];

  it('rows of batches: one object per row in column order, missing values as null', async () => {
    const batches: ColumnBatch[] = [
      { length: 2, columns: { a: Float64Array.of(1, 2), b: ['x', undefined] } },
      { length: 0, columns: { a: [], b: [] } },
      { length: 1, columns: { a: [3], b: ['z', 'ignored beyond length'] } },
    ];
    const out = await collect(rowsOfBatches(from(batches)));
    expect(out).toEqual([{ a: 1, b: 'x' }, { a: 2, b: null }, { a: 3, b: 'z' }]);
    expect(Object.keys(out[0])).toEqual(['a', 'b']);
  });

  it('batches of rows: at most `size` rows each, round-trips through rowsOfBatches', async () => {
    const batches = await collect(batchesOfRows(from(rows), 2));
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batches[0].columns).toEqual({ a: [1, 2], b: ['x', null], c: [null, true] });
    expect(await collect(rowsOfBatches(from(batches)))).toEqual(rows);
  });

  it('keys that appear later in a batch are undefined for the earlier rows; __proto__ stays a column', async () => {
    const input = [{ a: 1 }, { a: 2, b: 'late' }, JSON.parse('{"__proto__": 7}')];
    const [batch] = await collect(batchesOfRows(from(input), 10));
    expect(batch.length).toBe(3);
    expect(Array.from(batch.columns.b)).toEqual([undefined, 'late', undefined]);
    expect(Array.from(batch.columns['__proto__'])).toEqual([undefined, undefined, 7]);
    const back = await collect(rowsOfBatches(from([batch])));
    expect(Object.getPrototypeOf(back[2])).toBe(Object.prototype);
    expect(Object.keys(back[2])).toEqual(['a', 'b', '__proto__']);
    expect(back[2]['__proto__' as keyof (typeof back)[2]]).toBe(7);
  });

  it('rejects a batch size below 1 and yields nothing for no rows', async () => {
    await expect(collect(batchesOfRows(from([{ a: 1 }]), 0))).rejects.toThrow(RangeError);
    expect(await collect(batchesOfRows(from([]), 4))).toEqual([]);
  });
});

describe('chunksOfBatches', () => {
  it('one chunk per requested column and batch, in the order asked, with pass row offsets', async () => {
    const batches: ColumnBatch[] = [
      { length: 2, columns: { a: Float64Array.of(1, 2), b: ['x', 'y'] } },
      { length: 0, columns: { a: [] } },
      { length: 1, columns: { a: [3] } },
    ];
    const out = await collect(chunksOfBatches(from(batches), ['b', 'a']));
    expect(out.map((c) => [c.column, c.rowStart, c.length, c.values === undefined ? undefined : Array.from(c.values).slice(0, c.length)])).toEqual([
      ['b', 0, 2, ['x', 'y']],
      ['a', 0, 2, [1, 2]],
      ['b', 2, 1, undefined],
      ['a', 2, 1, [3]],
    ]);
    expect(await collect(chunksOfBatches(from(batches), []))).toEqual([]);
  });
});
