import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../logger';
import { folderUnits, planShards } from '../shard/plan';
import { localRunFiles } from '../run-files';
import type { ShardContext } from '../steps';
import { IncrementalState, mergeShardStates as mergeStates, shardStateFile } from './state';

async function open(file: string, hash: string, tool: string, logger: Logger, shard?: ShardContext): Promise<IncrementalState> {
  const state = new IncrementalState(file, hash, tool, logger, shard);
  await state.load(localRunFiles);
  return state;
}
const mergeShardStates = (file: string, count: number, hash: string, tool: string) => mergeStates(localRunFiles, file, count, hash, tool);

function lines(): { logger: Logger; info: string[] } {
  const info: string[] = [];
  return { info, logger: { level: 'INFO', debug: () => undefined, info: (m) => info.push(m), warn: () => undefined, error: () => undefined } };
}

const SCHEMA = 'svc.default.lake';
const fqn = (name: string) => `${SCHEMA}."${name}"`;
const fp = (key: string, v: string) => ({ key, fingerprint: `${key}@${v}` });

describe('incremental state', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-state-'));
    file = path.join(dir, 'state.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  let runs = 0;
  /** One run: `written` tables go through the sink (fingerprint `key@runN`), `unchanged` are skipped, `failed` fail to write. */
  async function run(opts: { written?: string[]; unchanged?: string[]; failed?: string[]; complete?: boolean; version?: string; hash?: string }, shard?: ShardContext) {
    const log = lines();
    runs++;
    const state = await open(file, opts.hash ?? 'h', opts.version ?? '1.0.0', log.logger, shard);
    const before = (name: string) => state.previous(fqn(name));
    for (const name of opts.written ?? []) {
      state.seen(fqn(name), false);
      state.commit(fqn(name), SCHEMA, fp(name, `run${runs}`));
    }
    for (const name of opts.unchanged ?? []) {
      state.seen(fqn(name), true);
      state.commit(fqn(name), SCHEMA, { key: name, fingerprint: before(name)! });
    }
    for (const name of opts.failed ?? []) state.seen(fqn(name), false);
    state.schemaDone(SCHEMA, opts.complete ?? true);
    await state.save();
    return { state, info: log.info, entries: [...state.entries().keys()].sort() };
  }

  it('a missing, corrupt or foreign state means a full run, said in one line', async () => {
    expect((await run({ written: ['a.csv'] })).info).toEqual([`Incremental state ${file}: no state yet; a full run (every table is read), the state is written at the end`]);
    expect((await run({})).info).toEqual([`Incremental state ${file}: 1 table(s) known; only new or changed tables are read`]);
    expect((await run({ hash: 'other' })).info[0]).toContain('was written for another config (hash h, this config other); a full run');
    expect((await run({ hash: 'other', version: '2.0.0' })).info[0]).toContain('was written by om-ingest 1.0.0 (this is 2.0.0); a full run');
    fs.writeFileSync(file, '{"version":1,"configHash":"h","sch');
    expect((await run({})).info[0]).toMatch(/is not valid JSON .*; a full run/);
    fs.writeFileSync(file, '{"version":7}');
    expect((await run({})).info[0]).toContain('is not an om-ingest state file (version 1); a full run');
  });

  it('keeps what was written or unchanged, forgets failed tables and tables a complete listing no longer has', async () => {
    runs = 0;
    await run({ written: ['a.csv', 'b.csv', 'c.csv', 'd.csv'] });
    const second = await run({ unchanged: ['a.csv'], written: ['b.csv'], failed: ['c.csv'] });
    // d.csv was not listed in a complete schema: gone. c.csv failed: read again next time.
    expect(second.entries).toEqual([fqn('a.csv'), fqn('b.csv')]);
    expect(second.state.counts).toEqual({ unchanged: 1, read: 2 });
    const reopened = await open(file, 'h', '1.0.0', lines().logger);
    expect(reopened.previous(fqn('a.csv'))).toBe('a.csv@run1');
    expect(reopened.previous(fqn('b.csv'))).toBe('b.csv@run2');
    expect(reopened.previous(fqn('c.csv'))).toBeUndefined();
  });

  it('an incomplete listing keeps the entries of the tables it did not reach', async () => {
    await run({ written: ['a.csv', 'b.csv'] });
    expect((await run({ unchanged: ['a.csv'], complete: false })).entries).toEqual([fqn('a.csv'), fqn('b.csv')]);
  });

  it('a shard keeps its own file with only its ranges; finalize merges the shard files into the main one', async () => {
    runs = 0;
    await run({ written: ['a/1.csv', 'b/1.csv', 'c/1.csv'] });
    const plan = planShards(folderUnits('lake', '', ['a', 'b', 'c', 'd']), 2, 'h');
    const shard0 = { index: 0, of: 2, ranges: plan.shards[0] }; // a/, b/
    const shard1 = { index: 1, of: 2, ranges: plan.shards[1] }; // c/, d/
    // Shard 0: b/1.csv changed, b/2.csv is new, a/1.csv unchanged.
    const s0 = await run({ unchanged: ['a/1.csv'], written: ['b/1.csv', 'b/2.csv'] }, shard0);
    expect(s0.entries).toEqual([fqn('a/1.csv'), fqn('b/1.csv'), fqn('b/2.csv')]);
    expect(fs.existsSync(shardStateFile(file, shard0))).toBe(true);
    // Shard 1 saw its range empty: c/1.csv is gone.
    expect((await run({}, shard1)).entries).toEqual([]);
    // A re-run of shard 0 starts from its own file, newer than the main one.
    expect((await open(file, 'h', '1.0.0', lines().logger, shard0)).previous(fqn('b/1.csv'))).toBe('b/1.csv@run2');

    expect(await mergeShardStates(file, 2, 'h', '1.0.0')).toEqual({ tables: 3, merged: [0, 1] });
    expect(fs.existsSync(shardStateFile(file, shard0))).toBe(false);
    const merged = await open(file, 'h', '1.0.0', lines().logger);
    expect(merged.previous(fqn('b/2.csv'))).toBe('b/2.csv@run2');
    expect(merged.previous(fqn('a/1.csv'))).toBe('a/1.csv@run1');
    expect(merged.previous(fqn('c/1.csv'))).toBeUndefined();
  });

  it("a shard without a state file keeps the main file's entries for its ranges", async () => {
    runs = 0;
    await run({ written: ['a/1.csv', 'c/1.csv'] });
    const plan = planShards(folderUnits('lake', '', ['a', 'b', 'c', 'd']), 2, 'h');
    await run({ written: ['a/1.csv'] }, { index: 0, of: 2, ranges: plan.shards[0] });
    expect(await mergeShardStates(file, 2, 'h', '1.0.0')).toEqual({ tables: 2, merged: [0] });
    const merged = await open(file, 'h', '1.0.0', lines().logger);
    expect(merged.previous(fqn('a/1.csv'))).toBe('a/1.csv@run2');
    expect(merged.previous(fqn('c/1.csv'))).toBe('c/1.csv@run1');
  });
});
