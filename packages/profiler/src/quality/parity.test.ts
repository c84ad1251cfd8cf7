/**
 * Our test definitions against OpenMetadata's own validators. The first table is the one
 * OpenMetadata's datalake validator tests use (ingestion/tests/unit/test_suite/
 * test_validations_datalake.py, DL_DATA: three rows × 1000 × 2 dataframes; parameters from
 * tests/unit/test_suite/conftest.py) and the expected values are the ones that test asserts.
 * Every other expectation names the OpenMetadata validator (ingestion/src/metadata/data_quality/
 * validations/...) and the function it follows.
 */
import type { TestCaseResult } from '@om/core';
import type { TestCaseDefinitionConfig } from '../config';
import { memoryTable } from '../testing/tables';
import { insertedSince } from './definitions';
import { runTestCases } from './runner';

const NOW = Date.UTC(2024, 2, 31, 15, 30);
const DAY = 86_400_000;
// OpenMetadata's rows are `datetime.today() - timedelta(days=k)`, written just before the
// validator runs: a minute before now − k days.
const daysAgo = (k: number) => new Date(NOW - k * DAY - 60_000).toISOString();

const OM_COLUMNS = { id: 'INT', name: 'STRING', 'first name': 'STRING', fullname: 'STRING', nickname: 'STRING', age: 'INT', inserted_date: 'DATE' } as const;
const OM_ROWS = [
  { id: '1', name: 'John', 'first name': 'Jo', fullname: 'John Doe', nickname: 'johnny b goode', age: 30, inserted_date: daysAgo(1) },
  { id: '2', name: 'Jane', 'first name': 'Ja', fullname: 'Jone Doe', nickname: 'Johnny d', age: 31, inserted_date: daysAgo(2) },
  { id: '3', name: 'John', 'first name': 'Joh', fullname: 'John Doe', nickname: null, age: null, inserted_date: daysAgo(3) },
];
const omTable = () => memoryTable({ ...OM_COLUMNS }, () => (function* () {
  for (let i = 0; i < 2000; i++) yield* OM_ROWS;
})());

type Params = Record<string, string>;

async function run(table: ReturnType<typeof memoryTable>, def: string, column: string | undefined, params: Params, compute = false): Promise<TestCaseResult> {
  const tc: TestCaseDefinitionConfig = {
    name: 'c',
    testDefinitionName: def,
    ...(column ? { columnName: column } : {}),
    parameterValues: Object.entries(params).map(([name, value]) => ({ name, value })),
    computePassedFailedRowCount: compute,
  };
  const [out] = await runTestCases(table, [tc], { now: NOW });
  return out.result;
}
const om = (def: string, column: string | undefined, params: Params, compute = false) => run(omTable(), def, column, params, compute);
/** [status, ...testResultValue values] */
const summary = (r: TestCaseResult) => [r.testCaseStatus, ...(r.testResultValue ?? []).map((v) => `${v.name}=${v.value}`)];
const rows = (r: TestCaseResult) => ({ passed: r.passedRows, failed: r.failedRows, passedPct: r.passedRowsPercentage, failedPct: r.failedRowsPercentage });

describe('results equal OpenMetadata validators (test_validations_datalake.py table)', () => {
  // table/base/tableRowCountToBeBetween.py run_validation: min ≤ ROW_COUNT ≤ max, str(int)
  it('tableRowCountToBeBetween', async () => {
    expect(summary(await om('tableRowCountToBeBetween', undefined, { minValue: '10', maxValue: '35' }))).toEqual(['Failed', 'rowCount=6000']);
  });

  // table/base/tableRowCountToEqual.py run_validation: value == ROW_COUNT
  it('tableRowCountToEqual', async () => {
    expect(summary(await om('tableRowCountToEqual', undefined, { value: '10' }))).toEqual(['Failed', 'rowCount=6000']);
  });

  // table/base/tableColumnCountToBeBetween.py run_validation: min ≤ columns ≤ max (float bounds)
  it('tableColumnCountToBeBetween', async () => {
    expect(summary(await om('tableColumnCountToBeBetween', undefined, { minColValue: '2', maxColValue: '10' }))).toEqual(['Success', 'columnCount=7']);
  });

  // table/base/tableColumnCountToEqual.py run_validation: count == columnCount
  it('tableColumnCountToEqual', async () => {
    expect(summary(await om('tableColumnCountToEqual', undefined, { columnCount: '8' }))).toEqual(['Failed', 'columnCount=7']);
  });

  // table/base/tableColumnNameToExist.py run_validation: result_value = 1 if Success else 0
  // (0.x wrote str(True)); the result name keeps OpenMetadata's spelling "columnNameExits".
  it('tableColumnNameToExist', async () => {
    expect(summary(await om('tableColumnNameToExist', undefined, { columnName: 'id' }))).toEqual(['Success', 'columnNameExits=1']);
    const missing = await om('tableColumnNameToExist', undefined, { columnName: 'phone' });
    expect(summary(missing)).toEqual(['Failed', 'columnNameExits=0']);
    // format_column_list: the full list when failed
    expect(missing.result).toBe("phone column expected vs ['id', 'name', 'first name', 'fullname', 'nickname', 'age', 'inserted_date']");
  });

  // table/base/tableColumnToMatchSet.py run_validation: names split on "," and stripped;
  // ordered: list equality, else collections.Counter equality (compare); value 1/0.
  it('tableColumnToMatchSet', async () => {
    expect(summary(await om('tableColumnToMatchSet', undefined, { columnNames: 'id,name,nickname' }))).toEqual(['Failed', 'columnNames=0']);
    expect(summary(await om('tableColumnToMatchSet', undefined, { columnNames: 'id,name,nickname,fullname,age', ordered: 'True' }))).toEqual(['Failed', 'columnNames=0']);
    expect(summary(await om('tableColumnToMatchSet', undefined, { columnNames: 'inserted_date, age, id,name,first name,fullname,nickname' }))).toEqual(['Success', 'columnNames=1']);
    // Counter, not set: a name listed twice does not match one column
    expect(summary(await om('tableColumnToMatchSet', undefined, { columnNames: 'id,id,name,first name,fullname,nickname,age,inserted_date' }))).toEqual(['Failed', 'columnNames=0']);
  });

  // table/base/tableCustomSQLQuery.py run_validation (threshold 0, operator <=) and
  // _calculate_passed_failed_rows; pandas/tableCustomSQLQuery.py compute_row_count (all rows).
  it('tableCustomSQLQuery', async () => {
    const failed = await om('tableCustomSQLQuery', undefined, { sqlExpression: 'age > 30' }, true);
    expect(summary(failed)).toEqual(['Failed', 'resultRowCount=2000']);
    expect(rows(failed)).toMatchObject({ passed: 4000, failed: 2000 });
    expect(summary(await om('tableCustomSQLQuery', undefined, { sqlExpression: 'age < 0' }))).toEqual(['Success', 'resultRowCount=0']);
    // ==, failed with more rows than the threshold: the surplus fails (_calculate_equal_failure)
    const eq = await om('tableCustomSQLQuery', undefined, { sqlExpression: 'age > 30', operator: '==', threshold: '1500' }, true);
    expect(rows(eq)).toMatchObject({ passed: 5500, failed: 500 });
  });

  // pandas/tableRowInsertedCountToBeBetween.py _get_threshold_date: now − 1 DAY truncated to
  // the start of that day, so yesterday's rows count (2000); base: min ≤ count ≤ max.
  it('tableRowInsertedCountToBeBetween', async () => {
    const r = await om('tableRowInsertedCountToBeBetween', undefined, { min: '3', columnName: 'inserted_date', rangeType: 'DAY', rangeInterval: '1' });
    expect(summary(r)).toEqual(['Success', 'rowCount=2000']);
    expect(r.result).toBe('Found insertedRows=2000 vs. the expected min=3, max=inf (rows since 2024-03-30 00:00:00 UTC).');
  });

  // column/base/columnValuesToBeNotNull.py run_validation: NULL_COUNT == 0; rows: all rows,
  // failed = nulls.
  it('columnValuesToBeNotNull', async () => {
    const r = await om('columnValuesToBeNotNull', 'nickname', {}, true);
    expect(summary(r)).toEqual(['Failed', 'nullCount=2000']);
    expect(rows(r)).toMatchObject({ passed: 4000, failed: 2000 });
  });

  // column/base/columnValuesToBeUnique.py run_validation: names valueCount/uniqueCount,
  // COUNT (non-null) == UNIQUE_COUNT (values seen once); row_count=count,
  // passed_rows=unique_count, sent even without computePassedFailedRowCount.
  it('columnValuesToBeUnique', async () => {
    const r = await om('columnValuesToBeUnique', 'nickname', {});
    expect(summary(r)).toEqual(['Failed', 'valueCount=4000', 'uniqueCount=0']);
    expect(rows(r)).toEqual({ passed: 0, failed: 4000, passedPct: 0, failedPct: 100 });
  });

  // column/base/columnValuesToBeBetween.py run_validation: min ≥ minValue and max ≤ maxValue,
  // str() of pandas' min/max (age holds a NaN: float64); pandas compute_row_count: failed =
  // values outside the bounds, of all rows.
  it('columnValuesToBeBetween', async () => {
    const r = await om('columnValuesToBeBetween', 'age', { minValue: '29', maxValue: '33' }, true);
    expect(summary(r)).toEqual(['Success', 'min=30.0', 'max=31.0']);
    expect(rows(r)).toMatchObject({ passed: 6000, failed: 0 });
    expect(r.result).toBe('Found min=30.0, max=31.0 vs. the expected min=29.0, max=33.0.');
  });

  // column/base/columnValuesToBeInSet.py run_validation: COUNT_IN_SET > 0 (matchEnum:
  // ROW_COUNT − COUNT_IN_SET == 0); row_count = all rows, passed_rows = count in set.
  it('columnValuesToBeInSet', async () => {
    const r = await om('columnValuesToBeInSet', 'name', { allowedValues: "['John']" }, true);
    expect(summary(r)).toEqual(['Success', 'allowedValueCount=4000']);
    expect(rows(r)).toMatchObject({ passed: 4000, failed: 2000 });
    expect(summary(await om('columnValuesToBeInSet', 'name', { allowedValues: "['John', 'Jane']", matchEnum: 'true' }))).toEqual(['Success', 'allowedValueCount=6000']);
    // a null is a row outside the set
    expect(summary(await om('columnValuesToBeInSet', 'nickname', { allowedValues: "['johnny b goode', 'Johnny d']", matchEnum: 'true' }))).toEqual(['Failed', 'allowedValueCount=4000']);
  });

  // column/base/columnValuesToBeNotInSet.py run_validation: COUNT_IN_SET == 0; failed = in set.
  it('columnValuesToBeNotInSet', async () => {
    const r = await om('columnValuesToBeNotInSet', 'name', { forbiddenValues: "['John']" }, true);
    expect(summary(r)).toEqual(['Failed', 'countForbiddenValues=4000']);
    expect(rows(r)).toMatchObject({ passed: 2000, failed: 4000 });
  });

  // column/base/columnValuesToMatchRegex.py run_validation: COUNT == REGEX_COUNT; row_count =
  // COUNT (non-null values), passed_rows = matches.
  it('columnValuesToMatchRegex', async () => {
    expect(summary(await om('columnValuesToMatchRegex', 'name', { regex: 'J.*' }))).toEqual(['Success', 'likeCount=6000']);
    const r = await om('columnValuesToMatchRegex', 'nickname', { regex: '^J' }, true);
    expect(summary(r)).toEqual(['Failed', 'likeCount=2000']);
    expect(rows(r)).toEqual({ passed: 2000, failed: 2000, passedPct: 50, failedPct: 50 });
  });

  // column/base/columnValuesToNotMatchRegex.py run_validation: NOT_REGEX_COUNT == 0.
  it('columnValuesToNotMatchRegex', async () => {
    expect(summary(await om('columnValuesToNotMatchRegex', 'name', { forbiddenRegex: 'X%' }))).toEqual(['Success', 'notLikeCount=0']);
  });

  // column/base/columnValueLengthsToBeBetween.py run_validation: minLength ≤ MIN_LENGTH and
  // MAX_LENGTH ≤ maxLength; pandas compute_row_count: failed = lengths outside, of all rows.
  it('columnValueLengthsToBeBetween', async () => {
    const r = await om('columnValueLengthsToBeBetween', 'nickname', { minLength: '1', maxLength: '10' }, true);
    expect(summary(r)).toEqual(['Failed', 'minValueLength=8', 'maxValueLength=14']);
    expect(rows(r)).toMatchObject({ passed: 4000, failed: 2000 });
    expect(summary(await om('columnValueLengthsToBeBetween', 'first name', { minLength: '1', maxLength: '10' }))).toEqual(['Success', 'minValueLength=2', 'maxValueLength=3']);
  });

  // column/base/columnValuesMissingCount.py run_validation: NULL_MISSING_COUNT (+ COUNT_IN_SET
  // of missingValueMatch) == missingCountValue, reported as nullCount; no row counts.
  it('columnValuesMissingCount', async () => {
    const r = await om('columnValuesMissingCount', 'nickname', { missingCountValue: '10' }, true);
    expect(summary(r)).toEqual(['Failed', 'nullCount=2000']);
    expect(r.failedRows).toBeUndefined();
    expect(summary(await om('columnValuesMissingCount', 'nickname', { missingCountValue: '10', missingValueMatch: "['Johnny d']" }))).toEqual(['Failed', 'nullCount=4000']);
    expect(summary(await om('columnValuesMissingCount', 'nickname', { missingCountValue: '4000', missingValueMatch: "['Johnny d']" }))).toEqual(['Success', 'nullCount=4000']);
  });

  // column/base/columnValuesSumToBeBetween.py run_validation; metrics/static/sum.py df_fn
  // (float64 sum of a column with NaN).
  it('columnValuesSumToBeBetween', async () => {
    expect(summary(await om('columnValuesSumToBeBetween', 'age', { minValueForColSum: '10', maxValueForColSum: '100' }))).toEqual(['Failed', 'sum=122000.0']);
  });

  // column/base/columnValueMaxToBeBetween.py run_validation; metrics/static/max.py df_fn.
  it('columnValueMaxToBeBetween', async () => {
    const r = await om('columnValueMaxToBeBetween', 'age', { minValueForMaxInCol: '1', maxValueForMaxInCol: '10' });
    expect(summary(r)).toEqual(['Failed', 'max=31.0']);
    expect(r.result).toBe('Found max=31.0 vs. the expected min=1.0, max=10.0.');
    expect(summary(await om('columnValueMaxToBeBetween', 'age', { maxValueForMaxInCol: '10' }))[0]).toBe('Failed');
  });

  // column/base/columnValueMinToBeBetween.py run_validation; metrics/static/min.py df_fn.
  it('columnValueMinToBeBetween', async () => {
    expect(summary(await om('columnValueMinToBeBetween', 'age', { minValueForMinInCol: '25', maxValueForMinInCol: '40' }))).toEqual(['Success', 'min=30.0']);
    expect(summary(await om('columnValueMinToBeBetween', 'age', { maxValueForMinInCol: '40' }))[0]).toBe('Success');
  });

  // column/base/columnValueMeanToBeBetween.py run_validation; metrics/static/mean.py df_fn.
  it('columnValueMeanToBeBetween', async () => {
    expect(summary(await om('columnValueMeanToBeBetween', 'age', { minValueForMeanInCol: '1', maxValueForMeanInCol: '10' }))).toEqual(['Failed', 'mean=30.5']);
    expect(summary(await om('columnValueMeanToBeBetween', 'age', { minValueForMeanInCol: '1' }))[0]).toBe('Success');
  });

  // column/base/columnValueMedianToBeBetween.py run_validation.
  it('columnValueMedianToBeBetween', async () => {
    expect(summary(await om('columnValueMedianToBeBetween', 'age', { minValueForMedianInCol: '1', maxValueForMedianInCol: '10' }))).toEqual(['Failed', 'median=30.5']);
  });

  // column/base/columnValueStdDevToBeBetween.py run_validation (sample standard deviation).
  it('columnValueStdDevToBeBetween', async () => {
    expect(summary(await om('columnValueStdDevToBeBetween', 'age', { minValueForStdDevInCol: '20', maxValueForStdDevInCol: '40' }))).toEqual(['Failed', 'stddev=0.500062511721192']);
    expect(summary(await om('columnValueStdDevToBeBetween', 'age', { maxValueForStdDevInCol: '40' }))[0]).toBe('Success');
  });
});

describe('values as pandas holds them', () => {
  const small = () =>
    memoryTable({ n: 'INT', x: 'DOUBLE', d: 'DATE', ts: 'TIMESTAMP' }, [
      { n: 30, x: 1, d: '2024-01-01', ts: '2024-01-01T10:00:00Z' },
      { n: 40, x: 2, d: '2024-01-03', ts: '2024-01-02T11:30:00.250Z' },
    ]);

  // metrics/static/max.py, sum.py df_fn: an int64 column without NaN stays int64 (str "40");
  // a float column prints as a float; mean.py returns a numpy float ("35.0").
  it('ints stay ints, floats print like Python', async () => {
    expect(summary(await run(small(), 'columnValueMaxToBeBetween', 'n', {}))).toEqual(['Success', 'max=40']);
    expect(summary(await run(small(), 'columnValuesSumToBeBetween', 'n', {}))).toEqual(['Success', 'sum=70']);
    expect(summary(await run(small(), 'columnValueMeanToBeBetween', 'n', {}))).toEqual(['Success', 'mean=35.0']);
    expect(summary(await run(small(), 'columnValueMaxToBeBetween', 'x', {}))).toEqual(['Success', 'max=2.0']);
  });

  // str(pandas.Timestamp) for date-times, str(datetime.date) for DATE (pyarrow date32 objects);
  // columnValuesToBeBetween.py _convert_date_to_datetime: a DATE max becomes that day's
  // 23:59:59.999999 and is compared as such.
  it('dates and timestamps', async () => {
    expect(summary(await run(small(), 'columnValueMaxToBeBetween', 'd', {}))).toEqual(['Success', 'max=2024-01-03']);
    expect(summary(await run(small(), 'columnValueMaxToBeBetween', 'ts', {}))).toEqual(['Success', 'max=2024-01-02 11:30:00.250000']);
    expect(summary(await run(small(), 'columnValuesToBeBetween', 'd', { maxValue: String(Date.UTC(2024, 0, 3)) }))).toEqual(['Failed', 'min=2024-01-01 00:00:00', 'max=2024-01-03 23:59:59.999999']);
    expect(summary(await run(small(), 'columnValuesToBeBetween', 'd', { maxValue: String(Date.UTC(2024, 0, 4)) }))[0]).toBe('Success');
  });
});

describe('columns without values and cases without bounds', () => {
  const empty = () =>
    memoryTable({ n: 'INT', s: 'STRING' }, [
      { n: null, s: null },
      { n: null, s: null },
    ]);

  // column/base/columnValue{Min,Max,Mean,Median,StdDev}ToBeBetween.py run_validation on pandas: the
  // metric of an all-null column is NaN, `min_bound <= nan <= max_bound` is False, value str(nan).
  it('an all-null column fails min/max/mean/median/stddev and prints nan', async () => {
    for (const [def, name] of [
      ['columnValueMinToBeBetween', 'min'], ['columnValueMaxToBeBetween', 'max'], ['columnValueMeanToBeBetween', 'mean'],
      ['columnValueMedianToBeBetween', 'median'], ['columnValueStdDevToBeBetween', 'stddev'],
    ]) {
      expect(summary(await run(empty(), def, 'n', {}))).toEqual(['Failed', `${name}=nan`]);
    }
    // columnValuesToBeBetween.py: min and max are both NaN.
    expect(summary(await run(empty(), 'columnValuesToBeBetween', 'n', {}))).toEqual(['Failed', 'min=nan', 'max=nan']);
    // columnValueLengthsToBeBetween.py: MIN_LENGTH / MAX_LENGTH of no strings are NaN.
    expect(summary(await run(empty(), 'columnValueLengthsToBeBetween', 's', {}))).toEqual(['Failed', 'minValueLength=nan', 'maxValueLength=nan']);
  });

  // metrics/static/sum.py df_fn: pandas sums NaN away, so an all-null column sums to 0.0.
  it('an all-null column sums to 0.0', async () => {
    expect(summary(await run(empty(), 'columnValuesSumToBeBetween', 'n', { minValueForColSum: '0', maxValueForColSum: '0' }))).toEqual(['Success', 'sum=0.0']);
  });

  // table/base/tableRowCountToBeBetween.py: missing bounds are -inf / +inf, so the case passes.
  it('tableRowCountToBeBetween without bounds passes', async () => {
    expect(summary(await run(empty(), 'tableRowCountToBeBetween', undefined, {}))).toEqual(['Success', 'rowCount=2']);
  });
});

describe('tableRowInsertedCountToBeBetween threshold (pandas/tableRowInsertedCountToBeBetween.py _get_threshold_date)', () => {
  // The case: "rows inserted since yesterday" with rows from earlier today, earlier
  // yesterday and the day before; now − 1 day truncated to yesterday 00:00 keeps the first two.
  it('rows inserted since yesterday count from the start of yesterday', async () => {
    const now = Date.UTC(2024, 2, 31, 15, 30);
    const table = memoryTable({ inserted: 'TIMESTAMP' }, () => (function* () {
      for (let i = 0; i < 1000; i++) {
        yield { inserted: '2024-03-31T08:00:00Z' }; // earlier today
        yield { inserted: '2024-03-30T09:00:00Z' }; // yesterday, before now's time of day
        yield { inserted: '2024-03-29T20:00:00Z' }; // the day before
      }
    })());
    const [out] = await runTestCases(table, [{
      name: 'since_yesterday',
      testDefinitionName: 'tableRowInsertedCountToBeBetween',
      parameterValues: [{ name: 'columnName', value: 'inserted' }, { name: 'rangeType', value: 'DAY' }, { name: 'rangeInterval', value: '1' }, { name: 'min', value: '2000' }],
    }], { now });
    expect(summary(out.result)).toEqual(['Success', 'rowCount=2000']);
  });

  // relativedelta(hours|days|months|years=n) from now, then replace(minute=0, …) for HOUR and
  // replace(hour=0, …) for the others; relativedelta clamps the day to the month's last.
  it.each([
    ['HOUR', 2, Date.UTC(2024, 2, 31, 11)],
    ['DAY', 1, Date.UTC(2024, 2, 30)],
    ['DAY', 31, Date.UTC(2024, 1, 29)],
    ['MONTH', 1, Date.UTC(2024, 1, 29)],
    ['MONTH', 13, Date.UTC(2023, 1, 28)],
    ['YEAR', 1, Date.UTC(2023, 2, 31)],
  ])('%s %i', (rangeType, interval, expected) => {
    expect(new Date(insertedSince(Date.UTC(2024, 2, 31, 13, 45, 10), rangeType, interval)).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('YEAR from a leap day lands on Feb 28', () => {
    expect(new Date(insertedSince(Date.UTC(2024, 1, 29, 12), 'YEAR', 1)).toISOString()).toBe('2023-02-28T00:00:00.000Z');
  });
});
