import { filterPatternSchema, type FilterPattern, type JsonSchema } from '@om/core';

/** `source.serviceConnection.config` for `type: sample`. */
export const sampleConnectionSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['Sample'] },
    databaseName: { type: 'string', minLength: 1, description: 'name of the database (default: sample_db)' },
    tables: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'table names to emit (default: customers, orders)',
    },
  },
};

/** `source.sourceConfig.config`: the usual DatabaseMetadata filters. */
export const sampleSourceConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['DatabaseMetadata'] },
    tableFilterPattern: filterPatternSchema,
  },
};

export interface SampleConfig {
  serviceName: string;
  databaseName: string;
  tables: string[];
  tableFilterPattern?: FilterPattern;
}

/** Reads the validated config sections into the source's settings. */
export function parseSampleConfig(source: Record<string, unknown>): SampleConfig {
  const connection = ((source.serviceConnection as { config?: Record<string, unknown> } | undefined)?.config ?? {}) as {
    databaseName?: string;
    tables?: string[];
  };
  const sourceConfig = ((source.sourceConfig as { config?: Record<string, unknown> }).config ?? {}) as {
    tableFilterPattern?: FilterPattern;
  };
  return {
    serviceName: String(source.serviceName),
    databaseName: connection.databaseName ?? 'sample_db',
    tables: connection.tables ?? ['customers', 'orders'],
    tableFilterPattern: sourceConfig.tableFilterPattern,
  };
}
