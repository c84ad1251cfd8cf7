/** Text cells read from bytes (`addTextCells`) give exactly what their strings give (`addColumn`). */
import type { DataType } from '@om/core';
import { hashAsciiBytes, hashString, lastHash } from '../sketches/hash';
import { seededRandom } from '../testing/tables';
import { ColumnAccumulator, DEFAULT_LIMITS, type AccumulatorLimits } from './column';
import { dateTimeFromAscii, numberFromAscii, parseDateTime, parseNumber } from './types';

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** `cells` (null: a missing cell) as one UTF-8 buffer with offsets, as the CSV part decoder gives them. */
function encode(cells: (string | null)[]): { bytes: Uint8Array; starts: Int32Array; ends: Int32Array } {
  const parts: Buffer[] = [];
  const starts = new Int32Array(cells.length);
  const ends = new Int32Array(cells.length);
  let at = 3; // cells need not start at 0
  parts.push(Buffer.from('xx,'));
  cells.forEach((c, i) => {
    if (c === null) {
      starts[i] = -1;
      return;
    }
    const b = Buffer.from(c, 'utf8');
    starts[i] = at;
    ends[i] = at + b.length;
    parts.push(b, Buffer.from(','));
    at += b.length + 1;
  });
  return { bytes: new Uint8Array(Buffer.concat(parts)), starts, ends };
}

const NUMBER_TEXTS = [
  '0', '-0', '+7', '12', '-3.5', '.5', '-.25', '1.', '1e5', '1E+05', '2.5e-3', '1e-30', '1e30', '00012', '0.1', '0.30000000000000004',
  '641.7081475865585', '379.48169905927153', '9007199254740991', '9007199254740993', '123456789012345678901234', '1_000', '0x1F',
  '1e', '-', '', ' 5', '5 ', 'NaN', 'inf', '-Infinity', '12abc', '1.2.3', '٣', '1e99999', '4.9e-324', '1.7976931348623157e308',
];

describe('numbers and dates from ASCII bytes', () => {
  it('are the doubles the string parsers give, or NaN (left to them)', () => {
    const r = seededRandom(7);
    const texts = [...NUMBER_TEXTS];
    for (let i = 0; i < 5_000; i++) {
      const digits = Math.floor(r() * 19) + 1;
      let s = r() < 0.3 ? '-' : '';
      for (let d = 0; d < digits; d++) s += Math.floor(r() * 10);
      if (r() < 0.7) s = `${s.slice(0, Math.max(1, Math.floor(r() * s.length)))}.${s.slice(Math.max(1, Math.floor(r() * s.length)))}`;
      if (r() < 0.2) s += `e${Math.floor(r() * 40) - 20}`;
      texts.push(s, String(r() * 10 ** Math.floor(r() * 12)));
    }
    let fast = 0;
    for (const s of texts) {
      const x = numberFromAscii(ascii(s), 0, s.length);
      if (Number.isNaN(x)) continue;
      fast++;
      expect([s, x]).toEqual([s, parseNumber(s)]);
      expect(Object.is(x, parseNumber(s))).toBe(true);
    }
    expect(fast).toBeGreaterThan(texts.length / 2);
  });

  it('read 16 to 19 significant digits as Number does (the shortest text of most doubles)', () => {
    const r = seededRandom(11);
    const texts = [
      '379.48169905927153', '-379.48169905927153', '+0.30000000000000004', '9007199254740993', '9007199254740992', '18014398509481985',
      '1234567890123456789', '9999999999999999999', '12345678901234567890', '0.000012345678901234567', '00000000000000000001234.5678901234567',
      '1234567890123456.7e-3', '1234567890123456.7e1', '123456789012345678e-22', '123456789012345678e-23', '4503599627370497.5', '4503599627370496.5',
      '9007199254740993.0', '36028797018963971', '.12345678901234567', '12345678901234567.', '1.2345678901234567e+2',
    ];
    for (let i = 0; i < 20_000; i++) {
      const x = r() * 10 ** (Math.floor(r() * 16) - 4);
      texts.push(String(x), String(-x));
      let digits = '';
      for (let d = 16 + Math.floor(r() * 4); d > 0; d--) digits += Math.floor(r() * 10);
      const dot = Math.floor(r() * digits.length);
      texts.push(`${digits.slice(0, dot)}.${digits.slice(dot)}`);
      // Halfway between two doubles in the last printed digit.
      const y = 1 + r() * 1000;
      texts.push(`${y.toPrecision(16)}5`);
    }
    let long = 0;
    for (const s of texts) {
      const x = numberFromAscii(ascii(s), 0, s.length);
      if (Number.isNaN(x)) continue;
      if (s.replace(/[^0-9]/g, '').replace(/^0+/, '').length > 15) long++;
      if (!Object.is(x, parseNumber(s))) expect([s, x]).toEqual([s, parseNumber(s)]);
    }
    expect(long).toBeGreaterThan(texts.length / 2);
  });

  it('read the common date shapes as fastDateTime does', () => {
    for (const s of ['2024-01-01', '2024-02-29', '2023-02-29', '2024-01-01 00:00:00', '2024-12-31T23:59:59', '2024-12-31t23:59:59', '2024-13-01', '2024-01-01 24:00:00', '2024-1-01', '2024-01-01Z', '12024-01-01']) {
      const x = dateTimeFromAscii(ascii(s), 0, s.length);
      const y = parseDateTime(s);
      if (Number.isNaN(x)) continue;
      expect([s, x]).toEqual([s, y]);
    }
    expect(dateTimeFromAscii(ascii('2024-01-01 10:20:30'), 0, 19)).toBe(Date.UTC(2024, 0, 1, 10, 20, 30));
  });

  it('give Date.UTC of every year, month and day (years 0-99 as Date.UTC reads them)', () => {
    const r = seededRandom(5);
    for (let i = 0; i < 20_000; i++) {
      const y = i < 200 ? i : Math.floor(r() * 10_000);
      const month = 1 + Math.floor(r() * 12);
      const day = 1 + Math.floor(r() * 31);
      const s = `${String(y).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} 23:59:58`;
      const x = dateTimeFromAscii(ascii(s), 0, s.length);
      expect([s, x]).toEqual([s, parseDateTime(s) ?? NaN]);
      if (y >= 100 && !Number.isNaN(x)) expect(x).toBe(Date.UTC(y, month - 1, day, 23, 59, 58));
      expect(Object.is(dateTimeFromAscii(ascii(s), 0, 10), parseDateTime(s.slice(0, 10)) ?? NaN)).toBe(true);
    }
  });

  it('hash ASCII bytes as their string, and refuse other bytes', () => {
    for (const s of ['', 'a', 'cat0', 'cfcd208495d565ef66e7dff9f98764da', 'x'.repeat(100)]) {
      hashString(s);
      const expected = { ...lastHash };
      expect(hashAsciiBytes(ascii(`,${s},`), 1, s.length + 1)).toBe(true);
      expect(lastHash).toEqual(expected);
    }
    expect(hashAsciiBytes(new Uint8Array(Buffer.from('naïve')), 0, 6)).toBe(false);
  });
});

describe('addTextCells', () => {
  const small: AccumulatorLimits = { ...DEFAULT_LIMITS, exactDistinctLimit: 50, exactQuantileLimit: 200 };
  const kinds: [DataType, (r: () => number, i: number) => string][] = [
    ['DOUBLE', (r) => (r() < 0.5 ? String(Math.round(r() * 1e6) / 100) : String(r() * 1000))],
    ['INT', (r) => String(Math.floor(r() * 500) - 250)],
    ['TIMESTAMP', (r, i) => (r() < 0.8 ? new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().slice(0, 19).replace('T', ' ') : '2024-01-01T10:00:00Z')],
    ['STRING', (r) => ['cat0', 'cat1', 'naïve', '日本', 'a rather long value past thirteen chars', '#N/A', 'Nothing', ' '][Math.floor(r() * 8)] + (r() < 0.5 ? String(Math.floor(r() * 80)) : '')],
    ['BOOLEAN', (r) => ['true', 'false', 'yes', '0', 'maybe'][Math.floor(r() * 5)]],
    ['TIME', (r) => `${Math.floor(r() * 24)}:${String(Math.floor(r() * 60)).padStart(2, '0')}`],
  ];
  for (const [dataType, gen] of kinds) {
    for (const csvNulls of [true, false]) {
      it(`keeps the state addColumn keeps: ${dataType}${csvNulls ? ' (CSV nulls)' : ''}`, () => {
        const r = seededRandom(dataType.length * 31 + (csvNulls ? 1 : 0));
        const specials = ['', 'NA', 'null', 'NaN', ' ', 'n/a', '-1.#IND', 'x1', '1e', '12abc'];
        const cells: (string | null)[] = Array.from({ length: 3000 }, (_, i) => {
          const x = r();
          if (x < 0.03) return null;
          if (x < 0.1) return specials[Math.floor(r() * specials.length)];
          return gen(r, i);
        });
        for (const limits of [DEFAULT_LIMITS, small]) {
          const options = { trackDistinct: true, trackQuantiles: true, csvNulls, limits };
          const column = { name: 'c', dataType };
          const viaStrings = new ColumnAccumulator(column, options);
          const viaBytes = new ColumnAccumulator(column, options);
          for (let at = 0; at < cells.length; at += 1000) {
            const batch = cells.slice(at, at + 1000);
            viaStrings.addColumn(batch, batch.length);
            const { bytes, starts, ends } = encode(batch);
            viaBytes.addTextCells(bytes, starts, ends, batch.length);
          }
          expect(viaBytes.state()).toEqual(viaStrings.state());
          expect(viaBytes.stats()).toEqual(viaStrings.stats());
        }
      });
    }
  }
});
