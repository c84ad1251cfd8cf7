/** `classification` records: `PUT /classifications` (create, or keep the one that exists). */
import type { RecordWriter } from './types';

export const writeClassification: RecordWriter<'classification'> = async (record, { client, status }) => {
  const { change } = await client.put('classifications', record.entity);
  status.count('classification', change);
  return { updated: change === 'updated' };
};
