import { buildFqn, InvalidFqnError, quoteName, splitFqn, unquoteName } from './fqn';

describe('FQN', () => {
  test.each([
    ['plain', 'plain'],
    ['users/users.csv', '"users/users.csv"'],
    ['my.bucket', '"my.bucket"'],
    ['"abc"', 'abc'],
    ['"a.b"', '"a.b"'],
    ['with space', 'with space'],
  ])('quoteName(%s) = %s', (input, expected) => {
    expect(quoteName(input)).toBe(expected);
  });

  test.each(['a"b', '"a"b"', 'ab"'])('quoteName rejects a stray quote in %s', (input) => {
    expect(() => quoteName(input)).toThrow(InvalidFqnError);
  });

  it('builds the datalake table FQN from the reference', () => {
    expect(buildFqn('datalake_for_integration_tests', 'default', 'my-bucket', 'users/users.csv')).toBe(
      'datalake_for_integration_tests.default.my-bucket."users/users.csv"',
    );
  });

  it('rejects empty parts', () => {
    expect(() => buildFqn('svc', '', 'x')).toThrow(/part 2/);
  });

  test.each([
    ['svc.db.schema.table', ['svc', 'db', 'schema', 'table']],
    ['svc.default.my-bucket."users/users.csv"', ['svc', 'default', 'my-bucket', 'users/users.csv']],
    ['"a.b"."c.d"', ['a.b', 'c.d']],
    ['single', ['single']],
    ['svc."data.v1.parquet".col', ['svc', 'data.v1.parquet', 'col']],
  ])('splitFqn(%s)', (fqn, parts) => {
    expect(splitFqn(fqn)).toEqual(parts);
  });

  test.each(['a..b', '.a', 'a.', '"a.b', 'a."b"c', 'a"b".c'])('splitFqn rejects %s', (fqn) => {
    expect(() => splitFqn(fqn)).toThrow(InvalidFqnError);
  });

  it('round-trips build and split', () => {
    const parts = ['svc', 'db', 'bucket.with.dots', 'path/to/file.v2.parquet'];
    expect(splitFqn(buildFqn(...parts))).toEqual(parts);
  });

  it('unquotes', () => {
    expect(unquoteName('"a.b"')).toBe('a.b');
    expect(unquoteName('ab')).toBe('ab');
  });
});
