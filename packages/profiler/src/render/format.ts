import type { ColumnProfile } from '@om/core';

export const DATE_TYPES = new Set(['DATE', 'DATETIME', 'TIMESTAMP', 'TIMESTAMPZ']);

/** A number for humans: integers as is, others with up to 4 significant decimals. */
export function formatNumber(v: number | undefined): string {
  if (v === undefined || v === null) return '';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1e6 || abs < 1e-4) return v.toExponential(4);
  return String(Number(v.toFixed(4)));
}

export function formatPercent(p: number | undefined): string {
  return p === undefined ? '' : `${(p * 100).toFixed(1)}%`;
}

/** min/max for the column's type: ISO dates for date columns, HH:MM:SS for TIME. */
export function formatValue(v: ColumnProfile['min'], dataType: string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (dataType && DATE_TYPES.has(dataType)) {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return dataType === 'DATE' ? d.toISOString().slice(0, 10) : d.toISOString();
  }
  if (dataType === 'TIME' && v >= 0) {
    const s = Math.floor(v);
    const hh = String(Math.floor(s / 3600)).padStart(2, '0');
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    return `${hh}:${mm}:${ss}`;
  }
  return formatNumber(v);
}
