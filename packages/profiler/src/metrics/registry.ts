/** Metric names (OpenMetadata's `MetricType` values) and which column kinds they apply to. */
import type { ColumnKind } from './types';

export const TABLE_METRICS = ['rowCount', 'columnCount', 'columnNames', 'sizeInByte'] as const;
export type TableMetric = (typeof TABLE_METRICS)[number];

export const COLUMN_METRICS = [
  'valuesCount', 'nullCount', 'nullProportion', 'distinctCount', 'distinctProportion', 'uniqueCount',
  'uniqueProportion', 'duplicateCount', 'min', 'max', 'mean', 'sum', 'stddev', 'median', 'firstQuartile',
  'thirdQuartile', 'interQuartileRange', 'nonParametricSkew', 'minLength', 'maxLength', 'histogram',
] as const;
export type ColumnMetric = (typeof COLUMN_METRICS)[number];
export type MetricName = TableMetric | ColumnMetric;

const COUNTS: ColumnMetric[] = ['valuesCount', 'nullCount', 'nullProportion'];
const DISTINCT: ColumnMetric[] = ['distinctCount', 'distinctProportion', 'uniqueCount', 'uniqueProportion', 'duplicateCount'];
export const QUANTILE_METRICS: ReadonlySet<ColumnMetric> = new Set([
  'median', 'firstQuartile', 'thirdQuartile', 'interQuartileRange', 'nonParametricSkew', 'histogram',
]);
export const DISTINCT_METRICS: ReadonlySet<ColumnMetric> = new Set(DISTINCT);

/** The metrics that mean something for a column kind (others are never reported for it). */
export const METRICS_BY_KIND: Record<ColumnKind, ReadonlySet<ColumnMetric>> = {
  numeric: new Set([...COUNTS, ...DISTINCT, 'min', 'max', 'mean', 'sum', 'stddev', ...QUANTILE_METRICS]),
  string: new Set([...COUNTS, ...DISTINCT, 'mean', 'minLength', 'maxLength']),
  datetime: new Set([...COUNTS, ...DISTINCT, 'min', 'max']),
  time: new Set([...COUNTS, ...DISTINCT, 'min', 'max']),
  boolean: new Set([...COUNTS, ...DISTINCT]),
  nested: new Set(COUNTS),
  opaque: new Set(COUNTS),
};

const ALIASES: Record<string, MetricName> = {
  count: 'valuesCount',
  valuescount: 'valuesCount',
  rowcount: 'rowCount',
  columncount: 'columnCount',
  columnnames: 'columnNames',
  sizeinbyte: 'sizeInByte',
  sizeinbytes: 'sizeInByte',
  nullcount: 'nullCount',
  nullproportion: 'nullProportion',
  distinct: 'distinctCount',
  distinctcount: 'distinctCount',
  distinctproportion: 'distinctProportion',
  unique: 'uniqueCount',
  uniquecount: 'uniqueCount',
  uniqueproportion: 'uniqueProportion',
  duplicatecount: 'duplicateCount',
  min: 'min',
  max: 'max',
  mean: 'mean',
  avg: 'mean',
  sum: 'sum',
  stddev: 'stddev',
  std: 'stddev',
  median: 'median',
  firstquartile: 'firstQuartile',
  thirdquartile: 'thirdQuartile',
  interquartilerange: 'interQuartileRange',
  iqr: 'interQuartileRange',
  nonparametricskew: 'nonParametricSkew',
  minlength: 'minLength',
  maxlength: 'maxLength',
  histogram: 'histogram',
};

/**
 * Resolves a metric name as users write it: OpenMetadata's camelCase (`nullCount`), its enum
 * spelling (`NULL_COUNT`, `null_count`) or `COUNT` for valuesCount. Undefined when unknown.
 */
export function resolveMetricName(name: string): MetricName | undefined {
  return ALIASES[name.toLowerCase().replace(/[_\s-]/g, '')];
}

export function isTableMetric(m: MetricName): m is TableMetric {
  return (TABLE_METRICS as readonly string[]).includes(m);
}
