import type { JsonSchema } from '@om/core';

/** `sink.config` of `metadata-rest`. The server connection itself is `workflowConfig.openMetadataServerConfig`. */
export const metadataRestSinkSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tableConcurrency: {
      type: 'integer',
      minimum: 1,
      maximum: 64,
      description: 'table PUTs in flight at once (default 8); services, databases and schemas are written one by one',
    },
    markDeletedMaxPercent: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: 'mark-deleted refuses to soft-delete more than this share of a schema\'s tables (default 50)',
    },
    retry: {
      type: 'object',
      additionalProperties: false,
      description: 'retry timing; the number of retries is openMetadataServerConfig.maxRetries (default 3)',
      properties: {
        baseDelayMs: { type: 'integer', minimum: 0, description: 'first backoff delay (default 1000), doubled per retry' },
        maxDelayMs: { type: 'integer', minimum: 0, description: 'cap of one backoff delay (default 30000)' },
        maxRetryAfterSeconds: { type: 'number', minimum: 0, description: 'longest Retry-After to wait for (default 120)' },
      },
    },
  },
};

export interface MetadataRestSinkConfig {
  tableConcurrency?: number;
  markDeletedMaxPercent?: number;
  retry?: { baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterSeconds?: number };
}

export const DEFAULT_TABLE_CONCURRENCY = 8;
export const DEFAULT_MARK_DELETED_MAX_PERCENT = 50;
