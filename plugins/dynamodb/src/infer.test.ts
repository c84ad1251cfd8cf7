import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { inferColumns } from './infer';

const opts = { maxColumns: 100 };
type Item = Record<string, AttributeValue>;

describe('inferColumns', () => {
  it('maps every wire type', () => {
    const items: Item[] = [
      {
        s: { S: 'x' },
        n: { N: '12345678901234567890' },
        b: { B: new Uint8Array([1, 2]) },
        bool: { BOOL: false },
        nul: { NULL: true },
        ss: { SS: ['a', 'b'] },
        ns: { NS: ['1', '2'] },
        bs: { BS: [new Uint8Array([1])] },
        l: { L: [{ S: 'a' }, { S: 'b' }] },
        m: { M: { city: { S: 'Oslo' }, geo: { M: { lat: { N: '59.9' } } } } },
        lm: { L: [{ M: { sku: { S: 'A' } } }, { M: { qty: { N: '2' } } }] },
        ll: { L: [{ L: [{ N: '1' }] }] },
        empty: { L: [] },
      },
    ];
    const { columns } = inferColumns(items, {}, opts);
    const byName = Object.fromEntries(columns.map((c) => [c.name, c]));
    expect(columns.map((c) => c.name)).toEqual(['s', 'n', 'b', 'bool', 'nul', 'ss', 'ns', 'bs', 'l', 'm', 'lm', 'll', 'empty']);
    expect(byName.s).toMatchObject({ dataType: 'STRING', dataTypeDisplay: 'string', ordinalPosition: 1 });
    expect(byName.n).toMatchObject({ dataType: 'NUMBER' });
    expect(byName.b).toMatchObject({ dataType: 'BYTES', dataTypeDisplay: 'binary' });
    expect(byName.bool).toMatchObject({ dataType: 'BOOLEAN' });
    expect(byName.nul).toMatchObject({ dataType: 'NULL' });
    expect(byName.ss).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRING', dataTypeDisplay: 'set<string>' });
    expect(byName.ns).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'NUMBER', dataTypeDisplay: 'set<number>' });
    expect(byName.bs).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'BYTES', dataTypeDisplay: 'set<binary>' });
    expect(byName.l).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRING', dataTypeDisplay: 'list<string>' });
    expect(byName.m).toEqual({
      name: 'm',
      dataType: 'JSON',
      dataTypeDisplay: 'map',
      ordinalPosition: 10,
      children: [
        { name: 'city', dataType: 'STRING', dataTypeDisplay: 'string' },
        { name: 'geo', dataType: 'JSON', dataTypeDisplay: 'map', children: [{ name: 'lat', dataType: 'NUMBER', dataTypeDisplay: 'number' }] },
      ],
    });
    expect(byName.lm).toMatchObject({
      dataType: 'ARRAY',
      arrayDataType: 'STRUCT',
      dataTypeDisplay: 'list<struct>',
      children: [
        { name: 'sku', dataType: 'STRING' },
        { name: 'qty', dataType: 'NUMBER' },
      ],
    });
    expect(byName.ll).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'ARRAY', dataTypeDisplay: 'list<list<number>>' });
    expect(byName.empty).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'UNKNOWN', dataTypeDisplay: 'list<unknown>' });
  });

  it('widens conflicting types across items', () => {
    const items: Item[] = [
      { scalar: { N: '1' }, coll: { SS: ['a'] }, mixed: { M: { a: { S: 'x' } } }, nullable: { NULL: true }, listmix: { L: [{ N: '1' }] } },
      { scalar: { S: 'one' }, coll: { L: [{ N: '2' }] }, mixed: { S: 'flat' }, nullable: { N: '3' }, listmix: { L: [{ S: 'x' }] } },
      { scalar: { BOOL: true }, coll: { NS: ['3'] }, mixed: { M: { b: { N: '1' } } } },
    ];
    const byName = Object.fromEntries(inferColumns(items, {}, opts).columns.map((c) => [c.name, c]));
    expect(byName.scalar).toMatchObject({ dataType: 'STRING', dataTypeDisplay: 'string (widened from BOOL|N|S)' });
    expect(byName.coll).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRING' });
    expect(byName.coll.dataTypeDisplay).toBe('list<string (widened from N|S)> (widened from L|NS|SS)');
    expect(byName.mixed).toMatchObject({ dataType: 'JSON', dataTypeDisplay: 'json (widened from M|S)' });
    expect(byName.mixed.children?.map((c) => c.name)).toEqual(['a', 'b']);
    expect(byName.nullable).toMatchObject({ dataType: 'NUMBER' });
    expect(byName.listmix).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRING' });
  });

  it('puts the key first with types from the attribute definitions, even when not sampled', () => {
    const keys = {
      keySchema: [
        { AttributeName: 'sk', KeyType: 'RANGE' as const },
        { AttributeName: 'pk', KeyType: 'HASH' as const },
      ],
      attributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'N' as const },
        { AttributeName: 'gsiKey', AttributeType: 'B' as const },
      ],
    };
    expect(inferColumns([], keys, opts).columns).toEqual([
      { name: 'pk', dataType: 'STRING', dataTypeDisplay: 'string', ordinalPosition: 1 },
      { name: 'sk', dataType: 'NUMBER', dataTypeDisplay: 'number', ordinalPosition: 2 },
      { name: 'gsiKey', dataType: 'BYTES', dataTypeDisplay: 'binary', ordinalPosition: 3 },
    ]);
    const sampled = inferColumns([{ other: { S: 'x' }, sk: { N: '1' }, pk: { S: '1001' } }], keys, opts).columns;
    expect(sampled.map((c) => c.name)).toEqual(['pk', 'sk', 'other', 'gsiKey']);
  });

  it('caps columns by frequency, keeping the key and the original order', () => {
    const items: Item[] = [];
    for (let i = 0; i < 10; i++) {
      const item: Item = { id: { S: String(i) }, rare: { S: 'r' } };
      for (let a = 0; a < 6; a++) if (i < 10 - a) item[`a${a}`] = { N: String(a) };
      items.push(item);
    }
    const keys = { keySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }] };
    const r = inferColumns(items, keys, { maxColumns: 4 });
    // counts: id 10, rare 10, a0 10, a1 9, a2 8 ... → keep id + rare, a0, a1
    expect(r.columns.map((c) => c.name)).toEqual(['id', 'rare', 'a0', 'a1']);
    expect(r.droppedColumns).toEqual(['a2', 'a3', 'a4', 'a5']);
    expect(r.attributeCount).toBe(8);
  });

  it('applies maxSchemaInferenceDepth and maxChildrenPerColumn', () => {
    const items: Item[] = [
      { m: { M: { a: { M: { deep: { S: 'x' } } }, b: { S: 'y' }, c: { S: 'z' } } } },
      { m: { M: { b: { S: 'y' } } } },
    ];
    const depth = inferColumns(items, {}, { maxColumns: 10, maxDepth: 2 });
    expect(depth.columns[0].children?.find((c) => c.name === 'a')?.children).toBeUndefined();
    expect(depth.droppedChildren).toEqual(['m.a.deep']);
    const few = inferColumns(items, {}, { maxColumns: 10, maxChildren: 1 });
    expect(few.columns[0].children?.map((c) => c.name)).toEqual(['b']);
    expect(few.droppedChildren).toEqual(['m.a', 'm.c']);
  });
});
