/**
 * Run files: what the steps of a sharded or incremental run hand each other (the shard plan, the shard
 * reports, the incremental state). A location is a local path, or a URL in the source's own store
 * (`s3://bucket/.om-ingest/state.json`) for pods that share no volume: the source serves its scheme
 * with the credentials of its connection (`Source.runFiles`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './errors';
import type { Source } from './steps';

export interface RunFileStore {
  /** The file's text, or undefined when there is none. */
  read(location: string): Promise<string | undefined>;
  /** Writes the whole file (atomically where the store can: a reader never sees half of it). */
  write(location: string, text: string): Promise<void>;
  /** Locations of the files under a folder (a path, or a URL prefix), in key order. */
  list(folder: string): Promise<string[]>;
  remove(location: string): Promise<void>;
}

/** `s3` for `s3://bucket/key`; undefined for a local path (Windows drive letters are paths too). */
export function locationScheme(location: string): string | undefined {
  return /^([a-z][a-z0-9+.-]+):\/\//i.exec(location)?.[1].toLowerCase();
}

/** A local path made absolute (from the working folder); a URL as it is. */
export function absoluteLocation(location: string): string {
  return locationScheme(location) ? location : path.resolve(location);
}

/** `s3://bucket/a/b.json` → bucket and key. */
export function splitLocation(location: string): { bucket: string; key: string } {
  const rest = location.replace(/^[a-z][a-z0-9+.-]+:\/\//i, '');
  const slash = rest.indexOf('/');
  return slash < 0 ? { bucket: rest, key: '' } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

export const localRunFiles: RunFileStore = {
  async read(location) {
    try {
      return await fs.promises.readFile(location, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  },
  async write(location, text) {
    await fs.promises.mkdir(path.dirname(path.resolve(location)), { recursive: true });
    const tmp = `${location}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, text);
    await fs.promises.rename(tmp, location);
  },
  async list(folder) {
    try {
      return (await fs.promises.readdir(folder)).sort().map((name) => path.join(folder, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  },
  async remove(location) {
    await fs.promises.rm(location, { force: true });
  },
};

/**
 * The store for a location: local paths as files; a URL through the source, which serves the scheme of
 * its own store. `option` names the flag in the error for a scheme no loaded source serves.
 */
export function runFilesFor(location: string, source: Pick<Source, 'runFiles'> | undefined, option: string): RunFileStore {
  const scheme = locationScheme(location);
  if (!scheme) return localRunFiles;
  const files = source?.runFiles?.(scheme);
  if (!files) {
    throw ConfigError.single(
      option,
      `${location}: run files at ${scheme}:// need a source whose store is ${scheme} (this source cannot write there)`,
      'give a local path (a volume the steps share), or a location in the bucket store of the source, e.g. s3://<bucket>/.om-ingest/state.json',
    );
  }
  return files;
}
