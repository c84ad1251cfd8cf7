/**
 * Sample-data cells rendered as OpenMetadata sends them. Its datalake sampler takes pandas rows
 * (`values.tolist()`) and the sink serializes `TableData` with pydantic: date-times become ISO text,
 * dates `YYYY-MM-DD`, decimals text, everything else JSON as is. Cells here are always JSON values;
 * nested values become JSON text so a table cell stays one string, and long text is cut.
 */
import type { Column } from '@om/core';
import { columnKind, parseNumber } from '../metrics/types';

/** Longest cell text kept (code units); OpenMetadata also cuts long sample strings (`_truncate_cell`). */
export const DEFAULT_MAX_CELL_LENGTH = 1000;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Python's `isoformat()` of a UTC date-time (microseconds only when non-zero), `Z` when zoned. */
export function isoDateTime(ms: number, zoned: boolean): string | undefined {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return undefined;
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const micros = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return `${base}${micros ? `.${pad(micros, 6)}` : ''}${zoned ? 'Z' : ''}`;
}

function isoDate(ms: number): string | undefined {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return undefined;
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Seconds since midnight → `HH:MM:SS[.ffffff]` (Python's `time.isoformat()`). */
function isoTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const micros = Math.round((seconds - whole) * 1e6);
  const base = `${pad(Math.floor(whole / 3600) % 24)}:${pad(Math.floor(whole / 60) % 60)}:${pad(whole % 60)}`;
  return micros ? `${base}.${pad(micros, 6)}` : base;
}

export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair: the server would store an invalid character.
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}

function bytesText(bytes: Uint8Array): string {
  // Valid UTF-8 text is sent as text (pydantic's default for bytes); anything else as base64.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    if (v instanceof Uint8Array) return bytesText(v);
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    return v;
  });
}

/** A decimal number as Python prints `Decimal` with the column's scale (`12.50` for scale 2). */
function decimalText(n: number, scale: number | undefined): string {
  if (scale !== undefined && scale >= 0 && scale <= 20) return n.toFixed(scale);
  return String(n);
}

/** One non-null cell for the sample, as a JSON value. */
export function renderSampleValue(value: unknown, column: Column, maxLength = DEFAULT_MAX_CELL_LENGTH): unknown {
  const type = String(column.dataType).toUpperCase();
  const kind = columnKind(type);
  if (value instanceof Date) value = value.getTime();
  if (typeof value === 'bigint') value = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return cut(bytesText(value), maxLength);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null; // pydantic writes inf/nan as null
    if (kind === 'datetime') {
      return (type === 'DATE' ? isoDate(value) : isoDateTime(value, type === 'TIMESTAMPZ')) ?? value;
    }
    if (kind === 'time') return isoTime(value);
    if (type === 'DECIMAL' || type === 'NUMERIC') return decimalText(value, column.scale);
    return value;
  }
  if (typeof value === 'string') {
    // Text files give text; pandas reads numbers and booleans of such columns as numbers and bools.
    if (kind === 'numeric') {
      const n = parseNumber(value);
      if (n !== undefined && Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n))) return renderSampleValue(n, column, maxLength);
    }
    if (kind === 'boolean') {
      if (/^(true)$/i.test(value.trim())) return true;
      if (/^(false)$/i.test(value.trim())) return false;
    }
    return cut(value, maxLength);
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'object') return cut(jsonText(value), maxLength);
  return cut(String(value), maxLength);
}
