/** A readable text table of one table profile (for the console). */
import type { OmRecord } from '@om/core';
import { formatNumber, formatPercent, formatValue } from './format';

type ProfileRecord = Extract<OmRecord, { kind: 'tableProfile' }> & { columnTypes?: Record<string, string> };

const HEADERS = ['column', 'type', 'non-null', 'null %', 'distinct', 'unique', 'min', 'max', 'mean', 'stddev', 'median'];

export function renderProfileTable(record: ProfileRecord): string {
  const { tableProfile, columnProfile = [] } = record.profile;
  const types = record.columnTypes ?? {};
  const approx = new Set(record.approximateMetrics ?? []);
  const mark = (col: string, metric: string, text: string) => (text && approx.has(`${col}.${metric}`) ? `~${text}` : text);
  const rows = columnProfile.map((c) => [
    c.name,
    types[c.name] ?? '',
    formatNumber(c.valuesCount),
    formatPercent(c.nullProportion),
    mark(c.name, 'distinctCount', formatNumber(c.distinctCount)),
    mark(c.name, 'uniqueCount', formatNumber(c.uniqueCount)),
    formatValue(c.min, types[c.name]),
    formatValue(c.max, types[c.name]),
    formatNumber(c.mean),
    formatNumber(c.stddev),
    mark(c.name, 'median', formatNumber(c.median)),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const facts = [
    `rows: ${formatNumber(tableProfile.rowCount)}`,
    `columns: ${formatNumber(tableProfile.columnCount)}`,
    tableProfile.sizeInByte !== undefined ? `size: ${formatNumber(tableProfile.sizeInByte)} bytes` : '',
    tableProfile.profileSample !== undefined ? `sample: ${tableProfile.profileSample}${tableProfile.profileSampleType === 'ROWS' ? ' rows' : '%'}` : '',
  ].filter(Boolean);
  const out = [`Table ${record.tableFqn} (${facts.join(', ')})`, line(HEADERS), sep, ...rows.map(line)];
  if (approx.size > 0) out.push(`~ approximate (sketch): ${[...approx].join(', ')}`);
  return `${out.join('\n')}\n`;
}
