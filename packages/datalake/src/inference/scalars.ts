/**
 * Scalar typing for text formats. Each sampled value gets a type; a column's type is the join of
 * its values' types along the widening order null < BOOLEAN < INT < FLOAT < STRING, with the ISO-8601
 * temporal family DATE < DATETIME < TIMESTAMP beside it (TIME joins only with itself). Anything that
 * mixes the numeric and temporal families is STRING. Missing values (blank, `null`, `NA`...) are null
 * and never change a column's type.
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

export function isNullToken(text: string): boolean {
  return NULL_TOKENS.has(text.trim());
}

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
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

function validDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, Number(y) % 4 === 0 && (Number(y) % 100 !== 0 || Number(y) % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1];
}

function validTime(h: string, mi: string, s: string | undefined): boolean {
  return Number(h) <= 23 && Number(mi) <= 59 && (s === undefined || Number(s) <= 60);
}

/** The ISO-8601 temporal type of a string, or undefined. Dates are checked for real calendar days. */
export function temporalType(text: string): ScalarType | undefined {
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
}

/**
 * Type of one CSV/TSV cell (already known not to be a null token). Integers with leading zeros
 * (`007`, zip codes) stay STRING so they do not lose their zeros; integers outside the 64-bit range
 * are FLOAT. `HH:MM` alone is not a TIME (too ambiguous: scores, ratios); `HH:MM:SS` is.
 */
export function textCellType(raw: string): ScalarType {
  const text = raw.trim();
  if (INT_RE.test(text)) {
    if (text.length < 19) return 'INT';
    const big = BigInt(text);
    return big <= INT64_MAX && big >= INT64_MIN ? 'INT' : 'FLOAT';
  }
  if (FLOAT_RE.test(text) || SPECIAL_FLOAT_RE.test(text)) return /^[+-]?0\d/.test(text) ? 'STRING' : 'FLOAT';
  if (BOOL_RE.test(text)) return 'BOOLEAN';
  return temporalType(text) ?? 'STRING';
}

/** Type of a JSON string value: a string, unless it is an ISO-8601 date/time. */
export function jsonStringType(text: string): ScalarType {
  return temporalType(text) ?? 'STRING';
}
