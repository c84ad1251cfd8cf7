import type { TableDataRequest } from '@om/core';
import { runTestCases } from './runner';
import { parseLocationShapes } from './geo';
import { memoryTable } from '../testing/tables';
import type { TestCaseDefinitionConfig } from '../config';

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const p = (params: Record<string, string>) => Object.entries(params).map(([name, value]) => ({ name, value }));
const one = async (table: TableDataRequest, tc: TestCaseDefinitionConfig, extra: Parameters<typeof runTestCases>[2] = {}) => (await runTestCases(table, [tc], { now: NOW, ...extra }))[0].result;

describe('tableDataToBeFresh (Collate; documented: timeSinceUpdate in seconds, Failed when older)', () => {
  const table = memoryTable({ id: 'INT', updated_at: 'TIMESTAMP' }, [
    { id: 1, updated_at: NOW - 7_200_000 },
    { id: 2, updated_at: NOW - 1_800_000 },
    { id: 3, updated_at: null },
  ]);
  it('freshness is now − the newest value, in seconds', async () => {
    const ok = await one(table, { name: 'fresh', testDefinitionName: 'tableDataToBeFresh', parameterValues: p({ column: 'updated_at', timeSinceUpdate: '3600' }) });
    expect(ok).toMatchObject({ testCaseStatus: 'Success', testResultValue: [{ name: 'freshness', value: '1800.0' }] });
    const late = await one(table, { name: 'fresh', testDefinitionName: 'tableDataToBeFresh', parameterValues: p({ column: 'updated_at', timeSinceUpdate: '600' }) });
    expect(late).toMatchObject({ testCaseStatus: 'Failed', testResultValue: [{ name: 'freshness', value: '1800.0' }] });
  });
  it('an unknown column is Aborted naming it', async () => {
    const r = await one(table, { name: 'fresh', testDefinitionName: 'tableDataToBeFresh', parameterValues: p({ column: 'nope', timeSinceUpdate: '1' }) });
    expect(r.testCaseStatus).toBe('Aborted');
    expect(r.result).toMatch(/column 'nope' not found/);
  });
});

describe('columnValuesToBeAtExpectedLocation (OpenMetadata validations/column/base/columnValuesToBeAtExpectedLocation.py)', () => {
  // Two places in the bundled file's format: a square around central Paris and one around Lyon.
  const square = (lon: number, lat: number, d: number) => [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]];
  const shapes = parseLocationShapes(
    {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { libgeo: 'Paris', codgeo: '75056' }, geometry: { type: 'Polygon', coordinates: square(2.35, 48.85, 0.05) } },
        { type: 'Feature', properties: { libgeo: 'Lyon', codgeo: '69123' }, geometry: { type: 'MultiPolygon', coordinates: [square(4.85, 45.76, 0.05)] } },
      ],
    },
    'test shapes',
  );
  const table = memoryTable({ city: 'STRING', postal: 'STRING', lon: 'DOUBLE', lat: 'STRING' }, [
    { city: 'Paris', postal: '75056', lon: 2.35, lat: '48.85' }, // inside
    { city: 'paris', postal: '75056', lon: 2.35, lat: '48,86' }, // inside, other case, comma decimals
    { city: 'Paris', postal: '75056', lon: 2.35, lat: '48.9005' }, // 0.0005° = 50 m past the edge
    { city: 'Lyon', postal: '69123', lon: 2.35, lat: '48.85' }, // Paris point for Lyon: invalid
    { city: 'Atlantis', postal: '00000', lon: 1, lat: '1' }, // unknown place
    { city: 'Lyon', postal: '69123', lon: 0, lat: '45.76' }, // lon 0: unknown (`if not lon`)
  ]);
  const tc = (radius: string, type = 'CITY', column = 'city'): TestCaseDefinitionConfig => ({
    name: 'loc',
    testDefinitionName: 'columnValuesToBeAtExpectedLocation',
    columnName: column,
    computePassedFailedRowCount: true,
    parameterValues: p({ locationReferenceType: type, longitudeColumnName: 'lon', latitudeColumnName: 'lat', radius }),
  });

  it('counts valid, invalid and unknown rows; rows are valid + invalid, failed = invalid', async () => {
    const r = await one(table, tc('0'), { locationShapes: shapes });
    expect(r).toMatchObject({
      testCaseStatus: 'Failed',
      result: 'Found validLocation=2, invalidLocation=2,unknownLocation=2 vs. expected 0 invalidLocation.',
      testResultValue: [
        { name: 'validLocation', value: '2' },
        { name: 'invalidLocation', value: '2' },
        { name: 'unknownLocation', value: '2' },
      ],
      failedRows: 2,
      passedRows: 2,
      failedRowsPercentage: 50,
    });
  });

  it('radius in meters (÷ 100 000 → degrees) takes in points near the edge; postal codes use codgeo', async () => {
    const r = await one(table, tc('100', 'POSTAL_CODE', 'postal'), { locationShapes: shapes });
    expect(r.testResultValue).toEqual([
      { name: 'validLocation', value: '3' },
      { name: 'invalidLocation', value: '1' },
      { name: 'unknownLocation', value: '2' },
    ]);
  });

  it('without reference shapes the case is Aborted and says where OpenMetadata gets them', async () => {
    const r = await one(table, tc('0'));
    expect(r.testCaseStatus).toBe('Aborted');
    expect(r.result).toMatch(/fr-cities\.json.*locationReferenceFile/);
  });
});

describe('tableDiff (OpenMetadata validations/table/sqlalchemy/tableDiff.py)', () => {
  const base = [
    { id: 1, name: 'a', amount: 10 },
    { id: 2, name: 'b', amount: 20 },
    { id: 3, name: 'c', amount: 30 },
    { id: 4, name: 'd', amount: 40 },
  ];
  const pair = (rows2: Record<string, unknown>[], cols2: Record<string, 'INT' | 'STRING' | 'DOUBLE' | 'BIGINT'> = { id: 'INT', name: 'STRING', amount: 'INT' }) => {
    const t2 = memoryTable(cols2, rows2, { fqn: 'svc.default.b."two.csv"' });
    return memoryTable({ id: 'INT', name: 'STRING', amount: 'INT' }, base, {
      related: async (fqn: string) => (fqn === 'svc.default.b."two.csv"' ? t2 : undefined),
    });
  };
  const diff = (params: Record<string, string>, compute?: boolean): TestCaseDefinitionConfig => ({
    name: 'diff',
    testDefinitionName: 'tableDiff',
    parameterValues: p({ table2: 'svc.default.b."two.csv"', keyColumns: "['id']", ...params }),
    ...(compute !== undefined ? { computePassedFailedRowCount: compute } : {}),
  });
  const changed = [
    { id: 1, name: 'a', amount: 10 },
    { id: 2, name: 'b', amount: 21 }, // changed
    { id: 4, name: 'd', amount: 40 },
    { id: 5, name: 'e', amount: 50 }, // added; 3 removed
  ];

  it('same rows: Success, diffCount 0, every row passed', async () => {
    const r = await one(pair(base.map((r) => ({ ...r, amount: String(r.amount) }))), diff({}));
    expect(r).toMatchObject({
      testCaseStatus: 'Success',
      testResultValue: [
        { name: 'removedRows', value: '0' },
        { name: 'addedRows', value: '0' },
        { name: 'changedRows', value: '0' },
        { name: 'diffCount', value: '0' },
      ],
      passedRows: 4,
      failedRows: 0,
    });
  });

  it('removed, added and changed rows; the message is always "more than the threshold"', async () => {
    const r = await one(pair(changed), diff({}));
    expect(r).toMatchObject({
      testCaseStatus: 'Failed',
      result: 'Found 3 different rows which is more than the threshold of 0',
      testResultValue: [
        { name: 'removedRows', value: '1' },
        { name: 'addedRows', value: '1' },
        { name: 'changedRows', value: '1' },
        { name: 'diffCount', value: '3' },
      ],
      passedRows: 2,
      failedRows: 3,
      passedRowsPercentage: 50,
      failedRowsPercentage: 75,
    });
  });

  it('a threshold: Success below it; without computePassedFailedRowCount only the total is counted (None)', async () => {
    const r = await one(pair(changed), diff({ threshold: '5' }));
    expect(r.testCaseStatus).toBe('Success');
    expect(r.testResultValue).toEqual([
      { name: 'removedRows', value: 'None' },
      { name: 'addedRows', value: 'None' },
      { name: 'changedRows', value: 'None' },
      { name: 'diffCount', value: '3' },
    ]);
    expect((await one(pair(changed), diff({ threshold: '3' }))).testCaseStatus).toBe('Failed'); // 3 < 3 is false
  });

  it('useColumns limits the compared values; where filters both sides', async () => {
    expect((await one(pair(changed), diff({ useColumns: "['name']" }))).testResultValue!.at(-1)).toEqual({ name: 'diffCount', value: '2' });
    expect((await one(pair(changed), diff({ where: 'id <= 2' }))).testResultValue!.at(-1)).toEqual({ name: 'diffCount', value: '1' });
  });

  it('different columns fail first with removed/added/changed column counts', async () => {
    const r = await one(pair([{ id: 1, title: 'a', amount: 1.5 }], { id: 'INT', title: 'STRING', amount: 'DOUBLE' }), diff({}));
    expect(r).toMatchObject({
      testCaseStatus: 'Failed',
      testResultValue: [
        { name: 'removedColumns', value: '1' },
        { name: 'addedColumns', value: '1' },
        { name: 'changedColumns', value: '1' },
      ],
    });
    expect(r.result).toBe('Tables have 3 different columns:\n  Removed columns: name\n\n  Added columns: title\n\n  Changed columns:\n    amount: INT -> DOUBLE');
  });

  it('column names match case-insensitively unless caseSensitiveColumns', async () => {
    const upper = changed.map((r) => ({ ID: r.id, NAME: r.name, AMOUNT: r.amount }));
    const cols = { ID: 'INT', NAME: 'STRING', AMOUNT: 'INT' } as const;
    expect((await one(pair(upper, cols), diff({}))).testResultValue!.at(-1)).toEqual({ name: 'diffCount', value: '3' });
    expect((await one(pair(upper, cols), diff({ caseSensitiveColumns: 'true' }))).testResultValue![0]).toEqual({ name: 'removedColumns', value: '3' });
  });

  it('an unknown table2 is Aborted naming it', async () => {
    const r = await one(pair(base), diff({ table2: 'svc.default.b."nope.csv"' }));
    expect(r.testCaseStatus).toBe('Aborted');
    expect(r.result).toMatch(/table2 svc\.default\.b\."nope\.csv" was not found/);
  });
});
