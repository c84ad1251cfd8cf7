/**
 * The metadata-rest sink's writers for records about entities that already exist or stand alone
 * (as OpenMetadata's `metadata_rest` sink dispatches each record type to its own method): the sink
 * looks a record's kind up here. Database entities, profiles and test results have their own paths
 * in the sink (bounded table concurrency, mark-deleted, QualityWriter).
 */
import type { RecordKind } from '@om/core';
import { writeClassification } from './classification';
import { writeDataModel } from './data-model';
import { writeLineage } from './lineage';
import { writeTablePatch } from './table-patch';
import { writeTag } from './tag';
import { writeTestDefinition } from './test-definition';
import type { RecordWriter } from './types';

export type { RecordWriter, WriterContext } from './types';

export const RECORD_WRITERS: { [K in RecordKind]?: RecordWriter<K> } = {
  classification: writeClassification,
  tag: writeTag,
  dataModel: writeDataModel,
  tablePatch: writeTablePatch,
  lineage: writeLineage,
  testDefinition: writeTestDefinition,
};
