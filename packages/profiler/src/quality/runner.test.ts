import type { TestCaseResult } from '@om/core';
import type { TestCaseDefinitionConfig } from '../config';
import { memoryTable } from '../testing/tables';
import { entityLink, runTestCases } from './runner';

const NOW = Date.UTC(2023, 0, 10, 12);
const table = () =>
  memoryTable(
    { id: 'INT', name: 'STRING', age: 'INT', born: 'DATE', score: 'DOUBLE', email: 'STRING' },
    [
      { id: 1, name: 'John', age: 30, born: '2020-01-01', score: 1.5, email: 'john@x.com' },
      { id: 2, name: 'Jane', age: 31, born: '2023-01-09', score: 2.5, email: 'jane@x.com' },
      { id: 3, name: 'John', age: 32, born: null, score: null, email: 'bad-email' },
      { id: 4, name: null, age: 40, born: '2023-01-10', score: 4.0, email: null },
    ],
  );

type Case = [string, string | undefined, Record<string, string>];

async function run(cases: Case[], compute = false) {
  const t = table();
  const testCases: TestCaseDefinitionConfig[] = cases.map(([def, col, params], i) => ({
    name: `c${i}`,
    testDefinitionName: def,
    ...(col ? { columnName: col } : {}),
    parameterValues: Object.entries(params).map(([name, value]) => ({ name, value })),
    computePassedFailedRowCount: compute,
  }));
  const out = await runTestCases(t, testCases, { now: NOW });
  return { out, results: out.map((o) => o.result), passes: t.passes };
}

const status = (r: TestCaseResult) => r.testCaseStatus;
const value = (r: TestCaseResult, name: string) => r.testResultValue?.find((v) => v.name === name)?.value;

// [definition, column, passing params, failing params, result name, expected value]
const MATRIX: [string, string | undefined, Record<string, string>, Record<string, string>, string, string][] = [
  ['tableRowCountToBeBetween', undefined, { minValue: '1', maxValue: '4' }, { minValue: '5' }, 'rowCount', '4'],
  ['tableRowCountToEqual', undefined, { value: '4' }, { value: '3' }, 'rowCount', '4'],
  ['tableColumnCountToBeBetween', undefined, { minColValue: '6' }, { maxColValue: '5' }, 'columnCount', '6'],
  ['tableColumnCountToEqual', undefined, { columnCount: '6' }, { columnCount: '7' }, 'columnCount', '6'],
  ['tableColumnNameToExist', undefined, { columnName: 'email' }, { columnName: 'phone' }, 'columnNameExits', '1'],
  ['tableColumnToMatchSet', undefined, { columnNames: 'email, id,name,age,born,score' }, { columnNames: 'email,id,name,age,born,score', ordered: 'true' }, 'columnNames', '1'],
  ['tableCustomSQLQuery', undefined, { sqlExpression: 'age > 100' }, { sqlExpression: 'SELECT * FROM t WHERE age >= 31' }, 'resultRowCount', '0'],
  ['tableRowInsertedCountToBeBetween', undefined, { columnName: 'born', rangeType: 'DAY', rangeInterval: '2', min: '2', max: '2' }, { columnName: 'born', rangeType: 'DAY', rangeInterval: '2', min: '3' }, 'rowCount', '2'],
  ['columnValuesToBeNotNull', 'id', {}, { __column: 'name' }, 'nullCount', '0'],
  ['columnValuesToBeUnique', 'id', {}, { __column: 'name' }, 'uniqueCount', '4'],
  ['columnValuesToBeBetween', 'age', { minValue: '30', maxValue: '40' }, { maxValue: '39' }, 'max', '40'],
  ['columnValuesToBeInSet', 'name', { allowedValues: "['John', 'Jane']" }, { allowedValues: "['John', 'Jane']", matchEnum: 'True' }, 'allowedValueCount', '3'],
  ['columnValuesToBeNotInSet', 'name', { forbiddenValues: "['Bob']" }, { forbiddenValues: "['Jane', 'Bob']" }, 'countForbiddenValues', '0'],
  ['columnValuesToMatchRegex', 'name', { regex: '^J' }, { regex: 'n$' }, 'likeCount', '3'],
  ['columnValuesToNotMatchRegex', 'name', { forbiddenRegex: '\\d' }, { forbiddenRegex: 'ohn' }, 'notLikeCount', '0'],
  ['columnValueLengthsToBeBetween', 'name', { minLength: '4', maxLength: '4' }, { maxLength: '3' }, 'maxValueLength', '4'],
  ['columnValuesMissingCount', 'name', { missingCountValue: '1' }, { missingCountValue: '0' }, 'nullCount', '1'],
  ['columnValuesSumToBeBetween', 'age', { minValueForColSum: '133', maxValueForColSum: '133' }, { maxValueForColSum: '100' }, 'sum', '133'],
  ['columnValueMaxToBeBetween', 'age', { minValueForMaxInCol: '40' }, { maxValueForMaxInCol: '39.5' }, 'max', '40'],
  ['columnValueMinToBeBetween', 'age', { maxValueForMinInCol: '30' }, { minValueForMinInCol: '31' }, 'min', '30'],
  ['columnValueMeanToBeBetween', 'age', { minValueForMeanInCol: '33', maxValueForMeanInCol: '34' }, { minValueForMeanInCol: '34' }, 'mean', '33.25'],
  ['columnValueMedianToBeBetween', 'age', { minValueForMedianInCol: '31.5', maxValueForMedianInCol: '31.5' }, { maxValueForMedianInCol: '31' }, 'median', '31.5'],
  ['columnValueStdDevToBeBetween', 'age', { minValueForStdDevInCol: '4.5', maxValueForStdDevInCol: '4.6' }, { maxValueForStdDevInCol: '4' }, 'stddev', String(Math.sqrt(62.75 / 3))],
];

describe('test definitions', () => {
  it.each(MATRIX)('%s passes and fails', async (def, col, good, bad, resultName, expected) => {
    const { __column, ...badParams } = bad;
    const { results } = await run([[def, col, good], [def, __column ?? col, badParams]]);
    expect(results[0].result).toBeDefined();
    expect([status(results[0]), status(results[1])]).toEqual(['Success', 'Failed']);
    expect(value(results[0], resultName)).toBe(expected);
    expect(results[0].timestamp).toBe(NOW);
  });

  it('evaluates every case of a table in one pass over the rows', async () => {
    const { passes } = await run(MATRIX.map(([d, c, g]) => [d, c, g] as Case));
    expect(passes).toBe(1);
    const schemaOnly = await run([['tableColumnCountToEqual', undefined, { columnCount: '6' }]]);
    expect(schemaOnly.passes).toBe(0);
  });

  it('columnValuesToBeUnique fails on duplicates; columnValuesToBeNotNull fails on nulls', async () => {
    const { results } = await run([['columnValuesToBeUnique', 'name', {}], ['columnValuesToBeNotNull', 'name', {}]], true);
    expect(status(results[0])).toBe('Failed');
    expect(value(results[0], 'valueCount')).toBe('3');
    expect(value(results[0], 'uniqueCount')).toBe('1');
    // rows of the 3 non-null values: 1 unique passes, 2 duplicated fail
    expect(results[0]).toMatchObject({ failedRows: 2, passedRows: 1 });
    expect(results[0].failedRowsPercentage).toBeCloseTo(200 / 3, 10);
    expect(results[1]).toMatchObject({ testCaseStatus: 'Failed', failedRows: 1, passedRows: 3, failedRowsPercentage: 25 });
  });

  it('columnValuesToBeInSet without matchEnum passes when any value is in the set', async () => {
    const { results } = await run([['columnValuesToBeInSet', 'name', { allowedValues: "['John']" }], ['columnValuesToBeInSet', 'name', { allowedValues: "['Bob']" }]]);
    expect(results.map(status)).toEqual(['Success', 'Failed']);
    expect(value(results[0], 'allowedValueCount')).toBe('2');
  });

  it('columnValuesToBeBetween on dates takes dates or epoch ms', async () => {
    const { results } = await run([
      ['columnValuesToBeBetween', 'born', { minValue: '2020-01-01', maxValue: '2023-01-11' }],
      ['columnValuesToBeBetween', 'born', { maxValue: String(Date.UTC(2022, 0, 1)) }],
    ], true);
    expect(results.map(status)).toEqual(['Success', 'Failed']);
    expect(value(results[0], 'min')).toBe('2020-01-01 00:00:00');
    expect(value(results[0], 'max')).toBe('2023-01-10 23:59:59.999999');
    expect(results[1].failedRows).toBe(2);
  });

  it('passed/failed rows for row-level tests', async () => {
    const { results } = await run([
      ['columnValuesToMatchRegex', 'email', { regex: '^[^@]+@[^@]+$' }],
      ['tableCustomSQLQuery', undefined, { sqlExpression: 'score IS NULL OR score > 3' }],
      ['columnValuesMissingCount', 'email', { missingCountValue: '2', missingValueMatch: "['bad-email']" }],
      ['tableRowCountToEqual', undefined, { value: '4' }],
    ], true);
    // regex rows count the non-null values only (3): 2 match, 1 does not
    expect(results[0]).toMatchObject({ testCaseStatus: 'Failed', failedRows: 1, passedRows: 2 });
    expect(results[1]).toMatchObject({ testCaseStatus: 'Failed', failedRows: 2, passedRows: 2 });
    expect(value(results[1], 'resultRowCount')).toBe('2');
    expect(results[1].result).toBe('Found 2 row(s). Test query is expected to return <= 0 row(s).');
    expect(results[2]).toMatchObject({ testCaseStatus: 'Success' });
    expect(results[3].failedRows).toBeUndefined();
  });

  it('tableCustomSQLQuery with COUNT strategy, operator and threshold', async () => {
    const { results } = await run([
      ['tableCustomSQLQuery', undefined, { sqlExpression: 'SELECT COUNT(*) FROM t WHERE age >= 31', strategy: 'COUNT', operator: '>=', threshold: '3' }],
      ['tableCustomSQLQuery', undefined, { sqlExpression: "name = 'John'", threshold: '1' }],
    ]);
    expect(results.map(status)).toEqual(['Success', 'Failed']);
  });

  it.each([
    ['noSuchTest', undefined, {}, /Unknown test definition noSuchTest/],
    ['columnValuesToBeNotNull', undefined, {}, /is a column test: set columnName/],
    ['columnValuesToBeNotNull', 'nope', {}, /Column nope not found in table/],
    ['tableRowCountToEqual', undefined, {}, /missing required parameter 'value'/],
    ['columnValuesToBeBetween', 'age', { minValue: 'abc' }, /parameter 'minValue' must be a number, got 'abc'/],
    ['columnValuesToBeInSet', 'name', { allowedValues: 'John, Jane' }, /must be a Python list literal/],
    ['columnValuesToMatchRegex', 'name', { regex: '(' }, /not a valid regular expression/],
    ['columnValueMeanToBeBetween', 'born', {}, /does not apply to column born of type DATE/],
    ['tableCustomSQLQuery', undefined, { sqlExpression: "__import__('os').system('id')" }, /sqlExpression is not supported: function calls are not supported/],
    ['tableCustomSQLQuery', undefined, { sqlExpression: 'SELECT name, COUNT(*) FROM t GROUP BY name' }, /not supported/],
    ['tableRowInsertedCountToBeBetween', undefined, { columnName: 'born', rangeType: 'WEEK', rangeInterval: '1' }, /rangeType' must be HOUR, DAY, MONTH or YEAR/],
    ['tableRowInsertedCountToBeBetween', undefined, { columnName: 'name', rangeType: 'DAY', rangeInterval: '1' }, /must be a date or timestamp column/],
  ])('%s aborts with a clear message (%s)', async (def, col, params, message) => {
    const { results } = await run([[def, col, params as Record<string, string>], ['tableRowCountToEqual', undefined, { value: '4' }]]);
    expect(status(results[0])).toBe('Aborted');
    expect(results[0].result).toMatch(message);
    expect(status(results[1])).toBe('Success');
  });

  it('builds CreateTestCaseRequests with entity links', async () => {
    const { out } = await run([['columnValuesToBeNotNull', 'id', {}], ['tableRowCountToEqual', undefined, { value: '4' }]]);
    expect(out[0].testCase).toEqual({
      name: 'c0',
      entityLink: '<#E::table::svc.default.bucket."data/t.csv"::columns::id>',
      testDefinition: 'columnValuesToBeNotNull',
      parameterValues: [],
      computePassedFailedRowCount: false,
    });
    expect(out[1].testCase.entityLink).toBe('<#E::table::svc.default.bucket."data/t.csv">');
    expect(entityLink('s.d.b.t', 'a.b')).toBe('<#E::table::s.d.b.t::columns::"a.b">');
  });
});
