/** `tablePatch` records: one JSON Patch on a table that exists (descriptions, tags, owners). */
import type { RecordWriter } from './types';

export const writeTablePatch: RecordWriter<'tablePatch'> = async (record, { client, status }) => {
  if (record.operations.length === 0) return {};
  await client.patch(`tables/${record.tableId}`, record.operations);
  status.count('table', 'updated');
  return { updated: true };
};
