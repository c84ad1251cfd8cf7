/**
 * The records sample data and classification add to a run. Core's record union takes package
 * records as `x-…` kinds; @om/openmetadata's metadata-rest sink writes both, the file and console
 * sinks keep them as they are.
 */
import type { TagLabel } from '@om/core';
import type { PiiDecision } from '../classify/classifier';
import type { TableData } from './collector';

/** Sink: `PUT /tables/{id}/sampleData` with `sampleData` (`table.json#/definitions/tableData`). */
export type SampleDataRecord = {
  kind: 'x-sampleData';
  /** The table FQN (also what status lines show). */
  name: string;
  tableFqn: string;
  sampleData: TableData;
};

export interface ColumnTagSuggestion {
  column: string;
  tagLabel: TagLabel;
  /** 0..100, as `confidence` in the config. */
  confidence: number;
  reason: string;
}

/**
 * Sink: reads the table's current column tags and adds each suggestion to a column that has no `PII.*`
 * tag yet (never over a person's tag), by JSON Patch.
 */
export type ColumnTagsRecord = {
  kind: 'x-columnTags';
  name: string;
  tableFqn: string;
  columns: ColumnTagSuggestion[];
};

/**
 * OpenMetadata's PII tag label (`pii/processor.py` `build_column_tag`): source Classification,
 * labelType Automated, state Suggested (a person confirms it).
 */
export function piiTagLabel(tag: PiiDecision['tag']): TagLabel {
  return { tagFQN: tag, source: 'Classification', labelType: 'Automated', state: 'Suggested' };
}
