/**
 * Typing JSON as it is read (json-typing.ts) against the value-tree path it stands in for, kept as the
 * oracle: parse every row (`parseJsonValue` / `parseJsonDocument`), then `inferJsonRows`. Where the
 * typing reader answers, its columns, row count and cut warnings are the oracle's.
 */
import { inferJsonRows } from '../formats/json/infer';
import { parseJsonDocument, parseJsonValue, type JsonValue } from './json-parse';
import { typeJsonArray, typeJsonLines } from './json-typing';
import { CutReport, columnsFromNodes, type ColumnLimits } from './tree';
import { seededRandom as seeded } from '../formats/sampling';

const LIMITS: ColumnLimits[] = [{}, { maxDepth: 2, maxChildren: 2 }];

function oracleLines(text: string, cut: boolean, maxRows: number): JsonValue[] {
  const lines = text.split('\n');
  if (cut) lines.pop();
  const rows: JsonValue[] = [];
  for (let i = 0; i < lines.length && rows.length < maxRows; i++) {
    const line = i === 0 ? lines[i].replace(/^\uFEFF/, '') : lines[i];
    if (line.trim() === '') continue;
    rows.push(parseJsonValue(line));
  }
  return rows;
}

/** Columns, rows and cut messages of both paths, per limit set; `undefined` when the typing reader declines. */
function compare(typed: ReturnType<typeof typeJsonLines>, rows: () => JsonValue[]) {
  if (!typed) return undefined;
  const expected = rows();
  return LIMITS.map((limits) => {
    const a = new CutReport();
    const b = new CutReport();
    return {
      got: { columns: columnsFromNodes(typed.nodes, limits, a), rows: typed.rows, cut: a.message() },
      want: { columns: inferJsonRows(expected, limits, b), rows: expected.length, cut: b.message() },
    };
  });
}

const SCALARS = ['0', '-0', '7', '-12', '1.0', '2.5e3', '1E-2', '9223372036854775807', '9223372036854775808', '12345678901234567', 'true', 'false', 'null',
  '"x"', '""', '"2024-01-02"', '"2024-01-02T10:00:00Z"', '"10:00:00"', '"a\\"b"', '"\\u00e9t\\u00e9"', '"2024-01-02 10:00:00.5"'];
const KEYS = ['a', 'b', 'c', 'id', '__proto__', '2', '1', 'a::b', 'x"y'];

function randomValue(random: () => number, depth: number): string {
  const r = random();
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  if (depth > 3 || r < 0.5) return pick(SCALARS);
  if (r < 0.75) {
    const n = Math.floor(random() * 4);
    return `[${Array.from({ length: n }, () => randomValue(random, depth + 1)).join(',')}]`;
  }
  return `{${keysFor(random, Math.floor(random() * 5)).map((k) => `${JSON.stringify(k)}: ${randomValue(random, depth + 1)}`).join(', ')}}`;
}

/** `n` keys, distinct but now and then one repeated in the object (the value tree keeps the last value). */
function keysFor(random: () => number, n: number): string[] {
  const keys = [...KEYS].sort(() => random() - 0.5).slice(0, n);
  if (n > 1 && random() < 0.1) keys[n - 1] = keys[0];
  return keys;
}

function randomRow(random: () => number): string {
  const r = random();
  if (r < 0.8) {
    return `{${keysFor(random, 1 + Math.floor(random() * 4)).map((k) => `${JSON.stringify(k)}:${randomValue(random, 1)}`).join(',')}}`;
  }
  if (r < 0.9) return randomValue(random, 0);
  return random() < 0.8 ? 'null' : '{"a": 1,}';
}

describe('JSON typed as it is read matches parse-then-type', () => {
  it('on hand-picked JSON Lines (and says when it leaves a text to the value tree)', () => {
    const cases: [string, boolean][] = [
      ['{"a":1,"b":"x"}\n{"a":2.5,"c":null}\n', true],
      ['\uFEFF{"a":1}\r\n\r\n{"b":[1,2,{"c":true}]}\r\n', true],
      ['1\n"x"\n[1,2]\nnull\n{"value": 3}\n', true],
      ['{"a":{"b":{"c":{"d":1}}},"e":[[1],[2.0]]}', true],
      ['{"a":[],"b":{},"c":[{}]}\n{"a":[null],"b":{"x":null}}', true],
      ['{"a":1,"a":"x"}\n', false],
      ['{"o":{"k":1,"k":2}}\n', false],
      ['{"a":1}\n{"a":\n', false],
      ['{"a":1} x\n', false],
      [`${'['.repeat(600)}${']'.repeat(600)}\n`, false],
    ];
    for (const [text, typedExpected] of cases) {
      const typed = typeJsonLines(text, false, 1000);
      expect({ text, typed: typed !== undefined }).toEqual({ text, typed: typedExpected });
      for (const c of compare(typed, () => oracleLines(text, false, 1000)) ?? []) expect(c.got).toEqual(c.want);
    }
  });

  it('on hand-picked .json documents', () => {
    const cases: [string, boolean][] = [
      ['[{"a":1},{"a":"2024-01-01","b":[1.5]}]', true],
      ['\uFEFF [ {"a":1} , 2 , null , [3] ]\n', true],
      ['[]', true],
      ['[] trailing', true],
      ['[{"a":1}] trailing', false],
      ['[{"a":1},]', false],
      ['{"a":1}', false],
      ['{"$schema":"x","properties":{}}', false],
      ['{"a":1}\n{"a":2}', false],
      ['', false],
    ];
    for (const [text, typedExpected] of cases) {
      const typed = typeJsonArray(text, false, 1000);
      expect({ text, typed: typed !== undefined }).toEqual({ text, typed: typedExpected });
      for (const c of compare(typed, () => (parseJsonDocument(text, false, 1000) as { rows: JsonValue[] }).rows) ?? []) expect(c.got).toEqual(c.want);
    }
  });

  it('on 3,000 random JSON Lines texts and .json arrays (row caps, cut texts)', () => {
    const random = seeded(5);
    let typedCount = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 3000 && mismatches.length < 5; i++) {
      const rows = Array.from({ length: Math.floor(random() * 12) }, () => randomRow(random));
      const maxRows = random() < 0.3 ? Math.floor(random() * 5) : 1000;
      const cut = random() < 0.2;
      const lines = rows.join(random() < 0.2 ? '\r\n' : '\n');
      const linesText = cut ? lines.slice(0, Math.floor(random() * lines.length)) : lines;
      const typedLines = typeJsonLines(linesText, cut, maxRows);
      const array = `[${rows.join(',\n')}]`;
      const typedArray = typeJsonArray(array, false, maxRows);
      typedCount += (typedLines ? 1 : 0) + (typedArray ? 1 : 0);
      const checks = [
        ...(compare(typedLines, () => oracleLines(linesText, cut, maxRows)) ?? []),
        ...(compare(typedArray, () => (parseJsonDocument(array, false, maxRows) as { rows: JsonValue[] }).rows) ?? []),
      ];
      for (const c of checks) if (JSON.stringify(c.got) !== JSON.stringify(c.want)) mismatches.push(JSON.stringify({ linesText, array, cut, maxRows }));
    }
    expect(mismatches).toEqual([]);
    // Most texts take the typing path (the rest hold repeated keys or invalid rows).
    expect(typedCount).toBeGreaterThan(3000);
  });
});
