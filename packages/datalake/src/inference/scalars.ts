/**
 * Scalar typing for text formats. Each sampled value gets a type; a column's type is the join of
 * its values' types along the widening order null < BOOLEAN < INT < FLOAT < STRING, with the ISO-8601
 * temporal family DATE < DATETIME < TIMESTAMP beside it (TIME joins only with itself). Anything that
 * mixes the numeric and temporal families is STRING. Missing values (blank, `null`, `NA`...) are null
 * and never change a column's type. Every sampled cell is typed, so the forms are matched by
 * character codes; scalars.test.ts holds them to the regular expressions they stand for.
 */

export type ScalarType = 'BOOLEAN' | 'INT' | 'FLOAT' | 'STRING' | 'DATE' | 'TIME' | 'DATETIME' | 'TIMESTAMP';

const NUMERIC_RANK: Partial<Record<ScalarType, number>> = { BOOLEAN: 1, INT: 2, FLOAT: 3 };
const TEMPORAL_RANK: Partial<Record<ScalarType, number>> = { DATE: 1, DATETIME: 2, TIMESTAMP: 3 };

/** The narrowest type holding both (undefined = no value seen yet). */
export function joinScalar(a: ScalarType | undefined, b: ScalarType | undefined): ScalarType | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  if (a === 'STRING' || b === 'STRING') return 'STRING';
  const na = NUMERIC_RANK[a];
  const nb = NUMERIC_RANK[b];
  if (na !== undefined && nb !== undefined) return na >= nb ? a : b;
  const ta = TEMPORAL_RANK[a];
  const tb = TEMPORAL_RANK[b];
  if (ta !== undefined && tb !== undefined) return ta >= tb ? a : b;
  return 'STRING';
}

/** Text that stands for a missing value in CSV/TSV cells (compared after trimming). */
const NULL_TOKENS = new Set(['', 'null', 'NULL', 'Null', 'None', 'NA', 'N/A', 'n/a', '#N/A', '<NA>', 'nil']);
/** The longest of NULL_TOKENS. */
export const NULL_TOKEN_MAX = 4;

/** True for printable ASCII other than space: never trimmed. */
function visible(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** First characters of the non-empty NULL_TOKENS (all ASCII), by character code. */
const NULL_FIRST = new Uint8Array(128);
for (const token of NULL_TOKENS) if (token !== '') NULL_FIRST[token.charCodeAt(0)] = 1;

export function isNullToken(text: string): boolean {
  const n = text.length;
  const first = text.charCodeAt(0);
  // Nothing to trim (the common case): only a short text starting like a token can be one.
  if (visible(first) && visible(text.charCodeAt(n - 1))) return n <= NULL_TOKEN_MAX && NULL_FIRST[first] === 1 && NULL_TOKENS.has(text);
  return NULL_TOKENS.has(text.trim());
}

const SPECIAL_FLOAT_RE = /^[+-]?(?:nan|inf|infinity)$/i;
const BOOL_RE = /^(?:true|false)$/i;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

const ZERO = 0x30;
const NINE = 0x39;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** `/^[+-]?(0|[1-9][0-9]*)$/`, by character codes. */
function isIntText(t: string): boolean {
  const n = t.length;
  let i = 0;
  const c0 = t.charCodeAt(0);
  if (c0 === PLUS || c0 === MINUS) i = 1;
  if (i >= n) return false;
  const first = t.charCodeAt(i);
  if (first === ZERO) return n === i + 1;
  if (first < 0x31 || first > NINE) return false;
  for (i++; i < n; i++) if (!isDigit(t.charCodeAt(i))) return false;
  return true;
}

/** A float as `^[+-]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$` matches it, by character codes. */
function isFloatText(t: string): boolean {
  const n = t.length;
  let i = 0;
  let c = t.charCodeAt(0);
  if (c === PLUS || c === MINUS) c = t.charCodeAt(++i);
  if (c === DOT) {
    if (!isDigit(t.charCodeAt(++i))) return false;
    while (isDigit(t.charCodeAt(i))) i++;
  } else {
    if (c === ZERO) i++;
    else if (c >= 0x31 && c <= NINE) while (isDigit(t.charCodeAt(i))) i++;
    else return false;
    if (t.charCodeAt(i) === DOT) {
      i++;
      while (isDigit(t.charCodeAt(i))) i++;
    }
  }
  c = t.charCodeAt(i);
  if (c === 0x65 || c === 0x45) {
    c = t.charCodeAt(++i);
    if (c === PLUS || c === MINUS) c = t.charCodeAt(++i);
    if (!isDigit(c)) return false;
    while (isDigit(t.charCodeAt(i))) i++;
  }
  return i === n;
}

/** The value of the two digits at `i` (callers checked they are digits). */
function two(t: string, i: number): number {
  return (t.charCodeAt(i) - ZERO) * 10 + t.charCodeAt(i + 1) - ZERO;
}

function digitsAt(t: string, i: number, count: number): boolean {
  if (i + count > t.length) return false;
  for (let k = i; k < i + count; k++) if (!isDigit(t.charCodeAt(k))) return false;
  return true;
}

function validDate(t: string, at: number): boolean {
  const year = two(t, at) * 100 + two(t, at + 2);
  const month = two(t, at + 5);
  const day = two(t, at + 8);
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2) return day <= (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28);
  return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}

/**
 * `HH:MM(:SS([.,]F{1,9})?)?` from `at`, as the regular expression matches it: the position after
 * it, or -1; `seconds` is the SS value, or -1 when there are none. Valid hours and minutes are
 * checked by the caller with `validTime`.
 */
interface TimeScan {
  end: number;
  hour: number;
  minute: number;
  seconds: number;
}

const scan: TimeScan = { end: -1, hour: 0, minute: 0, seconds: -1 };

function scanTime(t: string, at: number): TimeScan {
  scan.end = -1;
  scan.seconds = -1;
  if (!digitsAt(t, at, 2) || t.charCodeAt(at + 2) !== COLON || !digitsAt(t, at + 3, 2)) return scan;
  scan.hour = two(t, at);
  scan.minute = two(t, at + 3);
  let p = at + 5;
  if (t.charCodeAt(p) === COLON && digitsAt(t, p + 1, 2)) {
    scan.seconds = two(t, p + 1);
    p += 3;
    const c = t.charCodeAt(p);
    if ((c === DOT || c === 0x2c) && isDigit(t.charCodeAt(p + 1))) {
      let q = p + 1;
      while (q < t.length && q - p <= 9 && isDigit(t.charCodeAt(q))) q++;
      // More than nine fraction digits: no match (the next character is a digit).
      p = q;
    }
  }
  scan.end = p;
  return scan;
}

function validTime(s: TimeScan): boolean {
  return s.hour <= 23 && s.minute <= 59 && s.seconds <= 60;
}

/** `Z|z|[+-]\d{2}(?::?\d{2})?` from `at` to the end of `t`. */
function zoneToEnd(t: string, at: number): boolean {
  const n = t.length;
  const c = t.charCodeAt(at);
  if (c === 0x5a || c === 0x7a) return n === at + 1;
  if (c !== PLUS && c !== MINUS) return false;
  if (!digitsAt(t, at + 1, 2)) return false;
  let p = at + 3;
  if (p === n) return true;
  if (t.charCodeAt(p) === COLON) p++;
  return p + 2 === n && digitsAt(t, p, 2);
}

/**
 * The ISO-8601 temporal type of a string, or undefined. Dates are checked for real calendar days.
 * The forms, as regular expressions (`\d` is an ASCII digit):
 * DATE `^D$`, TIME `^T$` (with seconds), DATETIME `^D[T ]T$`, TIMESTAMP `^D[T ]T ?Z$`, where
 * D = `\d{4}-\d{2}-\d{2}`, T = `\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?`,
 * Z = `Z|z|[+-]\d{2}(?::?\d{2})?`. Matched by character codes (the schema sampler types every cell).
 */
export function temporalType(text: string): ScalarType | undefined {
  const n = text.length;
  if (n < 5 || n > 40) return undefined;
  if (!isDigit(text.charCodeAt(0)) || !isDigit(text.charCodeAt(1))) return undefined;
  if (text.charCodeAt(2) === COLON) {
    const s = scanTime(text, 0);
    if (s.end !== n) return undefined;
    return s.seconds >= 0 && validTime(s) ? 'TIME' : undefined;
  }
  if (n < 10 || !digitsAt(text, 2, 2) || text.charCodeAt(4) !== MINUS || !digitsAt(text, 5, 2) || text.charCodeAt(7) !== MINUS || !digitsAt(text, 8, 2)) return undefined;
  if (n === 10) return validDate(text, 0) ? 'DATE' : undefined;
  const sep = text.charCodeAt(10);
  if (sep !== 0x54 && sep !== 0x20) return undefined;
  const s = scanTime(text, 11);
  if (s.end === -1) return undefined;
  let type: ScalarType;
  if (s.end === n) type = 'DATETIME';
  else {
    const zone = text.charCodeAt(s.end) === 0x20 ? s.end + 1 : s.end;
    if (!zoneToEnd(text, zone)) return undefined;
    type = 'TIMESTAMP';
  }
  return validDate(text, 0) && validTime(s) ? type : undefined;
}

/**
 * Type of one CSV/TSV cell (already known not to be a null token). Integers with leading zeros
 * (`007`, zip codes) stay STRING so they do not lose their zeros; integers outside the 64-bit range
 * are FLOAT. `HH:MM` alone is not a TIME (too ambiguous: scores, ratios); `HH:MM:SS` is.
 * The first character decides which forms are possible: numbers start with a digit, a sign or a
 * dot, dates and times with a digit, booleans with t/f, NaN and infinities with n/i (or a sign).
 */
export function textCellType(raw: string): ScalarType {
  const text = raw.trim();
  const c = text.charCodeAt(0);
  const digit = isDigit(c);
  if (digit || c === PLUS || c === MINUS || c === DOT) {
    if (isIntText(text)) {
      if (text.length < 19) return 'INT';
      const big = BigInt(text);
      return big <= INT64_MAX && big >= INT64_MIN ? 'INT' : 'FLOAT';
    }
    // A float never starts with `0` and a digit (the integer part has no leading zeros).
    if (isFloatText(text)) return 'FLOAT';
    if (!digit) return SPECIAL_FLOAT_RE.test(text) ? 'FLOAT' : 'STRING';
    return temporalType(text) ?? 'STRING';
  }
  const lower = c | 0x20;
  if (lower === 0x74 || lower === 0x66) return BOOL_RE.test(text) ? 'BOOLEAN' : 'STRING';
  if (lower === 0x6e || lower === 0x69) return SPECIAL_FLOAT_RE.test(text) ? 'FLOAT' : 'STRING';
  return 'STRING';
}

/** Type of a JSON string value: a string, unless it is an ISO-8601 date/time. */
export function jsonStringType(text: string): ScalarType {
  return temporalType(text) ?? 'STRING';
}
