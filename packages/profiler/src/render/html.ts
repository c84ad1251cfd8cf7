/** A self-contained HTML profile report: no scripts, no external assets, inline SVG histograms. */
import type { ColumnProfile, Histogram, OmRecord } from '@om/core';
import { formatNumber, formatPercent, formatValue } from './format';

type ProfileRecord = Extract<OmRecord, { kind: 'tableProfile' }> & { columnTypes?: Record<string, string> };

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Horizontal bars, one per bin, labelled with the bin and its count. */
export function histogramSvg(h: Histogram): string {
  const n = h.frequencies.length;
  if (n === 0) return '';
  const max = Math.max(...h.frequencies, 1);
  const barH = 16;
  const gap = 3;
  const labelW = 170;
  const barW = 240;
  const height = n * (barH + gap);
  const width = labelW + barW + 70;
  const bars = h.frequencies
    .map((f, i) => {
      const y = i * (barH + gap);
      const w = Math.max(f > 0 ? 1 : 0, Math.round((f / max) * barW));
      const label = escapeHtml(h.boundaries[i] ?? '');
      return (
        `<text x="${labelW - 6}" y="${y + barH - 4}" text-anchor="end">${label}</text>` +
        `<rect x="${labelW}" y="${y}" width="${w}" height="${barH}" rx="2"><title>${label}: ${f}</title></rect>` +
        `<text x="${labelW + w + 4}" y="${y + barH - 4}">${formatNumber(f)}</text>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="hist" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${bars}</svg>`;
}

const METRIC_ROWS: [keyof ColumnProfile, string][] = [
  ['valuesCount', 'non-null'], ['nullCount', 'nulls'], ['nullProportion', 'null %'], ['distinctCount', 'distinct'],
  ['uniqueCount', 'unique'], ['duplicateCount', 'duplicates'], ['min', 'min'], ['max', 'max'], ['mean', 'mean'],
  ['sum', 'sum'], ['stddev', 'stddev'], ['firstQuartile', 'Q1'], ['median', 'median'], ['thirdQuartile', 'Q3'],
  ['interQuartileRange', 'IQR'], ['nonParametricSkew', 'skew'], ['minLength', 'min length'], ['maxLength', 'max length'],
];

function columnSection(record: ProfileRecord, c: ColumnProfile): string {
  const type = record.columnTypes?.[c.name];
  const approx = new Set(record.approximateMetrics ?? []);
  const cells = METRIC_ROWS.filter(([k]) => c[k] !== undefined)
    .map(([k, label]) => {
      const v = c[k];
      const text = k === 'nullProportion' ? formatPercent(v as number) : k === 'min' || k === 'max' ? formatValue(v as number | string, type) : formatNumber(v as number);
      const a = approx.has(`${c.name}.${k}`) ? ' <span class="approx" title="approximate (sketch)">≈</span>' : '';
      return `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(text)}${a}</td></tr>`;
    })
    .join('');
  const hist = c.histogram ? `<div class="histogram">${histogramSvg(c.histogram)}</div>` : '';
  return `<section class="column"><h3>${escapeHtml(c.name)} <small>${escapeHtml(type ?? '')}</small></h3><div class="body"><table class="metrics">${cells}</table>${hist}</div></section>`;
}

export function renderProfileHtml(records: OmRecord[], title = 'Profile report'): string {
  const profiles = records.filter((r): r is ProfileRecord => r.kind === 'tableProfile');
  const tables = profiles
    .map((r) => {
      const t = r.profile.tableProfile;
      const facts = [
        `rows: ${formatNumber(t.rowCount)}`,
        `columns: ${formatNumber(t.columnCount)}`,
        t.sizeInByte !== undefined ? `size: ${formatNumber(t.sizeInByte)} bytes` : '',
        t.profileSample !== undefined ? `sample: ${t.profileSample}${t.profileSampleType === 'ROWS' ? ' rows' : '%'}` : '',
        `profiled: ${new Date(t.timestamp).toISOString()}`,
      ].filter(Boolean);
      const cols = (r.profile.columnProfile ?? []).map((c) => columnSection(r, c)).join('');
      return `<article class="table"><h2>${escapeHtml(r.tableFqn)}</h2><p class="facts">${escapeHtml(facts.join(' · '))}</p>${cols}</article>`;
    })
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d2433;background:#fafbfc}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin:2rem 0 .25rem;word-break:break-all}h3{font-size:1rem;margin:0 0 .5rem}
h3 small{color:#6b7280;font-weight:normal}.facts{color:#4b5563;margin:0 0 1rem}
.column{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:.75rem 1rem;margin:.5rem 0}
.body{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}
table.metrics{border-collapse:collapse;font-size:.85rem}table.metrics th{text-align:left;color:#6b7280;font-weight:normal;padding:1px 12px 1px 0}
table.metrics td{text-align:right;font-variant-numeric:tabular-nums}
svg.hist{font-size:11px;font-family:inherit}svg.hist rect{fill:#4f7cff}svg.hist text{fill:#374151}.approx{color:#b45309}
</style></head><body><h1>${escapeHtml(title)}</h1>${tables || '<p>No table profiles.</p>'}</body></html>
`;
}
