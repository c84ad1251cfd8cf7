/** What every record writer of the metadata-rest sink gets: the connected client, the status, the dialect. */
import type { OmRecord, RecordKind, SinkResult } from '@om/core';
import type { OpenMetadataClient } from '../client';
import type { ServerDialect } from '../compat/dialect';
import type { MetadataRestStatus } from '../status';

export interface WriterContext {
  client: OpenMetadataClient;
  status: MetadataRestStatus;
  dialect: ServerDialect;
}

/** Writes one record of kind K; a throw is the record's failure (the sink reports it with the server's message). */
export type RecordWriter<K extends RecordKind> = (record: Extract<OmRecord, { kind: K }>, context: WriterContext) => Promise<SinkResult>;
