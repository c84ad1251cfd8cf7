/**
 * What the pipeline asks of sample data and classification, from `source.sourceConfig.config` (the
 * processor reads the pipeline's fields, as OpenMetadata's processors read `source_config`):
 *
 * - Profiler (`databaseServiceProfilerPipeline.json`): `generateSampleData` (default true),
 *   `processPiiSensitive` (default false), `confidence` (default 80), `sampleDataCount` (default 50);
 * - AutoClassification (`databaseServiceAutoClassificationPipeline.json`): `storeSampleData` (default
 *   false), `enableAutoClassification` (default true), `confidence`, `sampleDataCount`.
 */
import type { WorkflowConfig } from '@om/core';

export const DEFAULT_SAMPLE_DATA_COUNT = 50;
export const DEFAULT_CONFIDENCE = 80;

export interface SampleSettings {
  pipeline: 'Profiler' | 'AutoClassification' | 'other';
  /** Send the sample rows to the sink. */
  store: boolean;
  /** Tag PII columns from names and sample rows. */
  classify: boolean;
  count: number;
  /** 0..100, as OpenMetadata's `confidence`. */
  confidence: number;
}

export function sampleSettingsFrom(workflowConfig: Pick<WorkflowConfig, 'source'> | undefined): SampleSettings {
  const sc = (workflowConfig?.source?.sourceConfig?.config ?? {}) as Record<string, unknown>;
  const count = typeof sc.sampleDataCount === 'number' && sc.sampleDataCount >= 0 ? Math.floor(sc.sampleDataCount) : DEFAULT_SAMPLE_DATA_COUNT;
  const confidence = typeof sc.confidence === 'number' ? sc.confidence : DEFAULT_CONFIDENCE;
  if (sc.type === 'AutoClassification') {
    return { pipeline: 'AutoClassification', store: sc.storeSampleData === true, classify: sc.enableAutoClassification !== false, count, confidence };
  }
  if (sc.type === 'Profiler') {
    return { pipeline: 'Profiler', store: sc.generateSampleData !== false, classify: sc.processPiiSensitive === true, count, confidence };
  }
  return { pipeline: 'other', store: false, classify: false, count, confidence };
}
