/**
 * The character-code typing in scalars.ts against the regular-expression rules it replaced (kept
 * here as the oracle): the same type for every text, on hand-picked edge cases and on random texts
 * drawn from the characters the rules look at.
 */
import { isNullToken, temporalType, textCellType, type ScalarType } from './scalars';
import { seededRandom as seeded } from '../formats/sampling';

const oracle = (() => {
  const NULL_TOKENS = new Set(['', 'null', 'NULL', 'Null', 'None', 'NA', 'N/A', 'n/a', '#N/A', '<NA>', 'nil']);
  const INT_RE = /^[+-]?(0|[1-9][0-9]*)$/;
  const FLOAT_RE = /^[+-]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  const SPECIAL_FLOAT_RE = /^[+-]?(?:nan|inf|infinity)$/i;
  const BOOL_RE = /^(?:true|false)$/i;
  const DATE = '(\\d{4})-(\\d{2})-(\\d{2})';
  const TIME = '(\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,]\\d{1,9})?)?';
  const ZONE = '(?:Z|z|[+-]\\d{2}(?::?\\d{2})?)';
  const DATE_RE = new RegExp(`^${DATE}$`);
  const TIME_RE = new RegExp(`^${TIME}$`);
  const DATETIME_RE = new RegExp(`^${DATE}[T ]${TIME}$`);
  const TIMESTAMP_RE = new RegExp(`^${DATE}[T ]${TIME} ?${ZONE}$`);
  const validDate = (y: string, m: string, d: string) => {
    const month = Number(m);
    const day = Number(d);
    if (month < 1 || month > 12 || day < 1) return false;
    const days = [31, Number(y) % 4 === 0 && (Number(y) % 100 !== 0 || Number(y) % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return day <= days[month - 1];
  };
  const validTime = (h: string, mi: string, s: string | undefined) => Number(h) <= 23 && Number(mi) <= 59 && (s === undefined || Number(s) <= 60);
  const temporal = (text: string): ScalarType | undefined => {
    const t = text.length > 40 ? '' : text;
    if (t.length < 5) return undefined;
    let m = DATE_RE.exec(t);
    if (m) return validDate(m[1], m[2], m[3]) ? 'DATE' : undefined;
    m = TIME_RE.exec(t);
    if (m) return m[3] !== undefined && validTime(m[1], m[2], m[3]) ? 'TIME' : undefined;
    m = DATETIME_RE.exec(t);
    if (m) return validDate(m[1], m[2], m[3]) && validTime(m[4], m[5], m[6]) ? 'DATETIME' : undefined;
    m = TIMESTAMP_RE.exec(t);
    if (m) return validDate(m[1], m[2], m[3]) && validTime(m[4], m[5], m[6]) ? 'TIMESTAMP' : undefined;
    return undefined;
  };
  const cell = (raw: string): ScalarType => {
    const text = raw.trim();
    if (INT_RE.test(text)) {
      if (text.length < 19) return 'INT';
      const big = BigInt(text);
      return big <= 9223372036854775807n && big >= -9223372036854775808n ? 'INT' : 'FLOAT';
    }
    if (FLOAT_RE.test(text) || SPECIAL_FLOAT_RE.test(text)) return /^[+-]?0\d/.test(text) ? 'STRING' : 'FLOAT';
    if (BOOL_RE.test(text)) return 'BOOLEAN';
    return temporal(text) ?? 'STRING';
  };
  return { isNull: (text: string) => NULL_TOKENS.has(text.trim()), temporal, cell };
})();

const EDGE_CASES = [
  '', ' ', '\t', '\u00a0', '\uFEFF', 'null', ' null ', 'NULL', 'None', 'NA', 'N/A', 'n/a', '#N/A', '<NA>', 'nil', 'nill', ' NA\t', '\u00a0None\u00a0',
  '0', '-0', '+0', '00', '007', '-007', '+', '-', '.', '..', '1', '12', '-12', '+12', '123456789012345678', '1234567890123456789', '9223372036854775807',
  '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '+9223372036854775807', '99999999999999999999', '1.', '1.5', '-1.5', '.5', '-.5',
  '0.5', '00.5', '01.5', '0e5', '0e', '1e10', '1E-3', '1e+', '1.5e3', '.e1', 'NaN', 'nan', '-nan', '+Inf', 'inf', 'Infinity', '-infinity', 'infinit',
  'true', 'TRUE', 'True', 'false', 'False', 'truee', 't', 'f', 'yes', 'no', ' 42 ', '\t1.5\n', ' true',
  '2024-01-15', '2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '0000-02-29', '2024-02-30', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00',
  '2024-1-15', '20240115', '2024/01/15', ' 2024-01-15', '2024-01-15 ', '12:30', '12:30:45', '23:59:60', '24:00:00', '12:60:00', '12:30:61', '12:30:45.1',
  '12:30:45,123456789', '12:30:45.1234567890', '12:30:45.', '1:30:45', '12:3:45', '2024-01-15T12:30', '2024-01-15T12:30:45', '2024-01-15 12:30:45.123',
  '2024-01-15t12:30:45', '2024-01-15T12:30:45Z', '2024-01-15T12:30:45z', '2024-01-15T12:30:45 Z', '2024-01-15T12:30:45  Z', '2024-01-15T12:30:45+02',
  '2024-01-15T12:30:45+0200', '2024-01-15T12:30:45+02:00', '2024-01-15T12:30:45-02:0', '2024-01-15T12:30:45+02:', '2024-01-15T12:30:45+2',
  '2024-01-15T12:30+05:30', '2024-01-15T12:30:45.5+02:00', '2024-01-15T12:30:45.1234567890Z', '2024-01-15T25:30:45Z', '2024-02-30T12:30:45Z',
  '2024-01-15T12:30:45ZZ', '2024-01-15T12:30:45Z ', '2024-01-15T12:30:45+02:00:00', '2024-01-15T12:30:45.123456789+02:00',
  `2024-01-15T12:30:45.123456789+02:00${'0'.repeat(6)}`, '2024-01-15T12:30:45.123456789 +02:00', '１２:30:45', '2024-01-15T12:30:45.123456789 +02:00xxxx',
  'name 1', 'c3', 'x', '3d5f0a1b2c3d4e5f60718293a4b5c6d7', '12 monkeys', '1,000', '1_000', '0x1F', '١٢٣',
];

const ALPHABET = '0123456789+-.:eEtTzZ ,xnaifru\t';
function randomText(random: () => number): string {
  const r = random();
  // Mostly texts shaped like the forms, with one character changed now and then.
  if (r < 0.5) {
    const shapes = ['2024-01-15', '2024-02-29T23:59:60.123', '2024-02-29 23:59:60.123+05:30', '12:30:45,5', '-12.5e+3', '9223372036854775807', 'true', '-Infinity'];
    const chars = [...shapes[Math.floor(random() * shapes.length)]];
    const edits = Math.floor(random() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * (chars.length + 1));
      const c = ALPHABET[Math.floor(random() * ALPHABET.length)];
      const op = random();
      if (op < 0.4) chars[at] = c;
      else if (op < 0.7) chars.splice(at, 0, c);
      else chars.splice(at, 1);
    }
    return chars.join('');
  }
  const length = Math.floor(random() * 30);
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return s;
}

describe('scalar typing by character codes matches the regular-expression rules', () => {
  it.each(EDGE_CASES.map((t) => [JSON.stringify(t), t]))('%s', (_label, text) => {
    expect(isNullToken(text)).toBe(oracle.isNull(text));
    expect(temporalType(text)).toBe(oracle.temporal(text));
    if (!oracle.isNull(text)) expect(textCellType(text)).toBe(oracle.cell(text));
  });

  it('on 200,000 random texts', () => {
    const random = seeded(7);
    const mismatches: string[] = [];
    const seen = new Map<string, number>();
    for (let i = 0; i < 200_000 && mismatches.length < 10; i++) {
      const text = randomText(random);
      const type = oracle.isNull(text) ? 'null' : oracle.cell(text);
      seen.set(type, (seen.get(type) ?? 0) + 1);
      const same =
        isNullToken(text) === oracle.isNull(text) &&
        temporalType(text) === oracle.temporal(text) &&
        (oracle.isNull(text) || textCellType(text) === oracle.cell(text));
      if (!same) mismatches.push(JSON.stringify(text));
    }
    expect(mismatches).toEqual([]);
    // The texts reach every type, not only STRING.
    for (const type of ['null', 'BOOLEAN', 'INT', 'FLOAT', 'STRING', 'DATE', 'TIME', 'DATETIME', 'TIMESTAMP']) expect(seen.get(type) ?? 0).toBeGreaterThan(100);
  });
});
