import type { Column } from '@om/core';
import type { TableData } from '../sample/collector';
import { piiTagLabel, type ColumnTagSuggestion } from '../sample/records';
import { classifyColumn } from './classifier';

/**
 * Suggestions for the table's top-level columns at or above `confidence` (0..100; OpenMetadata keeps
 * a tag when `confidence >= threshold / 100`). Columns absent from the sample are judged by name.
 */
export function classifyTable(columns: Column[], sample: TableData | undefined, confidence: number): ColumnTagSuggestion[] {
  const out: ColumnTagSuggestion[] = [];
  const index = new Map((sample?.columns ?? []).map((name, i) => [name, i]));
  for (const column of columns) {
    const i = index.get(column.name);
    const values = i === undefined ? [] : sample!.rows.map((r) => r[i]);
    const decision = classifyColumn({ name: column.name, dataType: column.dataType, values });
    if (!decision) continue;
    const percent = Math.round(decision.confidence * 1000) / 10;
    if (percent < confidence) continue;
    out.push({ column: column.name, tagLabel: piiTagLabel(decision.tag), confidence: percent, reason: decision.reason });
  }
  return out;
}
