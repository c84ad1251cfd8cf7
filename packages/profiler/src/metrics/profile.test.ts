import { profileTable } from './profile';
import { memoryTable } from '../testing/tables';
import type { ColumnProfile } from '@om/core';

const T = 1_700_000_000_000;

function byName(profiles: ColumnProfile[] | undefined): Record<string, ColumnProfile> {
  return Object.fromEntries((profiles ?? []).map((p) => [p.name, p]));
}

describe('profileTable: hand-computed metrics', () => {
  const table = memoryTable(
    { id: 'INT', age: 'INT', name: 'STRING', born: 'DATE', flag: 'BOOLEAN', empty: 'INT', meta: 'JSON' },
    [
      { id: 1, age: 30, name: 'ann', born: '2020-01-01', flag: true, empty: null, meta: { a: 1 } },
      { id: 2, age: 31, name: 'bob', born: '2020-01-03', flag: false, empty: null, meta: null },
      { id: 3, age: 32, name: null, born: null, flag: true, empty: '', meta: { b: 2 } },
    ],
    { sizeInByte: 1234 },
  );

  it('computes table metrics and every column metric', async () => {
    const r = await profileTable(table, { timestamp: T });
    expect(r.profile.tableProfile).toEqual({ timestamp: T, rowCount: 3, columnCount: 7, sizeInByte: 1234 });
    expect(r.columnNames).toEqual(['id', 'age', 'name', 'born', 'flag', 'empty', 'meta']);
    expect(r.approximateMetrics).toEqual([]);
    const c = byName(r.profile.columnProfile);
    // OpenMetadata's example: ages [30, 31, 32].
    expect(c.age).toEqual({
      name: 'age',
      timestamp: T,
      valuesCount: 3,
      nullCount: 0,
      nullProportion: 0,
      distinctCount: 3,
      distinctProportion: 1,
      uniqueCount: 3,
      uniqueProportion: 1,
      duplicateCount: 0,
      min: 30,
      max: 32,
      mean: 31,
      sum: 93,
      stddev: 1,
      variance: 1,
      median: 31,
      firstQuartile: 30.5,
      thirdQuartile: 31.5,
      interQuartileRange: 1,
      nonParametricSkew: 0,
      histogram: { boundaries: ['30.000 to 31.387', '31.387 and up'], frequencies: [2, 1] },
    });
    expect(c.name).toEqual({
      name: 'name',
      timestamp: T,
      valuesCount: 2,
      nullCount: 1,
      nullProportion: 1 / 3,
      distinctCount: 2,
      distinctProportion: 1,
      uniqueCount: 2,
      uniqueProportion: 1,
      duplicateCount: 0,
      mean: 3,
      minLength: 3,
      maxLength: 3,
    });
    expect(c.born).toMatchObject({ valuesCount: 2, nullCount: 1, min: Date.UTC(2020, 0, 1), max: Date.UTC(2020, 0, 3), distinctCount: 2 });
    expect(c.born.mean).toBeUndefined();
    expect(c.flag).toMatchObject({ valuesCount: 3, distinctCount: 2, uniqueCount: 1, duplicateCount: 1 });
    expect(c.flag.min).toBeUndefined();
    expect(c.empty).toEqual({ name: 'empty', timestamp: T, valuesCount: 0, nullCount: 3, nullProportion: 1, distinctCount: 0, uniqueCount: 0, duplicateCount: 0 });
    expect(c.meta).toEqual({ name: 'meta', timestamp: T, valuesCount: 2, nullCount: 1, nullProportion: 1 / 3 });
  });

  it('strings: duplicates, lengths in code points, CSV NA strings as nulls', async () => {
    const t = memoryTable({ s: 'VARCHAR' }, [{ s: 'a' }, { s: 'bb' }, { s: 'bb' }, { s: 'ccc' }, { s: '' }, { s: 'NA' }, { s: '😀' }], { fileFormat: 'csv' });
    const c = byName((await profileTable(t, { timestamp: T })).profile.columnProfile).s;
    expect(c).toMatchObject({ valuesCount: 5, nullCount: 2, distinctCount: 4, uniqueCount: 3, duplicateCount: 1, minLength: 1, maxLength: 3 });
    expect(c.mean).toBeCloseTo((1 + 2 + 2 + 3 + 1) / 5, 12);
    expect(c.uniqueProportion).toBeCloseTo(3 / 5, 12);
  });

  it('coerces CSV strings by dataType and counts unparseable values as invalid', async () => {
    const t = memoryTable({ n: 'DOUBLE', d: 'TIMESTAMP', tm: 'TIME' }, [
      { n: '1.5', d: '2024-03-01 10:00:00', tm: '10:00:00' },
      { n: 'x', d: '2024-03-01T12:00:00+02:00', tm: '00:00:30' },
      { n: '2.5e0', d: 'yesterday', tm: '' },
    ]);
    const warnings: string[] = [];
    const c = byName((await profileTable(t, { timestamp: T, warn: (m) => warnings.push(m) })).profile.columnProfile);
    expect(c.n).toMatchObject({ valuesCount: 3, validCount: 2, nullCount: 0, min: 1.5, max: 2.5, mean: 2, sum: 4, distinctCount: 2 });
    expect(c.d).toMatchObject({ valuesCount: 3, validCount: 2, min: Date.UTC(2024, 2, 1, 10), max: Date.UTC(2024, 2, 1, 10) });
    expect(c.d.distinctCount).toBe(1);
    expect(c.tm).toMatchObject({ valuesCount: 2, nullCount: 1, min: 30, max: 36000 });
    expect(warnings.join('\n')).toMatch(/column n: 1 value\(s\) could not be read as DOUBLE/);
  });

  it('histogram fallbacks: IQR = 0 uses unit-wide bins, a constant column gets one bin', async () => {
    const t = memoryTable({ a: 'INT', k: 'INT' }, [1, 1, 1, 1, 10].map((a) => ({ a, k: 5 })));
    const c = byName((await profileTable(t, { timestamp: T })).profile.columnProfile);
    expect(c.a.interQuartileRange).toBe(0);
    expect(c.a.histogram!.frequencies).toEqual([4, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(c.a.histogram!.boundaries[0]).toBe('1.000 to 2.000');
    expect(c.a.histogram!.boundaries[8]).toBe('9.000 and up');
    expect(c.k.histogram).toEqual({ boundaries: ['5.000 and up'], frequencies: [5] });
    expect(c.k.stddev).toBe(0);
    expect(c.k.nonParametricSkew).toBeUndefined();
  });

  it('more than 100 Freedman–Diaconis bins falls back to Sturges', async () => {
    const values = [0, 1, 2, 3, 4, 5, 6, 7, 1_000_000];
    const t = memoryTable({ a: 'INT' }, values.map((a) => ({ a })));
    const h = byName((await profileTable(t, { timestamp: T })).profile.columnProfile).a.histogram!;
    expect(h.frequencies).toHaveLength(Math.ceil(Math.log2(9) + 1));
    expect(h.frequencies.reduce((a, b) => a + b, 0)).toBe(9);
    expect(h.boundaries[1]).toBe('200.000K to 400.000K');
  });

  it('single value: no stddev, quantiles equal the value', async () => {
    const c = byName((await profileTable(memoryTable({ a: 'FLOAT' }, [{ a: 2.5 }]), { timestamp: T })).profile.columnProfile).a;
    expect(c).toMatchObject({ mean: 2.5, median: 2.5, firstQuartile: 2.5, interQuartileRange: 0, min: 2.5 });
    expect(c.stddev).toBeUndefined();
  });

  it('an empty table', async () => {
    const r = await profileTable(memoryTable({ a: 'INT' }, []), { timestamp: T });
    expect(r.profile.tableProfile.rowCount).toBe(0);
    expect(r.profile.columnProfile).toEqual([{ name: 'a', timestamp: T, valuesCount: 0, nullCount: 0, distinctCount: 0, uniqueCount: 0, duplicateCount: 0 }]);
  });

  it('stddev stays accurate for large offsets (Welford)', async () => {
    const base = 1e9;
    const t = memoryTable({ a: 'DOUBLE' }, [4, 7, 13, 16].map((x) => ({ a: base + x })));
    const c = byName((await profileTable(t, { timestamp: T })).profile.columnProfile).a;
    expect(c.stddev).toBeCloseTo(Math.sqrt(30), 6);
    expect(c.mean).toBe(base + 10);
  });
});

describe('profileTable: selection, free statistics, sampling facts', () => {
  it('honours metric names in any OpenMetadata spelling', async () => {
    const t = memoryTable({ a: 'INT', b: 'STRING' }, [{ a: 1, b: null }]);
    const r = await profileTable(t, { timestamp: T, metrics: ['row_count', 'NULL_COUNT', 'COUNT'] });
    expect(r.profile.tableProfile).toEqual({ timestamp: T, rowCount: 1 });
    expect(r.profile.columnProfile).toEqual([
      { name: 'a', timestamp: T, valuesCount: 1, nullCount: 0 },
      { name: 'b', timestamp: T, valuesCount: 0, nullCount: 1 },
    ]);
  });

  it('rejects unknown metric names', async () => {
    await expect(profileTable(memoryTable({ a: 'INT' }, []), { metrics: ['mean', 'bogus'] })).rejects.toThrow(/unknown metric\(s\): bogus/);
  });

  it('includeColumns (with their own metrics) and excludeColumns', async () => {
    const t = memoryTable({ a: 'INT', b: 'INT', c: 'INT' }, [{ a: 1, b: 2, c: 3 }]);
    const inc = await profileTable(t, {
      timestamp: T,
      tableConfig: { fullyQualifiedName: t.fqn, columnConfig: { includeColumns: [{ columnName: 'b', metrics: ['max'] }, { columnName: 'zz' }] } },
      warn: () => {},
    });
    expect(inc.profile.columnProfile).toEqual([{ name: 'b', timestamp: T, max: 2 }]);
    const exc = await profileTable(t, { timestamp: T, metrics: ['min'], tableConfig: { fullyQualifiedName: t.fqn, columnConfig: { excludeColumns: ['a', 'c'] } } });
    expect(exc.profile.columnProfile).toEqual([{ name: 'b', timestamp: T, min: 2 }]);
    expect(exc.profile.tableProfile.columnCount).toBeUndefined();
  });

  it('uses knownRowCount and knownColumnStats when they answer everything (no row pass)', async () => {
    const t = memoryTable({ a: 'INT' }, () => {
      throw new Error('must not read rows');
    }, { knownRowCount: 99, knownColumnStats: { a: { nullCount: 4, min: 1, max: 9 } } });
    const r = await profileTable(t, { timestamp: T, metrics: ['rowCount', 'nullCount', 'valuesCount', 'min', 'max'] });
    expect(r.scanned).toBe(false);
    expect(r.profile.tableProfile.rowCount).toBe(99);
    expect(r.profile.columnProfile).toEqual([{ name: 'a', timestamp: T, nullCount: 4, valuesCount: 95, min: 1, max: 9 }]);
  });

  it('ignores footer statistics when the rows are sampled, and reports the sample', async () => {
    const t = memoryTable({ a: 'INT' }, [{ a: 5 }], { knownRowCount: 99, knownColumnStats: { a: { min: 1, max: 9 } }, sampling: { profileSample: 10, profileSampleType: 'PERCENTAGE' } });
    const r = await profileTable(t, { timestamp: T, metrics: ['rowCount', 'min', 'max'] });
    expect(r.scanned).toBe(true);
    expect(r.profile.tableProfile).toEqual({ timestamp: T, rowCount: 1, profileSample: 10, profileSampleType: 'PERCENTAGE' });
    expect(r.profile.columnProfile![0]).toMatchObject({ min: 5, max: 5 });
  });
});
