/** Reading ahead: order, bounds, failures, and the split passes that use it (CSV ranges, Parquet parts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ColumnChunk, TablePartsPass } from '@om/core';
import type { ObjectStore } from '../object-store';
import { duckdb } from '../test-support/duckdb';
import { tempLake } from '../test-support/lake';
import { delimitedParts } from '../formats/delimited/parts';
import { openPartDecoder, type PartDecoderOptions } from '../formats/part-decoder';
import { parquetParts } from '../formats/parquet/parts';
import { readRows, type FileLocation } from '../formats/table-data';
import { LOCAL_READ_AHEAD, READ_AHEAD, readAhead, readAheadFor } from './read-ahead';

const tick = (ms = 1): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('readAhead', () => {
  it('yields in job order while later reads run, within the byte and read bounds', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let started = 0;
    const sizes = [5, 1, 1, 1, 4, 4, 4, 1, 1];
    const read = async (i: number): Promise<number> => {
      started++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Later jobs finish first: the order must still be the jobs'.
      await tick(10 - i);
      inFlight--;
      return i;
    };
    const out: number[] = [];
    const startedWhenTaken: number[] = [];
    for await (const i of readAhead(sizes.keys(), (i) => sizes[i], read, { maxBytes: 8, maxReads: 3 })) {
      startedWhenTaken.push(started);
      out.push(i);
      await tick(15);
    }
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
    // When job i is taken, the reads after it within 8 bytes and 3 reads have started.
    expect(startedWhenTaken[0]).toBe(4); // 1, 2, 3: three reads
    expect(startedWhenTaken[4]).toBe(7); // 5 and 6: 8 bytes; 7 waits
  });

  it('starts a job larger than the budget when nothing else waits', async () => {
    const out: number[] = [];
    for await (const x of readAhead([100, 200], (x) => x, async (x) => x, { maxBytes: 10, maxReads: 2 })) out.push(x);
    expect(out).toEqual([100, 200]);
  });

  it('a failed read fails the iteration at its turn; an early return leaves no unhandled rejection', async () => {
    const read = async (i: number): Promise<number> => {
      await tick();
      if (i === 2) throw new Error('read 2 failed');
      return i;
    };
    const out: number[] = [];
    await expect(
      (async () => {
        for await (const i of readAhead([0, 1, 2, 3], () => 1, read, { maxBytes: 10, maxReads: 4 })) out.push(i);
      })(),
    ).rejects.toThrow('read 2 failed');
    expect(out).toEqual([0, 1]);

    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown): void => void unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      for await (const i of readAhead([0, 1, 2, 3], () => 1, read, { maxBytes: 10, maxReads: 4 })) if (i === 0) break;
      await tick(20);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});

describe('readAheadFor', () => {
  it('reads ahead of a remote store, and only the next read of a local disk (no round trip to hide)', () => {
    expect(readAheadFor({})).toBe(READ_AHEAD);
    expect(readAheadFor({ wholeRangedReads: true })).toBe(LOCAL_READ_AHEAD);
    expect(LOCAL_READ_AHEAD.maxReads).toBe(1);
  });
});

/** The lake's store with slow reads, counting the reads in flight at once. */
function slowStore(store: ObjectStore): { store: ObjectStore; maxInFlight: () => number; reads: () => number } {
  let inFlight = 0;
  let max = 0;
  let reads = 0;
  const slow: ObjectStore = Object.create(store);
  // Slow like a remote store, so passes read ahead of their consumer (a local disk's reads do not).
  Object.defineProperty(slow, 'wholeRangedReads', { value: false });
  const counted = async <T>(read: () => Promise<T>): Promise<T> => {
    reads++;
    inFlight++;
    max = Math.max(max, inFlight);
    try {
      await tick(2);
      return await read();
    } finally {
      inFlight--;
    }
  };
  slow.readRange = (b, k, start, end) => counted(() => store.readRange(b, k, start, end));
  // Split passes read into their recycled buffers.
  slow.readRangeInto = (b, k, start, into) => counted(() => store.readRangeInto!(b, k, start, into));
  return { store: slow, maxInFlight: () => max, reads: () => reads };
}

async function decodeAll(pass: TablePartsPass, columns: string[]): Promise<Record<string, unknown[]>> {
  const decoder = openPartDecoder(structuredClone(pass.decoderOptions) as PartDecoderOptions);
  const out: Record<string, unknown[]> = Object.fromEntries(columns.map((c) => [c, []]));
  const byLane = new Map<number, Record<string, unknown[]>>();
  for await (const part of pass.parts) {
    const lane = byLane.get(part.lane ?? 0) ?? Object.fromEntries(columns.map((c) => [c, []]));
    byLane.set(part.lane ?? 0, lane);
    for await (const chunk of decoder.columnChunks(structuredClone(part.payload), columns) as AsyncIterable<ColumnChunk>) {
      for (let i = 0; i < chunk.length; i++) {
        const v = chunk.values?.[i];
        lane[chunk.column].push(v === undefined || (chunk.values instanceof Float64Array && Number.isNaN(v)) ? null : v);
      }
    }
  }
  for (const lane of byLane.values()) for (const c of columns) out[c].push(...lane[c]);
  return out;
}

const lake = tempLake('om-read-ahead-');

describe('split passes read ahead', () => {
  const columnsOf = (rows: Record<string, unknown>[], names: string[]): Record<string, unknown[]> =>
    Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n] ?? null)]));

  it('CSV: ranges read ahead decode to the same rows, records longer than the overlap or a part included', async () => {
    const lines = ['id,name,note'];
    for (let i = 0; i < 400; i++) {
      // Mostly short records; some longer than the overlap (part / 8), a few longer than a part.
      const note = i % 50 === 7 ? 'L'.repeat(700) : i % 9 === 0 ? `"q${i}\n${'z'.repeat(60)}"` : `n${i}`;
      lines.push(`${i},name ${i},${note}`);
    }
    const location = lake.put('ra/t.csv', `${lines.join('\n')}\n`);
    const whole = await (async () => {
      const rows: Record<string, unknown>[] = [];
      for await (const r of readRows(location)) rows.push(r);
      return rows;
    })();
    const slow = slowStore(lake.store);
    const file: FileLocation = { ...location, store: slow.store };
    const pass = (await delimitedParts(file, ',', undefined, 512))!;
    const names = ['id', 'name', 'note'];
    expect(await decodeAll(pass, names)).toEqual(columnsOf(whole, names));
    expect(slow.maxInFlight()).toBeGreaterThan(1);
  });

  it('Parquet: the parts ahead are read while earlier ones are taken, each part\'s runs at once', async () => {
    const q = path.join(lake.root, lake.bucket, 'ra/n.parquet').replace(/'/g, "''");
    fs.mkdirSync(path.dirname(q), { recursive: true });
    await duckdb([
      `COPY (SELECT i AS id, 'c' || (i % 13) AS cat, i * 0.5 AS x FROM range(20000) t(i)) TO '${q}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
    ]);
    const location = lake.location('ra/n.parquet');
    const whole: Record<string, unknown>[] = [];
    for await (const r of readRows(location)) whole.push(r);
    const slow = slowStore(lake.store);
    const pass = (await parquetParts({ ...location, store: slow.store }, undefined, { lanes: 2 }))!;
    const names = ['id', 'cat', 'x'];
    expect(await decodeAll(pass, names)).toEqual(columnsOf(whole, names));
    expect(slow.maxInFlight()).toBeGreaterThan(1);
  });
});
