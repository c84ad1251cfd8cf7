/** `tag` records: `PUT /tags` under their classification. */
import type { RecordWriter } from './types';

export const writeTag: RecordWriter<'tag'> = async (record, { client, status }) => {
  const { change } = await client.put('tags', record.entity);
  status.count('tag', change);
  return { updated: change === 'updated' };
};
