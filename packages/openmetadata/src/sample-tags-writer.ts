/**
 * Writes the records of sample data and auto-classification (produced by @om/profiler's
 * `orm-profiler` processor) to OpenMetadata:
 *
 * - `x-sampleData` `{tableFqn, sampleData: {columns, rows}}`: `PUT /tables/{id}/sampleData` with the
 *   `TableData` (columns the server's table does not have are dropped with a warning, as for profiles);
 * - `x-columnTags` `{tableFqn, columns: [{column, tagLabel, confidence, reason}]}`: reads the table
 *   with its columns' tags, then one JSON Patch adding each suggested label to a top-level column
 *   that has no `PII.*` tag yet. As OpenMetadata's PII processor (`pii/processor.py`: a column that
 *   already has a PII tag is skipped), a label a person set is never replaced or joined.
 */
import { OmError } from '@om/core';
import type { EntityBase, OpenMetadataClient } from './client';
import type { MetadataRestStatus } from './status';

interface TagLabelBody {
  tagFQN: string;
  source?: string;
  labelType?: string;
  state?: string;
}

interface TableWithTags extends EntityBase {
  columns?: { name: string; tags?: TagLabelBody[] }[];
}

export interface SampleDataInput {
  tableFqn: string;
  sampleData: { columns: string[]; rows: unknown[][] };
}

export interface ColumnTagsInput {
  tableFqn: string;
  columns: { column: string; tagLabel: TagLabelBody; confidence?: number; reason?: string }[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks a record's shape: a producer bug is a clear per-record failure, not a 400 from the server. */
export function asSampleData(record: Record<string, unknown>): SampleDataInput {
  const data = record.sampleData;
  if (typeof record.tableFqn !== 'string' || !isObject(data) || !Array.isArray(data.columns) || !Array.isArray(data.rows)) {
    throw new OmError(`an x-sampleData record needs tableFqn and sampleData {columns, rows}`);
  }
  return record as unknown as SampleDataInput;
}

export function asColumnTags(record: Record<string, unknown>): ColumnTagsInput {
  if (typeof record.tableFqn !== 'string' || !Array.isArray(record.columns)) {
    throw new OmError(`an x-columnTags record needs tableFqn and columns [{column, tagLabel}]`);
  }
  return record as unknown as ColumnTagsInput;
}

export class SampleTagsWriter {
  constructor(
    private readonly client: OpenMetadataClient,
    private readonly status: MetadataRestStatus,
  ) {}

  private async table(fqn: string, fields: string[]): Promise<TableWithTags> {
    const table = await this.client.getByName<TableWithTags>('tables', fqn, { fields });
    if (!table || table.deleted) {
      throw new OmError(`table ${fqn} does not exist in OpenMetadata; run the metadata ingestion for its service first`);
    }
    return table;
  }

  async writeSampleData(input: SampleDataInput): Promise<void> {
    const table = await this.table(input.tableFqn, ['columns']);
    const known = new Set((table.columns ?? []).map((c) => c.name));
    const keep = input.sampleData.columns.map((c, i) => (known.has(c) ? i : -1)).filter((i) => i >= 0);
    const dropped = input.sampleData.columns.filter((c) => !known.has(c));
    if (dropped.length > 0) this.status.warning(input.tableFqn, `sample data without column(s) ${dropped.join(', ')}: the server's table has none`);
    const body = {
      columns: keep.map((i) => input.sampleData.columns[i]),
      rows: input.sampleData.rows.map((row) => keep.map((i) => row[i])),
    };
    await this.client.put(`tables/${table.id}/sampleData`, body);
    this.status.count('sampleData', 'created');
  }

  async writeColumnTags(input: ColumnTagsInput): Promise<void> {
    if (input.columns.length === 0) return;
    const table = await this.table(input.tableFqn, ['columns', 'tags']);
    const columns = table.columns ?? [];
    const ops: unknown[] = [];
    let kept = 0;
    for (const suggestion of input.columns) {
      const i = columns.findIndex((c) => c.name === suggestion.column);
      if (i < 0) {
        this.status.warning(input.tableFqn, `no column ${suggestion.column} on the server's table: its ${suggestion.tagLabel.tagFQN} suggestion is not sent`);
        continue;
      }
      const current = columns[i].tags ?? [];
      if (current.some((t) => t.tagFQN === 'PII' || t.tagFQN.startsWith('PII.'))) {
        kept++;
        continue;
      }
      ops.push(current.length === 0 && columns[i].tags === undefined
        ? { op: 'add', path: `/columns/${i}/tags`, value: [suggestion.tagLabel] }
        : { op: 'add', path: `/columns/${i}/tags/-`, value: suggestion.tagLabel });
    }
    for (let n = 0; n < kept; n++) this.status.count('columnTag', 'unchanged');
    if (ops.length === 0) return;
    await this.client.patch(`tables/${table.id}`, ops);
    for (let n = 0; n < ops.length; n++) this.status.count('columnTag', 'created');
  }
}
