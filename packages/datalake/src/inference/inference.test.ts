import { parse as csvParse } from 'csv-parse/sync';
import { parseDelimited, inferDelimited, headerNames } from '../formats/delimited/infer';
import { inferJsonLines, inferJsonText } from '../formats/json/infer';
import { JsonFloat, parseJsonDocument, parseJsonValue } from './json-parse';
import { joinScalar, temporalType, textCellType } from './scalars';
import { CutReport, columnName } from './tree';

const limits = {};
const typesOf = (cols: { name: string; dataType: string }[]) => Object.fromEntries(cols.map((c) => [c.name, c.dataType]));

describe('scalar typing', () => {
  it('types cells along null < BOOLEAN < INT < FLOAT < STRING', () => {
    expect(textCellType('42')).toBe('INT');
    expect(textCellType('-7')).toBe('INT');
    expect(textCellType('1.5')).toBe('FLOAT');
    expect(textCellType('1e10')).toBe('FLOAT');
    expect(textCellType('NaN')).toBe('FLOAT');
    expect(textCellType('true')).toBe('BOOLEAN');
    expect(textCellType('FALSE')).toBe('BOOLEAN');
    expect(textCellType('hello')).toBe('STRING');
    expect(textCellType('007')).toBe('STRING');
    expect(textCellType('99999999999999999999')).toBe('FLOAT');
    expect(joinScalar('INT', 'FLOAT')).toBe('FLOAT');
    expect(joinScalar('FLOAT', 'INT')).toBe('FLOAT');
    expect(joinScalar('BOOLEAN', 'INT')).toBe('INT');
    expect(joinScalar('INT', 'STRING')).toBe('STRING');
    expect(joinScalar(undefined, 'INT')).toBe('INT');
  });

  it('detects ISO-8601 dates, times, datetimes and timestamps', () => {
    expect(temporalType('2024-01-15')).toBe('DATE');
    expect(temporalType('2024-02-30')).toBeUndefined();
    expect(temporalType('12:30:45')).toBe('TIME');
    expect(temporalType('12:30')).toBeUndefined();
    expect(temporalType('2024-01-15T12:30:45')).toBe('DATETIME');
    expect(temporalType('2024-01-15 12:30:45.123')).toBe('DATETIME');
    expect(temporalType('2024-01-15T12:30:45Z')).toBe('TIMESTAMP');
    expect(temporalType('2024-01-15T12:30:45.5+02:00')).toBe('TIMESTAMP');
    expect(joinScalar('DATE', 'DATETIME')).toBe('DATETIME');
    expect(joinScalar('DATETIME', 'TIMESTAMP')).toBe('TIMESTAMP');
    expect(joinScalar('DATE', 'TIME')).toBe('STRING');
    // OpenMetadata types "2024" in a date column INT; a column mixing years and dates is text.
    expect(joinScalar('DATE', textCellType('2024'))).toBe('STRING');
  });
});

describe('CSV parsing (csv-parse relaxed as the oracle)', () => {
  const oracle = (text: string, delimiter = ',') =>
    (csvParse(text, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, delimiter }) as string[][]);
  const cases: Record<string, string> = {
    simple: 'a,b,c\n1,2,3\n4,5,6\n',
    quotedNewlines: 'id,text\n1,"line one\nline two"\n2,"with ""quotes"" and , comma"\n',
    crlf: 'a,b\r\n1,2\r\n3,4\r\n',
    crlfInQuotes: 'a,b\r\n1,"x\r\ny"\r\n',
    bom: '\uFEFFid,name\n1,x\n',
    noTrailingNewline: 'a,b\n1,2',
    ragged: 'a,b,c\n1,2\n1,2,3,4\n',
    blankLines: 'a,b\n1,2\n\n3,4\n\n',
    bareQuote: 'a,b\n5" screen,x\n',
    emptyFields: 'a,b,c\n,,\n1,,3\n',
    unicode: 'nom,ville\nÉlodie,Zürich\n李,北京\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`matches csv-parse: ${name}`, () => {
      expect(parseDelimited(text, ',', false)).toEqual(oracle(text));
    });
  }

  it('matches csv-parse on TSV', () => {
    const text = 'a\tb\n1\t"x\ty"\n';
    expect(parseDelimited(text, '\t', false)).toEqual(oracle(text, '\t'));
  });

  it('drops the incomplete last record of a cut sample, even inside quotes', () => {
    expect(parseDelimited('a,b\n1,2\n3,4', ',', true)).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseDelimited('a,b\n1,2\n3,"open\nquote', ',', true)).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('reads CR-only line breaks, in a whole text and in a cut sample', () => {
    const text = 'a,b\r1,2\r3,"x\ry"\r';
    expect(parseDelimited(text, ',', false)).toEqual(oracle(text));
    // A CR at the cut may be half of a CRLF: that record is left out.
    expect(parseDelimited('a,b\r1,2\r3,4\r', ',', true)).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseDelimited('a,b\r1,2\r3,4\r5', ',', true)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });

  it('names blank and repeated headers like pandas', () => {
    expect(headerNames(['a', '', 'a', 'b', 'a'])).toEqual(['a', 'Unnamed: 1', 'a.1', 'b', 'a.2']);
  });
});

describe('CSV inference', () => {
  it('keeps INT for int columns with blanks and types mixed ints/floats FLOAT', () => {
    const text = 'id,score,ratio,flag,when,note,zip\n1,10,1,true,2024-01-01,x,02134\n2,,2.5,false,2024-01-02,,10001\n3,30,3,TRUE,,y,\n';
    const res = inferDelimited(text, ',', false, 1000, limits, new CutReport());
    expect(typesOf(res.columns)).toEqual({ id: 'INT', score: 'INT', ratio: 'FLOAT', flag: 'BOOLEAN', when: 'DATE', note: 'STRING', zip: 'STRING' });
    expect(res.rows).toBe(3);
    expect(res.columns[0]).toEqual({ name: 'id', dataType: 'INT', dataTypeDisplay: 'INT' });
  });

  it('types columns with no values STRING (header-only)', () => {
    const res = inferDelimited('a,b\n', ',', false, 1000, limits, new CutReport());
    expect(typesOf(res.columns)).toEqual({ a: 'STRING', b: 'STRING' });
    expect(res.rows).toBe(0);
  });

  it('truncates names over 256 characters, keeping the full name as displayName', () => {
    const long = 'x'.repeat(300);
    const res = inferDelimited(`${long},b\n1,2\n`, ',', false, 1000, limits, new CutReport());
    expect(res.columns[0].name).toBe('x'.repeat(256));
    expect(res.columns[0].displayName).toBe(long);
    expect(columnName('a::b"c>d')).toEqual({ name: 'a__reserved__colon__b__reserved__quote__c__reserved__arrow__d', displayName: 'a::b"c>d' });
  });
});

describe('JSON parsing', () => {
  it('keeps written floats, key order and big integers', () => {
    const v = parseJsonValue('{"b":1.0,"2":2,"a":12345678901234567890,"__proto__":{"x":1}}') as Map<string, unknown>;
    expect([...v.keys()]).toEqual(['b', '2', 'a', '__proto__']);
    expect(v.get('b')).toBeInstanceOf(JsonFloat);
    expect(v.get('2')).toBe(2);
    expect(v.get('a')).toBeInstanceOf(JsonFloat);
  });

  it('parses a cut document partially', () => {
    const doc = parseJsonDocument('[{"a":1},{"a":2},{"a":3,"b":"x', true, 100);
    expect(doc.kind).toBe('array');
    expect(doc.kind === 'array' && doc.rows.length).toBe(3);
    const obj = parseJsonDocument('{"a":1,"b":[1,2,3],"c":{"d":"long str', true, 100);
    expect(obj.kind).toBe('object');
    expect(obj.kind === 'object' && [...obj.value.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('reports syntax errors with a position', () => {
    expect(() => parseJsonValue('{"a": tru}')).toThrow(/line 1, column/);
    expect(() => parseJsonDocument('[1,2', false, 100)).toThrow(/unexpected end/);
  });
});

describe('JSON inference', () => {
  it('merges nested objects across rows in first-seen order', () => {
    const text = JSON.stringify([
      { id: 1, user: { name: 'a', address: { city: 'x' } }, tags: ['a', 'b'], meta: {} },
      { id: 2, user: { age: 3, name: 'b', address: { zip: 1 } }, tags: [], items: [{ sku: 'x', qty: 1 }, { sku: 'y', price: 2.5 }] },
    ]);
    const res = inferJsonText(text, false, 1000, limits, new CutReport());
    const cols = res.columns;
    expect(cols.map((c) => c.name)).toEqual(['id', 'user', 'tags', 'meta', 'items']);
    const user = cols[1];
    expect(user.dataType).toBe('JSON');
    expect(user.children!.map((c) => c.name)).toEqual(['name', 'address', 'age']);
    expect(user.children![1].children!.map((c) => [c.name, c.dataType])).toEqual([['city', 'STRING'], ['zip', 'INT']]);
    expect(cols[2]).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRING', dataTypeDisplay: 'ARRAY<STRING>' });
    expect(cols[3]).toEqual({ name: 'meta', dataType: 'JSON', dataTypeDisplay: 'JSON' });
    expect(cols[4]).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRUCT' });
    expect(cols[4].children!.map((c) => [c.name, c.dataType])).toEqual([['sku', 'STRING'], ['qty', 'INT'], ['price', 'FLOAT']]);
  });

  it('types written floats FLOAT and ints mixed with floats FLOAT (not INT as pandas+literal_eval does)', () => {
    const res = inferJsonLines('{"a":1.0,"b":1}\n{"a":2.0,"b":2.5}\n{"a":null}\n', false, 1000, limits, new CutReport());
    expect(typesOf(res.columns)).toEqual({ a: 'FLOAT', b: 'FLOAT' });
  });

  it('reads a $schema document as a JSON Schema', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Person',
      description: 'A person',
      type: 'object',
      definitions: { addr: { type: 'object', properties: { city: { type: 'string' } } } },
      properties: {
        name: { type: 'string', description: 'full name' },
        age: { type: 'integer' },
        height: { type: ['number', 'null'] },
        address: { $ref: '#/definitions/addr' },
        tags: { type: 'array', items: { type: 'string' } },
      },
    };
    const res = inferJsonText(JSON.stringify(schema), false, 1000, limits, new CutReport());
    expect(res.mode).toBe('jsonSchema');
    expect(res.columns).toEqual([
      {
        name: 'Person',
        dataType: 'RECORD',
        description: 'A person',
        children: [
          { name: 'name', dataType: 'STRING', description: 'full name' },
          { name: 'age', dataType: 'INT' },
          { name: 'height', dataType: 'FLOAT' },
          { name: 'address', dataType: 'RECORD', children: [{ name: 'city', dataType: 'STRING' }] },
          { name: 'tags', dataType: 'ARRAY', arrayDataType: 'STRING' },
        ],
      },
    ]);
  });

  it('caps depth and children with one report naming the cut columns', () => {
    const row = { a: { b: { c: { d: 1 } } }, w: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i])) };
    const cuts = new CutReport();
    const res = inferJsonText(JSON.stringify(row), false, 1000, { maxDepth: 2, maxChildren: 3 }, cuts);
    const a = res.columns.find((c) => c.name === 'a')!;
    expect(a.children![0].name).toBe('b');
    expect(a.children![0].children).toBeUndefined();
    const w = res.columns.find((c) => c.name === 'w')!;
    expect(w.children!.map((c) => c.name)).toEqual(['k0', 'k1', 'k2']);
    expect(cuts.message()).toMatch(/a\.b/);
    expect(cuts.message()).toMatch(/w \(7 of 10 children\)/);
  });
});
