/**
 * `databaseServiceAutoClassificationPipeline.json` (`sourceConfig.config` with `type:
 * AutoClassification`, run by `metadata classify`): the source lists the tables as for a Profiler
 * pipeline; @om/profiler's orm-profiler reads the head of each one for sample rows and PII tags.
 */
import { autoClassificationPipelineSchema as pipelineSchema, type JsonSchema } from '@om/core';

export const autoClassificationPipelineSchema: JsonSchema = pipelineSchema({
  storeSampleData: { type: 'boolean', description: 'send the sample rows to the sink (default false)' },
  sampleDataCount: { type: 'integer', minimum: 0, description: 'sample rows per table (default 50)' },
  sampleRows: { type: 'integer', minimum: 1, description: 'om-ingest: rows sampled per text file for schema inference (default 1000)' },
  sampleBytes: { type: 'integer', minimum: 1024 },
  includeHiddenFiles: { type: 'boolean' },
});
