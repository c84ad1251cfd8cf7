import { compileCondition, ExpressionError, parseCondition } from './expression';
import { makeCoercer, columnKind, type Coerced } from '../metrics/types';

const cols = { age: 'INT', name: 'STRING', born: 'DATE', active: 'BOOLEAN', 'first name': 'STRING' } as const;
const names = Object.keys(cols);

function matcher(text: string) {
  const parsed = parseCondition(text, names);
  const coercers = names.map((n) => makeCoercer(columnKind(cols[n as keyof typeof cols]), false));
  const fn = compileCondition(parsed.condition, (c) => ({ slot: names.indexOf(c), coerce: coercers[names.indexOf(c)] }));
  return (row: Record<string, unknown>) => fn(names.map((n, i) => coercers[i](row[n])) as Coerced[]);
}

const rows = [
  { age: 30, name: 'John', born: '2020-01-01', active: true, 'first name': 'J' },
  { age: 45, name: 'Jane', born: '2021-06-15', active: false, 'first name': 'Ja' },
  { age: null, name: null, born: null, active: null, 'first name': null },
];

function matches(text: string): number[] {
  const m = matcher(text);
  return rows.flatMap((r, i) => (m(r) === true ? [i] : []));
}

describe('custom SQL expression subset', () => {
  it.each([
    ['age > 40', [1]],
    ['age >= 30 AND age <= 40', [0]],
    ['age < 31 or name = \'Jane\'', [0, 1]],
    ['NOT (age > 40)', [0]],
    ['age IS NULL', [2]],
    ['name IS NOT NULL', [0, 1]],
    ["name IN ('John', 'Bob')", [0]],
    ["name NOT IN ('John')", [1]],
    ["name LIKE 'J_n%'", [1]],
    ["name ILIKE 'jo%'", [0]],
    ["name NOT LIKE 'Jo%'", [1]],
    ['age BETWEEN 40 AND 50', [1]],
    ["born >= '2021-01-01'", [1]],
    ['active', [0]],
    ['active = FALSE', [1]],
    ['age == 30 && name != "Jane"', [0]],
    ['age <> 30', [1]],
    ['`first name` = \'Ja\'', [1]],
    ['"first name" = \'J\'', [0]],
    ['name == "John"', [0]],
    ['name in ["Jane"]', [1]],
    ['age is None', [2]],
    ['~(age > 40) & name == "John"', [0]],
    ['age > -1', [0, 1]],
    ['SELECT * FROM t WHERE age > 40', [1]],
    ['select count(*) from "svc"."db"."t" where name is null;', [2]],
    ['SELECT * FROM t', [0, 1, 2]],
    ['AGE > 40', [1]],
  ])('%s', (text, expected) => {
    expect(matches(text)).toEqual(expected);
  });

  it('three-valued logic: NULL comparisons are unknown, NOT unknown is unknown', () => {
    const m = matcher('NOT (age > 40)');
    expect(m(rows[2])).toBeNull();
    expect(matcher('age > 40 OR TRUE')(rows[2])).toBe(true);
    expect(matcher('age > 40 AND FALSE')(rows[2])).toBe(false);
  });

  it.each([
    ["__import__('os').system('rm -rf /')", /function calls are not supported/],
    ['len(name) > 3', /function calls are not supported/],
    ['name.str.len() > 3', /attribute access is not supported/],
    ['unknown_col > 3', /unknown column 'unknown_col'/],
    ['age + 1 > 3', /unexpected character '\+'|not supported/],
    ['SELECT name FROM t', /only SELECT \* or SELECT COUNT/],
    ['SELECT * FROM a JOIN b ON a.x = b.x', /not supported/],
    ['SELECT * FROM t WHERE age IN (SELECT age FROM u)', /subqueries are not supported/],
    ['SELECT * FROM t GROUP BY age', /not supported/],
    ['age > 3; DROP TABLE t', /not supported/],
    ['age > 3 -- comment', /comments are not supported/],
    ["name = 'unterminated", /unterminated string/],
    ['age >', /expected a literal value/],
    ['(age > 3', /expected '\)'/],
    ['lambda: 1', /not supported|unexpected/],
  ])('rejects %s', (text, message) => {
    expect(() => parseCondition(text, names)).toThrow(ExpressionError);
    expect(() => parseCondition(text, names)).toThrow(message);
  });

  it('limits nesting', () => {
    expect(() => parseCondition(`${'('.repeat(200)}age > 1${')'.repeat(200)}`, names)).toThrow(/nested too deeply/);
  });
});
