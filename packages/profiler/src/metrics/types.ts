/**
 * Column kinds and value coercion. Rows arrive as plain objects whose values may be typed
 * (Parquet, JSON) or strings (CSV); every value is coerced by its column's `dataType`.
 */
import type { DataType, FileFormat } from '@om/core';

export type ColumnKind = 'numeric' | 'string' | 'datetime' | 'time' | 'boolean' | 'nested' | 'opaque';

const NUMERIC = new Set<string>([
  'NUMBER', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'BYTEINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'NUMERIC',
  'LONG', 'LARGEINT', 'UINT', 'YEAR', 'MONEY',
]);
const DATETIME = new Set<string>(['DATE', 'DATETIME', 'TIMESTAMP', 'TIMESTAMPZ']);
const NESTED = new Set<string>(['JSON', 'STRUCT', 'ARRAY', 'MAP', 'RECORD', 'UNION', 'SET', 'VARIANT', 'SUPER', 'TUPLE']);
const OPAQUE = new Set<string>([
  'BINARY', 'VARBINARY', 'BLOB', 'LONGBLOB', 'MEDIUMBLOB', 'BYTEA', 'BYTES', 'IMAGE', 'GEOGRAPHY', 'GEOMETRY',
  'POINT', 'POLYGON', 'SPATIAL', 'HLL', 'HLLSKETCH', 'BITMAP', 'QUANTILE_STATE', 'AGG_STATE', 'AGGREGATEFUNCTION',
  'TABLE', 'NULL', 'ERROR',
]);

export function columnKind(dataType: DataType | string): ColumnKind {
  const t = String(dataType).toUpperCase();
  if (NUMERIC.has(t)) return 'numeric';
  if (DATETIME.has(t)) return 'datetime';
  if (t === 'TIME') return 'time';
  if (t === 'BOOLEAN') return 'boolean';
  if (NESTED.has(t)) return 'nested';
  if (OPAQUE.has(t)) return 'opaque';
  return 'string';
}

/** A value that is null (missing). */
export const NULL: unique symbol = Symbol('null');
/** A non-null value that cannot be read as the column's type. */
export const INVALID: unique symbol = Symbol('invalid');
export type Coerced = number | string | boolean | typeof NULL | typeof INVALID;

/**
 * Strings pandas' `read_csv` reads as NaN by default. For CSV/TSV files (and files of unknown
 * format) these count as nulls in every column, as they do for OpenMetadata.
 */
export const CSV_NULL_STRINGS: ReadonlySet<string> = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA',
  'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
]);

export function usesCsvNulls(format: FileFormat | undefined): boolean {
  return format === 'csv' || format === 'csv.gz' || format === 'tsv';
}

const NUMBER_RE = /^[+-]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;

/** Fast path for plain decimal text (`12`, `-3.5`, `1e-3`): digit or sign first, digit last, no 0x/0b/0o. */
function plainNumber(s: string): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  if (last < 48 || last > 57) return undefined;
  if (!((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46)) return undefined;
  if (n > 1) {
    const second = s.charCodeAt(1) | 0x20; // lower case
    if (second === 120 || second === 98 || second === 111) return undefined; // 0x 0b 0o
  }
  const v = Number(s);
  return Number.isNaN(v) ? undefined : v;
}

export function parseNumber(s: string): number | undefined {
  // `_` separators (Python literals) and whitespace go through the full pattern below.
  if (s.indexOf('_') < 0) {
    const fast = plainNumber(s);
    if (fast !== undefined) return fast;
  }
  const t = s.trim();
  if (NUMBER_RE.test(t)) {
    const n = Number(t.includes('_') ? t.replace(/_/g, '') : t);
    return Number.isNaN(n) ? undefined : n;
  }
  const lower = t.toLowerCase();
  if (lower === 'inf' || lower === 'infinity' || lower === '+inf' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return undefined;
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};

/**
 * The common shapes `YYYY-MM-DD` and `YYYY-MM-DD( |T)HH:MM:SS` without a zone, read from the
 * character codes (no regex); undefined for anything else, which `parseDateTime` then reads with
 * the full pattern. Same result as the pattern on what it accepts.
 */
function fastDateTime(s: string): number | undefined {
  const n = s.length;
  if ((n !== 10 && n !== 19) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  let hh = 0;
  let mi = 0;
  let ss = 0;
  if (n === 19) {
    const sep = s.charCodeAt(10);
    if ((sep !== 32 && sep !== 84 && sep !== 116) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
    hh = digit(s, 11) * 10 + digit(s, 12);
    mi = digit(s, 14) * 10 + digit(s, 15);
    ss = digit(s, 17) * 10 + digit(s, 18);
  }
  if (Number.isNaN(y + month + day + hh + mi + ss)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) return undefined;
  if (hh > 23 || mi > 59 || ss > 59) return undefined;
  return Date.UTC(y, month - 1, day, hh, mi, ss, 0);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Powers of ten that are exact doubles (10^0 … 10^22). */
const EXACT_POWERS = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * `parseNumber` of the ASCII text `bytes[start, end)` for the plain decimal shapes it reads with
 * `Number` (`-12`, `3.25`, `.5`, `1e-3`, a digit last), without making a string, stored in
 * out[at]; NaN for anything else (the caller then decodes the text). When the digits are below 2^53
 * and the power of ten is within 10^±22, both are exact doubles and one multiplication or division
 * rounds correctly, giving the same double as `Number` (Clinger's fast path); longer digits (up to
 * 19 significant ones, as the shortest text of a double often has 17) go to `longDecimalTo`. The
 * result is stored, not returned: a double returned from a call that is not inlined is boxed into
 * a heap number, one allocation per fraction.
 */
export function numberFromAsciiTo(bytes: Uint8Array, start: number, end: number, out: Float64Array, at: number): void {
  if (end <= start) {
    out[at] = NaN;
    return;
  }
  let i = start;
  const first = bytes[i];
  const negative = first === 45;
  if (negative || first === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let c = 0;
  for (; i < end; i++) {
    c = bytes[i] - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
    digits++;
  }
  if (i < end && bytes[i] === 46) {
    for (i++; i < end; i++) {
      c = bytes[i] - 48;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
      digits++;
      fraction++;
    }
  }
  if (digits === 0) {
    out[at] = NaN;
    return;
  }
  const digitsEnd = i;
  let exponent = 0;
  if (i < end && (bytes[i] | 0x20) === 101) {
    i++;
    let expNegative = false;
    if (i < end && (bytes[i] === 45 || bytes[i] === 43)) expNegative = bytes[i++] === 45;
    let expDigits = 0;
    for (; i < end; i++) {
      c = bytes[i] - 48;
      if (c < 0 || c > 9 || expDigits === 4) {
        out[at] = NaN;
        return;
      }
      exponent = exponent * 10 + c;
      expDigits++;
    }
    if (expDigits === 0) {
      out[at] = NaN;
      return;
    }
    if (expNegative) exponent = -exponent;
  }
  // A last byte that is not a digit (`1.`) goes the slow way, as plainNumber does.
  if (i !== end || bytes[end - 1] < 48 || bytes[end - 1] > 57) {
    out[at] = NaN;
    return;
  }
  const power = exponent - fraction;
  if (mantissa >= 9007199254740992) {
    longDecimalTo(bytes, negative || first === 43 ? start + 1 : start, digitsEnd, power, negative, out, at);
    return;
  }
  let x: number;
  if (mantissa === 0) x = 0;
  else if (power < 0) {
    if (power < -22) {
      out[at] = NaN;
      return;
    }
    x = mantissa / EXACT_POWERS[-power];
  } else {
    if (power > 22) {
      out[at] = NaN;
      return;
    }
    x = mantissa * EXACT_POWERS[power];
  }
  out[at] = negative ? -x : x;
}

/** One parsed value, for the callers that want it returned. */
const parsed = new Float64Array(1);

/** `numberFromAsciiTo`, returned. */
export function numberFromAscii(bytes: Uint8Array, start: number, end: number): number {
  numberFromAsciiTo(bytes, start, end, parsed, 0);
  return parsed[0];
}

/** 5^q for q ≤ 22, exact doubles (5^22 < 2^53). */
const POWERS_OF_FIVE = (() => {
  const out = new Float64Array(23);
  out[0] = 1;
  for (let q = 1; q < out.length; q++) out[q] = out[q - 1] * 5;
  return out;
})();
/** 2^-q for q ≤ 22. */
const INVERSE_POWERS_OF_TWO = Float64Array.from({ length: 23 }, (_, q) => 1 / (1 << q));
/** Veltkamp's splitter (2^27 + 1): a double into two halves whose products are exact. */
const SPLITTER = 134217729;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** a·b - p exactly, for p = a·b rounded (Dekker's product; no overflow here). */
function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * The decimal w·10^power of digits `bytes[from, to)` (digits and at most one '.') whose integer w
 * is 2^53 or more, rounded as `Number` rounds it, stored in out[at]; NaN (left to `Number`) past
 * 19 significant digits, for a power outside [-22, 0], and near a tie. With D = 5^-power (an exact double), the
 * value is (w / D) · 2^power, so w / D is rounded: a first guess c from doubles is within an ulp
 * or two, and c is the rounded quotient exactly when w - c·D, computed exactly (w as a sum of two
 * doubles, c·D with Dekker's product), lies within half an ulp of c times D; otherwise c moves to
 * its neighbour. Near the half-ulp bound the sign may be lost to rounding, so those go to `Number`.
 */
function longDecimalTo(bytes: Uint8Array, from: number, to: number, power: number, negative: boolean, out: Float64Array, at: number): void {
  if (power > 0 || power < -22) {
    out[at] = NaN;
    return;
  }
  // w = a·10^r + b: a the first 15 significant digits, b the r ≤ 4 after them.
  let a = 0;
  let b = 0;
  let r = 0;
  let significant = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i] - 48;
    if (c < 0 || c > 9 || (significant === 0 && c === 0)) continue;
    if (significant < 15) a = a * 10 + c;
    else {
      b = b * 10 + c;
      r++;
    }
    significant++;
  }
  if (significant > 19) {
    out[at] = NaN;
    return;
  }
  // w = wHi + wLo exactly (all integers; |wLo| ≤ 2^11 as w < 2^64).
  const scale = EXACT_POWERS[r];
  const ph = a * scale;
  const pl = productError(a, scale, ph);
  const wHi = ph + b;
  const wLo = pl + (b - (wHi - ph));
  const q = -power;
  const d = POWERS_OF_FIVE[q];
  let c = wHi / d;
  for (let step = 0; step < 3; step++) {
    bits[0] = c;
    // A power of two has a nearer neighbour below: left to Number (rare).
    if ((words[1] & 0xfffff) === 0 && words[0] === 0) {
      out[at] = NaN;
      return;
    }
    const exp = (words[1] >>> 20) & 0x7ff;
    words[1] = (exp - 52) << 20;
    words[0] = 0;
    const ulp = bits[0];
    const half = ulp * d * 0.5;
    const p = c * d;
    // w - c·d: wHi - p is exact (the two are within a factor of 2), the small parts nearly so.
    const diff = wHi - p + (wLo - productError(c, d, p));
    const margin = half * 9.313225746154785e-10; // 2^-30: far above the rounding of diff
    if (diff > half + margin) c += ulp;
    else if (diff < -half - margin) c -= ulp;
    else if (diff >= half - margin || diff <= margin - half) {
      out[at] = NaN;
      return;
    } else {
      const x = c * INVERSE_POWERS_OF_TWO[q];
      out[at] = negative ? -x : x;
      return;
    }
  }
  out[at] = NaN;
}

/** A byte's digit value, negative when it is not a digit (`d | (9 - d)` < 0), all small integers. */
const digitAt = (bytes: Uint8Array, i: number): number => bytes[i] - 48;
const notDigit = (d: number): number => d | (9 - d);

/** `fastDateTime` of the ASCII text `bytes[start, end)` stored in out[at] (see `numberFromAsciiTo`); NaN where it gives undefined. */
export function dateTimeFromAsciiTo(bytes: Uint8Array, start: number, end: number, out: Float64Array, at: number): void {
  const n = end - start;
  if ((n !== 10 && n !== 19) || bytes[start + 4] !== 45 || bytes[start + 7] !== 45) {
    out[at] = NaN;
    return;
  }
  const y0 = digitAt(bytes, start);
  const y1 = digitAt(bytes, start + 1);
  const y2 = digitAt(bytes, start + 2);
  const y3 = digitAt(bytes, start + 3);
  const m0 = digitAt(bytes, start + 5);
  const m1 = digitAt(bytes, start + 6);
  const d0 = digitAt(bytes, start + 8);
  const d1 = digitAt(bytes, start + 9);
  if ((notDigit(y0) | notDigit(y1) | notDigit(y2) | notDigit(y3) | notDigit(m0) | notDigit(m1) | notDigit(d0) | notDigit(d1)) < 0) {
    out[at] = NaN;
    return;
  }
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  let hh = 0;
  let mi = 0;
  let ss = 0;
  if (n === 19) {
    const sep = bytes[start + 10];
    if ((sep !== 32 && sep !== 84 && sep !== 116) || bytes[start + 13] !== 58 || bytes[start + 16] !== 58) {
      out[at] = NaN;
      return;
    }
    const h0 = digitAt(bytes, start + 11);
    const h1 = digitAt(bytes, start + 12);
    const i0 = digitAt(bytes, start + 14);
    const i1 = digitAt(bytes, start + 15);
    const s0 = digitAt(bytes, start + 17);
    const s1 = digitAt(bytes, start + 18);
    if ((notDigit(h0) | notDigit(h1) | notDigit(i0) | notDigit(i1) | notDigit(s0) | notDigit(s1)) < 0) {
      out[at] = NaN;
      return;
    }
    hh = h0 * 10 + h1;
    mi = i0 * 10 + i1;
    ss = s0 * 10 + s1;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) {
    out[at] = NaN;
    return;
  }
  if (hh > 23 || mi > 59 || ss > 59) {
    out[at] = NaN;
    return;
  }
  // Date.UTC reads years 0-99 as 1900-1999; other years by the arithmetic below (no runtime call).
  if (y < 100) {
    out[at] = Date.UTC(y, month - 1, day, hh, mi, ss, 0);
    return;
  }
  out[at] = daysFromCivil(y, month, day) * 86_400_000 + hh * 3_600_000 + mi * 60_000 + ss * 1000;
}

/** `dateTimeFromAsciiTo`, returned. */
export function dateTimeFromAscii(bytes: Uint8Array, start: number, end: number): number {
  dateTimeFromAsciiTo(bytes, start, end, parsed, 0);
  return parsed[0];
}

/**
 * Days from 1970-01-01 to year-month-day of the proleptic Gregorian calendar, as Date.UTC counts
 * them, for years 1-9999 (Hinnant's days_from_civil; all terms non-negative, so `| 0` floors).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = (y / 400) | 0;
  const yoe = y - era * 400;
  const doy = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
  return era * 146097 + doe - 719468;
}

/** First bytes of pandas' NA strings (and the empty cell): only such cells need the set lookup. */
export const CSV_NULL_FIRST_BYTES: Uint8Array = (() => {
  const out = new Uint8Array(256);
  for (const s of CSV_NULL_STRINGS) if (s.length > 0) out[s.charCodeAt(0)] = 1;
  return out;
})();
/** The longest of pandas' NA strings. */
export const CSV_NULL_MAX_LENGTH = Math.max(...[...CSV_NULL_STRINGS].map((s) => s.length));

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * Parses `YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][Z|±HH[:MM]]` to epoch milliseconds. Without a
 * zone the time is read as UTC (never the machine's local zone, so results do not depend on it).
 */
export function parseDateTime(s: string): number | undefined {
  const fast = fastDateTime(s);
  if (fast !== undefined) return fast;
  const m = ISO_RE.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, hh, mi, ss, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let t = Date.UTC(Number(y), month - 1, day, Number(hh ?? 0), Number(mi ?? 0), Number(ss ?? 0), ms);
  if (new Date(t).getUTCDate() !== day) return undefined; // 2023-02-30
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    t -= sign * offset * 60_000;
  }
  return t;
}

/** Parses `HH:MM[:SS[.fraction]]` to seconds since midnight. */
export function parseTime(s: string): number | undefined {
  const m = TIME_RE.exec(s.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const sec = Number(m[3] ?? 0);
  if (h > 24 || mi > 59 || sec > 60) return undefined;
  return h * 3600 + mi * 60 + sec + (m[4] ? Number(`0.${m[4]}`) : 0);
}

function toText(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? String(raw) : raw.toISOString();
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex');
  try {
    return JSON.stringify(raw, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(raw);
  } catch {
    return String(raw);
  }
}

export type Coercer = (raw: unknown) => Coerced;

/**
 * Whether text is a null: one of pandas' NA strings (CSV/TSV files), or blank when `blankIsNull`
 * (non-string columns). NA strings are at most 8 characters; a blank string is empty or starts
 * with whitespace.
 */
export function isNullText(s: string, csvNulls: boolean, blankIsNull: boolean): boolean {
  return (csvNulls && s.length <= 8 && CSV_NULL_STRINGS.has(s)) || (blankIsNull && (s.length === 0 || s.charCodeAt(0) <= 32 || s.charCodeAt(0) >= 0x80) && s.trim() === '');
}

/**
 * Builds the coercer of a column kind. Null: `null`, `undefined`, NaN, and (CSV) pandas' NA
 * strings; for non-string kinds also blank strings. A non-null value that cannot be read as the
 * kind is INVALID.
 */
export function makeCoercer(kind: ColumnKind, csvNulls: boolean): Coercer {
  const isNullString = (s: string, blankIsNull: boolean): boolean => isNullText(s, csvNulls, blankIsNull);
  switch (kind) {
    case 'numeric':
      return (raw) => {
        if (typeof raw === 'number') return Number.isNaN(raw) ? NULL : raw;
        if (raw === null || raw === undefined) return NULL;
        if (typeof raw === 'string') {
          if (isNullString(raw, true)) return NULL;
          const n = parseNumber(raw);
          return n === undefined ? INVALID : n;
        }
        if (typeof raw === 'bigint') return Number(raw);
        return INVALID;
      };
    case 'datetime':
      return (raw) => {
        if (raw === null || raw === undefined) return NULL;
        if (typeof raw === 'number') return Number.isNaN(raw) ? NULL : raw;
        if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? INVALID : raw.getTime();
        if (typeof raw === 'bigint') return Number(raw);
        if (typeof raw === 'string') {
          if (isNullString(raw, true)) return NULL;
          const t = parseDateTime(raw);
          return t === undefined ? INVALID : t;
        }
        return INVALID;
      };
    case 'time':
      return (raw) => {
        if (raw === null || raw === undefined) return NULL;
        if (typeof raw === 'number') return Number.isNaN(raw) ? NULL : raw;
        if (raw instanceof Date) {
          if (Number.isNaN(raw.getTime())) return INVALID;
          return raw.getUTCHours() * 3600 + raw.getUTCMinutes() * 60 + raw.getUTCSeconds() + raw.getUTCMilliseconds() / 1000;
        }
        if (typeof raw === 'bigint') return Number(raw);
        if (typeof raw === 'string') {
          if (isNullString(raw, true)) return NULL;
          const t = parseTime(raw);
          return t === undefined ? INVALID : t;
        }
        return INVALID;
      };
    case 'boolean':
      return (raw) => {
        if (typeof raw === 'boolean') return raw;
        if (raw === null || raw === undefined) return NULL;
        if (typeof raw === 'number') return Number.isNaN(raw) ? NULL : raw === 1 ? true : raw === 0 ? false : INVALID;
        if (typeof raw === 'string') {
          if (isNullString(raw, true)) return NULL;
          const t = raw.trim().toLowerCase();
          if (t === 'true' || t === 't' || t === 'yes' || t === 'y' || t === '1') return true;
          if (t === 'false' || t === 'f' || t === 'no' || t === 'n' || t === '0') return false;
          return INVALID;
        }
        return INVALID;
      };
    case 'string':
      return (raw) => {
        if (typeof raw === 'string') return isNullString(raw, false) ? NULL : raw;
        if (raw === null || raw === undefined) return NULL;
        if (typeof raw === 'number' && Number.isNaN(raw)) return NULL;
        return toText(raw);
      };
    default:
      // nested / opaque: only null-ness matters to the metrics; the text form serves expressions.
      return (raw) => {
        if (raw === null || raw === undefined) return NULL;
        if (typeof raw === 'number' && Number.isNaN(raw)) return NULL;
        if (typeof raw === 'string') return isNullString(raw, false) ? NULL : raw;
        return toText(raw);
      };
  }
}

/** Length in Unicode code points (pandas `str.len`), not UTF-16 units. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
