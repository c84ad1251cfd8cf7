import { FORMAT_HANDLERS, formatOf, handlerOf } from './registry';

describe('format registry', () => {
  it('picks the handler and compression by suffix, longest suffix first, case-insensitively', () => {
    const cases: [string, string, string, string][] = [
      ['a/b.parquet.snappy', 'parquet.snappy', 'parquet', 'none'],
      ['x.JSONL.GZ', 'jsonl.gz', 'jsonl', 'gzip'],
      ['x.jsonl.zip', 'jsonl.zip', 'jsonl', 'zip'],
      ['x.json.gz', 'json.gz', 'json', 'gzip'],
      ['x.json.zip', 'json.zip', 'json', 'zip'],
      ['x.csv.gz', 'csv.gz', 'csv', 'gzip'],
      ['x.parquet', 'parquet', 'parquet', 'none'],
      ['x.jsonl', 'jsonl', 'jsonl', 'none'],
      ['x.json', 'json', 'json', 'none'],
      ['x.avro', 'avro', 'avro', 'none'],
      ['x.parq', 'parq', 'parquet', 'none'],
      ['x.csv', 'csv', 'csv', 'none'],
      ['x.tsv', 'tsv', 'tsv', 'none'],
      ['x.pqt', 'pqt', 'parquet', 'none'],
      ['x.pq', 'pq', 'parquet', 'none'],
    ];
    for (const [key, fileFormat, reader, compression] of cases) expect([key, formatOf(key)]).toEqual([key, { fileFormat, reader, compression }]);
    for (const key of ['data_csv', 'csv', 'dir/', 'x.gz', 'x.txt']) expect(formatOf(key)).toBeUndefined();
  });

  it('has a handler for every format it recognizes, each reading schema and rows', () => {
    for (const [reader, handler] of Object.entries(FORMAT_HANDLERS)) {
      expect(typeof handler.schema).toBe('function');
      expect(typeof handler.rows).toBe('function');
      for (const s of handler.suffixes) expect(handlerOf(formatOf(`f.${s.suffix}`)!)).toBe(handler);
      expect(handler.suffixes.length).toBeGreaterThan(0);
      expect(reader).toMatch(/^[a-z]+$/);
    }
    expect(() => handlerOf({ fileFormat: 'csv', reader: 'xlsx', compression: 'none' })).toThrow(/no format handler "xlsx"/);
  });
});
