/**
 * Profiles one table in one streaming pass over its rows: column chunks when the table offers them
 * (one column at a time), else column batches, else rows.
 */
import { ConfigError, type Column, type ColumnProfile, type CreateTableProfileRequest, type TableDataRequest, type TableProfile } from '@om/core';
import type { TableProfilerConfig } from '../config';
import { accumulatorsByColumn, ColumnAccumulator, DEFAULT_LIMITS, type AccumulatorLimits } from './column';
import {
  COLUMN_METRICS,
  DISTINCT_METRICS,
  isTableMetric,
  METRICS_BY_KIND,
  QUANTILE_METRICS,
  resolveMetricName,
  TABLE_METRICS,
  type ColumnMetric,
  type MetricName,
  type TableMetric,
} from './registry';
import { columnKind, usesCsvNulls } from './types';
import { defaultScanThreads, isWorkerOutOfMemory, PARALLEL_MIN_BYTES, scanParts, workerHeapLimits } from '../parallel/scan';
import type { AccumulatorSpec } from '../parallel/protocol';
import type { SampleCollector } from '../sample/collector';
import { readSampleHead } from '../sample/head';

export interface ProfileOptions {
  /** Metrics to compute (OpenMetadata names, any spelling `resolveMetricName` accepts); default all. */
  metrics?: string[];
  /** This table's `tableConfig` entry, if any. */
  tableConfig?: TableProfilerConfig;
  limits?: AccumulatorLimits;
  /** Profile timestamp (epoch ms); default now. */
  timestamp?: number;
  signal?: AbortSignal;
  /** Problems worth a status warning (unparseable values, unknown include columns...). */
  warn?: (message: string) => void;
  /** Threads that scan one large file together, the calling thread one of them (default `defaultScanThreads()`; 1: no worker). */
  threads?: number;
  /** Files at least this large (bytes) are scanned by several threads when the table can be split. */
  parallelMinBytes?: number;
  /** Collects sample rows from the same pass (see sample/collector.ts). */
  sample?: SampleCollector;
}

export interface ProfileResult {
  profile: CreateTableProfileRequest;
  /** `<column>.<metric>` for every metric computed from a sketch. */
  approximateMetrics: string[];
  /** All column names, in table order (OpenMetadata's `columnNames` metric; the API has no field for it). */
  columnNames: string[];
  /** Whether the rows were read (false when footer statistics answered everything). */
  scanned: boolean;
}

/** Resolves metric names, throwing a ConfigError that lists the unknown ones. */
export function resolveMetrics(names: string[] | undefined, path: string): Set<MetricName> {
  if (!names || names.length === 0) return new Set<MetricName>([...TABLE_METRICS, ...COLUMN_METRICS]);
  const out = new Set<MetricName>();
  const unknown: string[] = [];
  for (const n of names) {
    const m = resolveMetricName(n);
    if (m) out.add(m);
    else unknown.push(n);
  }
  if (unknown.length > 0) {
    throw ConfigError.single(path, `unknown metric(s): ${unknown.join(', ')}`, `known metrics: ${[...TABLE_METRICS, ...COLUMN_METRICS].join(', ')}`);
  }
  return out;
}

function samplingActive(table: TableDataRequest): boolean {
  const s = table.sampling;
  if (!s || s.profileSample === undefined) return false;
  return !((s.profileSampleType ?? 'PERCENTAGE') === 'PERCENTAGE' && s.profileSample >= 100);
}

interface ColumnPlan {
  column: Column;
  metrics: Set<ColumnMetric>;
  accumulator?: ColumnAccumulator;
  spec?: AccumulatorSpec;
  known?: Partial<ColumnProfile>;
}

function selectColumns(table: TableDataRequest, metrics: Set<MetricName>, tc: TableProfilerConfig | undefined, warn: (m: string) => void): { column: Column; metrics: Set<ColumnMetric> }[] {
  const columnMetrics = new Set([...metrics].filter((m): m is ColumnMetric => !isTableMetric(m)));
  const include = tc?.columnConfig?.includeColumns ?? [];
  const exclude = new Set(tc?.columnConfig?.excludeColumns ?? []);
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  if (include.length > 0) {
    const out: { column: Column; metrics: Set<ColumnMetric> }[] = [];
    for (const inc of include) {
      const column = byName.get(inc.columnName);
      if (!column) {
        warn(`includeColumns: column ${inc.columnName} is not in table ${table.fqn}`);
        continue;
      }
      if (exclude.has(column.name)) continue;
      const own = inc.metrics && inc.metrics.length > 0 ? resolveMetrics(inc.metrics, `processor.config.tableConfig[${tc!.fullyQualifiedName}].includeColumns[${inc.columnName}].metrics`) : columnMetrics;
      out.push({ column, metrics: new Set([...own].filter((m): m is ColumnMetric => !isTableMetric(m))) });
    }
    return out;
  }
  return table.columns.filter((c) => !exclude.has(c.name)).map((column) => ({ column, metrics: new Set(columnMetrics) }));
}

/** What footer statistics give for a column, with counts derived from the known row count. */
function knownFor(table: TableDataRequest, column: Column): Partial<ColumnProfile> | undefined {
  const known = table.knownColumnStats?.[column.name];
  if (!known) return undefined;
  const out: Partial<ColumnProfile> = { ...known };
  if (out.valuesCount === undefined && out.nullCount !== undefined && table.knownRowCount !== undefined) {
    out.valuesCount = table.knownRowCount - out.nullCount;
  }
  if (out.nullProportion === undefined && out.nullCount !== undefined && out.valuesCount !== undefined) {
    const total = out.nullCount + out.valuesCount;
    if (total > 0) out.nullProportion = out.nullCount / total;
  }
  return out;
}

export async function profileTable(table: TableDataRequest, options: ProfileOptions = {}): Promise<ProfileResult> {
  const warn = options.warn ?? (() => {});
  const limits = options.limits ?? DEFAULT_LIMITS;
  const timestamp = options.timestamp ?? Date.now();
  const metrics = resolveMetrics(options.metrics, 'processor.config.profiler.metrics');
  const tableMetrics = new Set([...metrics].filter((m): m is TableMetric => isTableMetric(m)));
  const freeStats = !samplingActive(table);
  const csvNulls = usesCsvNulls(table.fileFormat);

  const plans: ColumnPlan[] = selectColumns(table, metrics, options.tableConfig, warn).map(({ column, metrics: wanted }) => {
    const applicable = new Set([...wanted].filter((m) => METRICS_BY_KIND[columnKind(column.dataType)].has(m)));
    const plan: ColumnPlan = { column, metrics: applicable };
    const known = freeStats ? knownFor(table, column) : undefined;
    if (known && [...applicable].every((m) => known[m] !== undefined)) {
      plan.known = known;
      return plan;
    }
    if (applicable.size === 0) return plan;
    plan.spec = {
      column,
      options: {
        trackDistinct: [...applicable].some((m) => DISTINCT_METRICS.has(m)),
        trackQuantiles: [...applicable].some((m) => QUANTILE_METRICS.has(m)),
        csvNulls,
      },
    };
    plan.accumulator = new ColumnAccumulator(column, { ...plan.spec.options, limits });
    return plan;
  });

  const accumulators = plans.filter((p) => p.accumulator).map((p) => p.accumulator!);
  const specs = plans.filter((p) => p.accumulator).map((p) => p.spec!);
  const threads = Math.max(1, Math.floor(options.threads ?? defaultScanThreads()));
  const needRowCount = tableMetrics.has('rowCount') && !(freeStats && table.knownRowCount !== undefined);
  const scanned = accumulators.length > 0 || needRowCount;
  let rowCount = 0;
  // A large file that splits into parts is scanned by worker threads; their accumulators merge here.
  const pass =
    scanned && table.parts && accumulators.length > 0 && threads > 1 && (table.sizeInByte ?? 0) >= (options.parallelMinBytes ?? PARALLEL_MIN_BYTES)
      ? await table.parts(options.signal, { lanes: threads, columns: [...new Set(accumulators.map((a) => a.name))] })
      : undefined;
  let parallel = false;
  const sample = options.sample;
  // Row-wise passes carry every column; a column-chunk pass (threads included) only the profiled ones.
  const profiled = new Set(accumulators.map((a) => a.name));
  const sampleInChunks = sample && sample.columns.every((c) => profiled.has(c.name)) ? sample : undefined;
  let sampleFed = false;
  if (pass) {
    const scanSample = sampleInChunks && {
      rows: sampleInChunks.windowSize,
      add: (column: string, values: unknown[]) => sampleInChunks.addChunk({ column, rowStart: 0, length: values.length, values }),
    };
    try {
      const result = await scanParts(pass, specs, limits, threads, options.signal, scanSample);
      sampleFed = scanSample !== undefined;
      for (const states of result.states) for (let i = 0; i < accumulators.length; i++) accumulators[i].mergeState(states[i]);
      rowCount = result.rowCount;
      parallel = true;
    } catch (err) {
      if (!isWorkerOutOfMemory(err)) throw err;
      // The pass starts over in this thread: so does the sample.
      sampleInChunks?.reset();
      warn(`the worker threads ran out of heap (${workerHeapLimits(specs.length).maxOldGenerationSizeMb} MB each); the table was profiled again in one thread (set scanThreads: 1 to skip the attempt)`);
    }
  }
  if (scanned && !parallel) {
    const names = accumulators.map((a) => a.name);
    if (table.columnChunks && accumulators.length > 0) {
      const feedSample = sampleInChunks;
      sampleFed = feedSample !== undefined;
      // One column of one block at a time (Parquet: one decoded column chunk alive, not a row
      // group): every metric here is per column. Each column covers every row of the pass, so
      // the row count is where the chunks end.
      const byName = accumulatorsByColumn(accumulators);
      for await (const chunk of table.columnChunks([...byName.keys()], options.signal)) {
        for (const a of byName.get(chunk.column) ?? []) a.addColumn(chunk.values, chunk.length);
        if (feedSample?.wantsRows(chunk.rowStart)) feedSample.addChunk(chunk);
        if (chunk.rowStart + chunk.length > rowCount) rowCount = chunk.rowStart + chunk.length;
      }
    } else if (table.batches) {
      // Column batches: one tight loop per column and batch, no object per row.
      sampleFed = sample !== undefined;
      for await (const batch of table.batches(options.signal)) {
        const n = batch.length;
        rowCount += n;
        if (sample && !sample.full) sample.addBatch(batch);
        for (let i = 0; i < accumulators.length; i++) accumulators[i].addColumn(batch.columns[names[i]], n);
      }
    } else {
      sampleFed = sample !== undefined;
      for await (const row of table.rows(options.signal)) {
        rowCount++;
        if (sample && !sample.full) sample.addRow(row);
        for (let i = 0; i < accumulators.length; i++) accumulators[i].add(row[names[i]]);
      }
    }
  } else if (!scanned && table.knownRowCount !== undefined) {
    rowCount = table.knownRowCount;
  }

  if (sample && !sampleFed) await readSampleHead(table, sample, options.signal);

  const tableProfile: TableProfile = { timestamp };
  const sampling = table.sampling ?? {};
  const profileSample = sampling.profileSample ?? options.tableConfig?.profileSample;
  const profileSampleType = sampling.profileSampleType ?? options.tableConfig?.profileSampleType;
  if (profileSample !== undefined) {
    tableProfile.profileSample = profileSample;
    tableProfile.profileSampleType = profileSampleType ?? 'PERCENTAGE';
  }
  if (tableMetrics.has('columnCount')) tableProfile.columnCount = table.columns.length;
  if (tableMetrics.has('rowCount')) tableProfile.rowCount = scanned ? rowCount : (table.knownRowCount ?? rowCount);
  if (tableMetrics.has('sizeInByte') && table.sizeInByte !== undefined) tableProfile.sizeInByte = table.sizeInByte;

  const approximateMetrics: string[] = [];
  const columnProfile: ColumnProfile[] = [];
  for (const plan of plans) {
    const cp: ColumnProfile = { name: plan.column.name, timestamp };
    let source: Partial<ColumnProfile> | undefined = plan.known;
    if (plan.accumulator) {
      const { stats, approximate } = plan.accumulator.stats();
      source = stats;
      for (const m of approximate) if (plan.metrics.has(m)) approximateMetrics.push(`${plan.column.name}.${m}`);
      if (stats.invalidCount > 0) {
        warn(`column ${plan.column.name}: ${stats.invalidCount} value(s) could not be read as ${plan.column.dataType}; they count as non-null but in no value metric`);
        cp.validCount = stats.validCount;
      }
    }
    if (source) {
      for (const m of COLUMN_METRICS) {
        if (!plan.metrics.has(m)) continue;
        const v = source[m];
        if (v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) (cp as unknown as Record<string, unknown>)[m] = v;
      }
      if (plan.metrics.has('stddev') && source.variance !== undefined) cp.variance = source.variance;
    }
    columnProfile.push(cp);
  }
  return {
    profile: { tableProfile, columnProfile },
    approximateMetrics,
    columnNames: table.columns.map((c) => c.name),
    scanned,
  };
}
