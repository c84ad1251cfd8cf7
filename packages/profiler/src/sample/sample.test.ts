import type { Column } from '@om/core';
import { batchesOfRows, chunksOfBatches } from '@om/core';
import { SampleCollector, sampleColumns } from './collector';
import { isoDateTime, renderSampleValue } from './render';
import { profileTable } from '../metrics/profile';
import { memoryTable } from '../testing/tables';
import { ProfilerProcessor } from '../processors';

const col = (name: string, dataType: Column['dataType'], extra: Partial<Column> = {}): Column => ({ name, dataType, ...extra });

describe('sample values rendered as OpenMetadata sends them', () => {
  // pydantic serializes TableData rows: datetime → isoformat, date → YYYY-MM-DD, Decimal → text
  // (sampler/pandas/sampler.py takes `values.tolist()`, the sink sends `model_dump_json`).
  it('date-times, dates, times, decimals, nested values, bytes, long text', () => {
    const ms = Date.UTC(2024, 0, 3, 10, 20, 30, 123);
    expect(renderSampleValue(ms, col('t', 'TIMESTAMP'))).toBe('2024-01-03T10:20:30.123000');
    expect(renderSampleValue(Date.UTC(2024, 0, 3), col('t', 'DATETIME'))).toBe('2024-01-03T00:00:00');
    expect(renderSampleValue(ms, col('t', 'TIMESTAMPZ'))).toBe('2024-01-03T10:20:30.123000Z');
    expect(renderSampleValue(Date.UTC(2024, 0, 3), col('d', 'DATE'))).toBe('2024-01-03');
    expect(renderSampleValue(3723.5, col('c', 'TIME'))).toBe('01:02:03.500000');
    expect(renderSampleValue(12.5, col('p', 'DECIMAL', { precision: 10, scale: 2 }))).toBe('12.50');
    expect(renderSampleValue(7, col('n', 'INT'))).toBe(7);
    expect(renderSampleValue(10n, col('n', 'BIGINT'))).toBe(10);
    expect(renderSampleValue(2n ** 70n, col('n', 'BIGINT'))).toBe('1180591620717411303424');
    expect(renderSampleValue(Infinity, col('n', 'DOUBLE'))).toBeNull();
    expect(renderSampleValue({ a: [1, { b: 'x' }] }, col('j', 'JSON'))).toBe('{"a":[1,{"b":"x"}]}');
    expect(renderSampleValue(new Uint8Array([104, 105]), col('b', 'BINARY'))).toBe('hi');
    expect(renderSampleValue(new Uint8Array([0xff, 0x00, 0xfe]), col('b', 'BINARY'))).toBe('/wD+');
    expect(renderSampleValue('x'.repeat(5000), col('s', 'STRING'))).toHaveLength(1000);
    expect(renderSampleValue('x'.repeat(50), col('s', 'STRING'), 20)).toHaveLength(20);
    expect(renderSampleValue(`${'x'.repeat(19)}😀`, col('s', 'STRING'), 20)).toBe('x'.repeat(19)); // no half surrogate
    expect(isoDateTime(NaN, false)).toBeUndefined();
  });
});

describe('SampleCollector', () => {
  const columns = [col('id', 'INT'), col('name', 'STRING'), col('at', 'TIMESTAMP')];
  const rows = Array.from({ length: 200 }, (_, i) => ({ id: i, name: i % 3 === 0 ? null : `n${i}`, at: Date.UTC(2024, 0, 1) + i * 1000 }));

  it('keeps only rows without a missing value, in order, at most count (DatalakeSampler._fetch_rows: dropna)', () => {
    const s = new SampleCollector(columns, { count: 5 });
    for (const r of rows) s.addRow(r);
    const out = s.result();
    expect(out.columns).toEqual(['id', 'name', 'at']);
    expect(out.rows.map((r) => r[0])).toEqual([1, 2, 4, 5, 7]);
    expect(out.rows[0]).toEqual([1, 'n1', '2024-01-01T00:00:01']);
  });

  it('gives the same rows from rows, column batches and column chunks', async () => {
    const fromRows = new SampleCollector(columns, { count: 20 });
    for (const r of rows) fromRows.addRow(r);
    const fromBatches = new SampleCollector(columns, { count: 20 });
    for await (const b of batchesOfRows((async function* () { yield* rows; })(), 7)) fromBatches.addBatch(b);
    const fromChunks = new SampleCollector(columns, { count: 20 });
    for await (const c of chunksOfBatches(batchesOfRows((async function* () { yield* rows; })(), 7), ['id', 'name', 'at'])) {
      if (fromChunks.wantsRows(c.rowStart)) fromChunks.addChunk(c);
    }
    expect(fromBatches.result()).toEqual(fromRows.result());
    expect(fromChunks.result()).toEqual(fromRows.result());
  });

  it('CSV tables: pandas NA strings are missing values', () => {
    const s = new SampleCollector([col('a', 'STRING')], { count: 5, csvNulls: true });
    for (const a of ['x', 'NA', '', 'null', 'y']) s.addRow({ a });
    expect(s.result().rows).toEqual([['x'], ['y']]);
  });

  it('includeColumns wins over excludeColumns (SamplerInterface.columns)', () => {
    expect(sampleColumns(columns, { includeColumns: [{ columnName: 'at' }, { columnName: 'id' }], excludeColumns: ['id'] }).map((c) => c.name)).toEqual(['id', 'at']);
    expect(sampleColumns(columns, { excludeColumns: ['name'] }).map((c) => c.name)).toEqual(['id', 'at']);
  });
});

describe('profileTable feeds the sample from its own pass', () => {
  const columns = [col('id', 'INT'), col('v', 'DOUBLE')];
  const data = Array.from({ length: 100 }, (_, i) => ({ id: i, v: i / 2 }));

  it('row path: one pass for profile and sample', async () => {
    const table = memoryTable(columns, data);
    const sample = new SampleCollector(columns, { count: 3 });
    const r = await profileTable(table, { sample, threads: 1 });
    expect(table.passes).toBe(1);
    expect(r.profile.tableProfile.rowCount).toBe(100);
    expect(sample.result().rows).toEqual([[0, 0], [1, 0.5], [2, 1]]);
  });

  it('a column the profile does not read (footer statistics) comes from a head read that stops early', async () => {
    let rowsRead = 0;
    const table = memoryTable(columns, function* () {
      for (const r of data) {
        rowsRead++;
        yield r;
      }
    }, { knownRowCount: 100, knownColumnStats: { id: { min: 0, max: 99, nullCount: 0 }, v: { min: 0, max: 49.5, nullCount: 0 } } });
    const sample = new SampleCollector(columns, { count: 3 });
    await profileTable(table, { sample, threads: 1, metrics: ['rowCount', 'min', 'max', 'nullCount'] });
    expect(sample.result().rows).toHaveLength(3);
    expect(rowsRead).toBeLessThan(10);
  });
});

describe('orm-profiler sample settings', () => {
  const people = () => memoryTable({ id: 'INT', customer_email: 'STRING' }, [{ id: 1, customer_email: 'a@example.com' }, { id: 2, customer_email: 'b@example.com' }]);
  const run = async (sourceConfig: Record<string, unknown>) => {
    const p = new ProfilerProcessor({}, { signal: new AbortController().signal, logger: { warn() {}, info() {}, debug() {}, error() {} } as never, workflowConfig: { source: { type: 'datalake', serviceName: 's', sourceConfig: { config: sourceConfig } } } as never }, { now: () => 1 });
    const out = await p.process({ kind: 'profileRequest', table: people() });
    return out.map((e) => (e.ok ? e.value.kind : 'failure'));
  };
  it('Profiler: sample by default (generateSampleData true), tags only with processPiiSensitive', async () => {
    expect(await run({ type: 'Profiler' })).toEqual(['tableProfile', 'x-sampleData']);
    expect(await run({ type: 'Profiler', generateSampleData: false })).toEqual(['tableProfile']);
    expect(await run({ type: 'Profiler', generateSampleData: false, processPiiSensitive: true })).toEqual(['tableProfile', 'x-columnTags']);
  });
  it('AutoClassification: no profile; storeSampleData false by default; sampleDataCount 0 classifies by names alone', async () => {
    expect(await run({ type: 'AutoClassification' })).toEqual(['x-columnTags']);
    expect(await run({ type: 'AutoClassification', storeSampleData: true })).toEqual(['x-sampleData', 'x-columnTags']);
    expect(await run({ type: 'AutoClassification', sampleDataCount: 0 })).toEqual(['x-columnTags']);
    expect(await run({ type: 'AutoClassification', enableAutoClassification: false })).toEqual([]);
  });
});
