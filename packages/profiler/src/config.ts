/**
 * Processor configs (OpenMetadata's `ProfilerProcessorConfig` and `TestSuiteProcessorConfig`)
 * with om-ingest's exactness bounds, and their JSON schemas.
 */
import type { JsonSchema } from '@om/core';
import { DEFAULT_LIMITS, type AccumulatorLimits } from './metrics/column';

export interface ColumnIncludeConfig {
  columnName: string;
  metrics?: string[];
}

export interface TableProfilerConfig {
  fullyQualifiedName: string;
  profileSample?: number;
  profileSampleType?: 'PERCENTAGE' | 'ROWS';
  /** Accepted for compatibility; SQL does not apply to files (ignored with a warning). */
  profileQuery?: string;
  /** Accepted for compatibility; partition filters are the source's job (ignored here). */
  partitionConfig?: Record<string, unknown>;
  columnConfig?: {
    includeColumns?: ColumnIncludeConfig[];
    excludeColumns?: string[];
  };
}

export interface ProfilerProcessorConfig extends Partial<AccumulatorLimits> {
  profiler?: { name?: string; metrics?: string[]; timeout_seconds?: number };
  tableConfig?: TableProfilerConfig[];
  /** om-ingest: threads (the main thread one of them) that scan one large CSV/TSV/Parquet file together. */
  scanThreads?: number;
  /** om-ingest: longest sample-data cell text (default 1000 characters). */
  sampleDataMaxCellLength?: number;
}

export interface TestCaseDefinitionConfig {
  name: string;
  testDefinitionName: string;
  columnName?: string;
  displayName?: string;
  description?: string;
  parameterValues?: { name: string; value: string | number | boolean }[];
  computePassedFailedRowCount?: boolean;
}

export interface TestRunnerProcessorConfig extends Partial<AccumulatorLimits> {
  forceUpdate?: boolean;
  /** om-ingest: GeoJSON reference shapes of columnValuesToBeAtExpectedLocation (relative to the config's folder). */
  locationReferenceFile?: string;
  testCases: TestCaseDefinitionConfig[];
}

const limitsSchema: Record<string, JsonSchema> = {
  exactDistinctLimit: {
    type: 'integer',
    minimum: 1,
    description: `om-ingest: distinct values counted exactly per column before switching to HyperLogLog (default ${DEFAULT_LIMITS.exactDistinctLimit})`,
  },
  exactQuantileLimit: {
    type: 'integer',
    minimum: 1,
    description: `om-ingest: numeric values kept per column for exact quantiles/histogram before switching to a KLL sketch (default ${DEFAULT_LIMITS.exactQuantileLimit})`,
  },
  hllPrecision: {
    type: 'integer',
    minimum: 4,
    maximum: 18,
    description: `om-ingest: HyperLogLog precision p, relative error ≈ 1.04/√(2^p) (default ${DEFAULT_LIMITS.hllPrecision} → 0.81 %)`,
  },
  quantileSketchK: {
    type: 'integer',
    minimum: 8,
    maximum: 65536,
    description: `om-ingest: KLL sketch k, rank error ≈ 1.65 % at 200, scaling as 1/k (default ${DEFAULT_LIMITS.quantileSketchK})`,
  },
  histogramMaxBins: {
    type: 'integer',
    minimum: 1,
    maximum: 10000,
    description: `om-ingest: most histogram bins (default ${DEFAULT_LIMITS.histogramMaxBins}, as OpenMetadata)`,
  },
  seed: { type: 'integer', description: 'om-ingest: seed of the sketch coin flips (default 1)' },
};

export const profilerConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    profiler: {
      type: 'object',
      additionalProperties: true,
      properties: {
        name: { type: 'string' },
        metrics: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'metrics to compute (default: all)' },
      },
    },
    tableConfig: {
      type: 'array',
      items: {
        type: 'object',
        required: ['fullyQualifiedName'],
        additionalProperties: false,
        properties: {
          fullyQualifiedName: { type: 'string', minLength: 1 },
          profileSample: { type: 'number', minimum: 0 },
          profileSampleType: { type: 'string', enum: ['PERCENTAGE', 'ROWS'] },
          samplingMethodType: { type: 'string' },
          profileQuery: { type: 'string' },
          partitionConfig: { type: 'object' },
          columnConfig: {
            type: 'object',
            additionalProperties: false,
            properties: {
              includeColumns: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['columnName'],
                  additionalProperties: false,
                  properties: {
                    columnName: { type: 'string', minLength: 1 },
                    metrics: { type: 'array', items: { type: 'string', minLength: 1 } },
                  },
                },
              },
              excludeColumns: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
    scanThreads: {
      type: 'integer',
      minimum: 1,
      maximum: 64,
      description: 'om-ingest: threads that scan one large (≥ 32 MB) CSV/TSV/Parquet file together, the main thread one of them (default: CPU cores, at most 4; 1 scans in the main thread only)',
    },
    sampleDataMaxCellLength: {
      type: 'integer',
      minimum: 16,
      maximum: 1000000,
      description: 'om-ingest: longest text kept per sample-data cell, in characters (default 1000); longer values are cut',
    },
    ...limitsSchema,
  },
};

export const testRunnerConfigSchema: JsonSchema = {
  type: 'object',
  required: ['testCases'],
  additionalProperties: false,
  properties: {
    forceUpdate: { type: 'boolean', description: 'update existing test cases whose parameters changed (acted on by the sink)' },
    locationReferenceFile: {
      type: 'string',
      minLength: 1,
      description:
        "om-ingest: GeoJSON FeatureCollection (properties libgeo = city, codgeo = postal code) for columnValuesToBeAtExpectedLocation, the format of OpenMetadata's bundled fr-cities.json; relative to the config's folder",
    },
    testCases: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'testDefinitionName'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, not: { pattern: '::' } },
          testDefinitionName: { type: 'string', minLength: 1 },
          columnName: { type: 'string', minLength: 1 },
          displayName: { type: 'string' },
          description: { type: 'string' },
          parameterValues: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'value'],
              additionalProperties: false,
              properties: {
                name: { type: 'string', minLength: 1 },
                value: { type: ['string', 'number', 'boolean'] },
              },
            },
          },
          computePassedFailedRowCount: { type: 'boolean' },
        },
      },
    },
    ...limitsSchema,
  },
};

export function limitsFrom(config: Partial<AccumulatorLimits> | undefined): AccumulatorLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof AccumulatorLimits)[]) {
    const v = config?.[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  }
  return out;
}
