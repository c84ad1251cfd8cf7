import { profilerPlugin } from './plugin';

export { profilerPlugin, profilerPlugin as plugin };

export * from './config';
export * from './processors';
export { profileTable, resolveMetrics, type ProfileOptions, type ProfileResult } from './metrics/profile';
export { defaultScanThreads, PARALLEL_MIN_BYTES, WorkerScanError } from './parallel/scan';
export { ColumnAccumulator, DEFAULT_LIMITS, type AccumulatorLimits, type AccumulatorState, type ColumnStats, type DistinctKey } from './metrics/column';
export { COLUMN_METRICS, TABLE_METRICS, resolveMetricName, type ColumnMetric, type MetricName } from './metrics/registry';
export { columnKind, parseDateTime, parseTime, type ColumnKind } from './metrics/types';
export { quantileSorted, planBins, binLabels, formatBinNumber } from './metrics/quantiles';
export { HyperLogLog } from './sketches/hll';
export { KllSketch } from './sketches/kll';
export { runTestCases, entityLink, createTestCaseRequest, type TestCaseOutcome, type TestRunOptions } from './quality/runner';
export { TEST_DEFINITIONS } from './quality/definitions';
export { parseCondition, compileCondition, ExpressionError } from './quality/expression';
export { parsePythonLiteral, parseListParameter, PythonLiteralError, type PyValue } from './quality/python-literal';
export { renderProfileTable } from './render/text';
export { renderProfileHtml, histogramSvg } from './render/html';
export { SampleCollector, sampleColumns, type SampleOptions, type TableData } from './sample/collector';
export { renderSampleValue, DEFAULT_MAX_CELL_LENGTH } from './sample/render';
export { sampleSettingsFrom, type SampleSettings } from './sample/settings';
export { piiTagLabel, type ColumnTagsRecord, type ColumnTagSuggestion, type SampleDataRecord } from './sample/records';
export { classifyColumn, classifyByName, classifyByValues, nameTokens, type PiiDecision, type PiiKind, type PiiTag } from './classify/classifier';
export { classifyTable } from './classify/table';
export { loadLocationShapes, parseLocationShapes, type LocationShape } from './quality/geo';
