/**
 * `databaseServiceAutoClassificationPipeline.json` (`sourceConfig.config` with `type:
 * AutoClassification`, run by `metadata classify`): the source lists the tables as for a Profiler
 * pipeline; @om/profiler's orm-profiler reads the head of each one for sample rows and PII tags.
 */
import { filterPatternSchema, type JsonSchema } from '@om/core';

export const autoClassificationPipelineSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['AutoClassification'] },
    classificationFilterPattern: filterPatternSchema,
    databaseFilterPattern: filterPatternSchema,
    schemaFilterPattern: filterPatternSchema,
    tableFilterPattern: filterPatternSchema,
    includeViews: { type: 'boolean' },
    useFqnForFiltering: { type: 'boolean' },
    storeSampleData: { type: 'boolean', description: 'send the sample rows to the sink (default false)' },
    enableAutoClassification: { type: 'boolean', description: 'tag PII columns (default true)' },
    confidence: { type: 'number', minimum: 0, maximum: 100, description: 'tag a column only at or above this confidence, 0–100 (default 80)' },
    sampleDataCount: { type: 'integer', minimum: 0, description: 'sample rows per table (default 50)' },
    classificationLanguage: { type: 'string' },
    sampleRows: { type: 'integer', minimum: 1, description: 'om-ingest: rows sampled per text file for schema inference (default 1000)' },
    sampleBytes: { type: 'integer', minimum: 1024 },
    includeHiddenFiles: { type: 'boolean' },
  },
};
