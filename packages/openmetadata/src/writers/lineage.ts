/** `lineage` records: `PUT /lineage` with one edge. */
import type { RecordWriter } from './types';

export const writeLineage: RecordWriter<'lineage'> = async (record, { client, status }) => {
  await client.putAction('lineage', { edge: record.edge });
  status.count('lineage', 'created');
  return {};
};
