/** `dataModel` records: `PUT /tables/{id}/dataModel` on a table that exists. */
import type { RecordWriter } from './types';

export const writeDataModel: RecordWriter<'dataModel'> = async (record, { client, status }) => {
  const { change } = await client.put(`tables/${record.tableId}/dataModel`, record.dataModel);
  // The endpoint answers with the table: any answer means the data model is stored.
  status.count('dataModel', change === 'created' ? 'created' : 'updated');
  return { updated: change !== 'created' };
};
