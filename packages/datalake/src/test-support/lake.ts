/** Test-only: a temporary local bucket with helpers to write files and locate them. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatOf } from '../formats/registry';
import { LocalObjectStore } from '../local-store';
import type { FileLocation } from '../formats/table-data';

export interface TempLake {
  root: string;
  bucket: string;
  store: LocalObjectStore;
  /** Writes `bucket/key` and returns its location. */
  put(key: string, data: string | Buffer): FileLocation;
  location(key: string): FileLocation;
}

/** A lake created before the file's tests and removed after them (call at describe/file level). */
export function tempLake(prefix: string, bucket = 'lake'): TempLake {
  const lake = { bucket } as TempLake;
  beforeAll(() => {
    lake.root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.mkdirSync(path.join(lake.root, bucket));
    lake.store = new LocalObjectStore({ root: lake.root });
  });
  afterAll(() => fs.rmSync(lake.root, { recursive: true, force: true }));
  lake.location = (key) => ({ store: lake.store, bucket, key, size: fs.statSync(path.join(lake.root, bucket, key)).size, format: formatOf(key)! });
  lake.put = (key, data) => {
    const file = path.join(lake.root, bucket, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
    return lake.location(key);
  };
  return lake;
}
