/** `testDefinition` records: `PUT /dataQuality/testDefinitions`. */
import type { RecordWriter } from './types';

export const writeTestDefinition: RecordWriter<'testDefinition'> = async (record, { client, status }) => {
  const { change } = await client.put('dataQuality/testDefinitions', record.entity);
  status.count('testDefinition', change);
  return { updated: change === 'updated' };
};
