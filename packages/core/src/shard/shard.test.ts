import { configHash, folderUnits, inShard, parseShardSpec, planShards, type ShardRange } from './plan';
import { mergeShardReports, type ShardReport } from './report';

describe('shard plans', () => {
  const units = folderUnits('lake', 'raw/', ['a', 'b', 'c', 'd', 'e']);

  it('cuts a listing at folder boundaries: every key in exactly one unit, no folder split', () => {
    expect(units).toEqual([
      { schema: 'lake', to: 'raw/b/' },
      { schema: 'lake', from: 'raw/b/', to: 'raw/c/' },
      { schema: 'lake', from: 'raw/c/', to: 'raw/d/' },
      { schema: 'lake', from: 'raw/d/', to: 'raw/e/' },
      { schema: 'lake', from: 'raw/e/' },
    ]);
    const keys = ['raw/0.csv', 'raw/a/x.csv', 'raw/a.csv', 'raw/b/y.csv', 'raw/c/d/z.csv', 'raw/e/w.csv', 'raw/zz.csv'];
    for (const key of keys) expect(units.filter((u) => inShard([u], 'lake', key)).length).toBe(1);
  });

  it('gives each shard a contiguous run, merged into ranges; more shards than units leaves some empty', () => {
    const plan = planShards(units, 2, configHash({ a: 1 }));
    expect(plan.shards).toEqual([[{ schema: 'lake', to: 'raw/c/' }], [{ schema: 'lake', from: 'raw/c/' }]]);
    expect(planShards(units.slice(0, 2), 3, 'h').shards.map((s) => s.length)).toEqual([0, 1, 1]);
    // Tables listed by name (DynamoDB): one name range per table, split as evenly.
    const tables: ShardRange[] = [{ schema: 'default', to: 't2' }, { schema: 'default', from: 't2', to: 't3' }, { schema: 'default', from: 't3' }];
    expect(planShards(tables, 2, 'h').shards).toEqual([[{ schema: 'default', to: 't2' }], [{ schema: 'default', from: 't2' }]]);
  });

  it('reads a shard as plan.json#3 or 3/16, and says how when it cannot', () => {
    expect(parseShardSpec('plans/p.json#3')).toEqual({ planFile: 'plans/p.json', index: 3, of: -1 });
    expect(parseShardSpec('3/16')).toEqual({ index: 3, of: 16 });
    expect(() => parseShardSpec('16/16')).toThrow('give a shard as plan.json#INDEX or INDEX/COUNT');
    expect(configHash({ b: 1, a: [1, { c: 2 }] })).toBe(configHash({ a: [1, { c: 2 }], b: 1 }));
  });
});

describe('merging shard reports', () => {
  const plan = planShards(folderUnits('lake', '', ['a', 'b']), 2, 'h');
  const report = (index: number, complete: boolean, tables: string[], state = 'success', finishedAt = '2026-01-01T00:00:00Z'): { file: string; report: ShardReport } => ({
    file: `shard-${index}.json`,
    report: {
      version: 1, configHash: 'h', plan, shard: { index, of: 2 }, startedAt: '2026-01-01T00:00:00Z', finishedAt, state,
      steps: [{ step: 'Source datalake', records: tables.length, updated: 0, warnings: 0, filtered: 0, errors: complete ? 0 : 1 }],
      failures: complete ? [] : [{ name: 'lake', error: 'listing failed' }],
      schemas: { 'svc.default.lake': { complete, markDeletedTables: true, tables } },
    },
  });

  it('unions what the shards saw and sums their counts', () => {
    const m = mergeShardReports(plan, [report(0, true, ['svc.default.lake.a']), report(1, true, ['svc.default.lake.b'])]);
    expect(m.missing).toEqual([]);
    expect(m.schemas).toEqual([{ fqn: 'svc.default.lake', seen: new Set(['svc.default.lake.a', 'svc.default.lake.b']), markDeletedTables: true, blockedBy: [] }]);
    expect(m.steps).toEqual([{ step: 'Source datalake', records: 2, updated: 0, warnings: 0, filtered: 0, errors: 0 }]);
  });

  it('a missing or incomplete shard blocks deletion for its schemas; its re-run completes the picture', () => {
    expect(mergeShardReports(plan, [report(0, true, ['a'])]).schemas[0].blockedBy).toEqual(['shard 1 has no report']);
    expect(mergeShardReports(plan, [report(0, true, ['a']), report(1, false, [], 'failed')]).schemas[0].blockedBy).toEqual([
      'shard 1 did not complete its listing',
      'shard 1 failed',
    ]);
    const rerun = mergeShardReports(plan, [report(0, true, ['a']), report(1, false, [], 'failed'), report(1, true, ['b'], 'success', '2026-01-02T00:00:00Z')]);
    expect(rerun.schemas[0].blockedBy).toEqual([]);
  });

  it("refuses another config's reports, naming the file", () => {
    const other = report(0, true, []);
    other.report.configHash = 'x';
    expect(() => mergeShardReports(plan, [other])).toThrow('shard-0.json is the report of another config');
  });
});
