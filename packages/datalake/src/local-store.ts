/**
 * The local-filesystem ObjectStore (`configSource` of `localConfig`).
 *
 * Mapping: a root directory (`configSource.root`, relative to the config file's folder; default:
 * that folder) holds one sub-directory per bucket. An object key is the file's path relative to its
 * bucket directory, with `/` separators. A `bucketName` may also be an absolute directory, which is
 * then the bucket itself. Hidden directories in the root are not buckets.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonSchema } from '@om/core';
import { ObjectStoreError, type ByteStream, type ListOptions, type ObjectInfo, type ObjectStore, type ObjectStoreContext, type ObjectStoreFactory } from './object-store';

export const localConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    root: {
      type: 'string',
      minLength: 1,
      description: 'om-ingest: directory whose sub-directories are the buckets (relative to the config file; default its folder)',
    },
  },
};

export interface LocalStoreOptions {
  /** Directory holding the buckets. */
  root: string;
  /** Told about every entry a listing leaves out that a user could expect to see (links, sockets...). */
  onSkipped?: (bucket: string, key: string, reason: string) => void;
}

function classify(err: unknown, bucket: string, key: string | undefined, what: string): ObjectStoreError {
  const code = (err as NodeJS.ErrnoException).code;
  const where = key === undefined ? `bucket "${bucket}"` : `object "${key}" in bucket "${bucket}"`;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ObjectStoreError('NotFound', `${where} not found`, bucket, key);
  if (code === 'EACCES' || code === 'EPERM') return new ObjectStoreError('AccessDenied', `access denied to ${where}`, bucket, key);
  if (code === 'EMFILE' || code === 'ENFILE') return new ObjectStoreError('Throttled', `too many open files while ${what} ${where}`, bucket, key);
  return new ObjectStoreError('Other', `cannot ${what} ${where}: ${(err as Error).message}`, bucket, key, { cause: err });
}

/** Byte-order comparison of keys, as S3/GCS/Azure list them. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local';
  /** A file read gives all the bytes there are or fails: checked reads need no resumable stream. */
  readonly wholeRangedReads = true;
  readonly root: string;
  private readonly onSkipped: LocalStoreOptions['onSkipped'];

  constructor(options: LocalStoreOptions) {
    this.root = path.resolve(options.root);
    this.onSkipped = options.onSkipped;
  }

  bucketDir(bucket: string): string {
    if (!bucket || bucket.includes('\0')) throw new ObjectStoreError('NotFound', `bucket "${bucket}" not found`, bucket);
    if (path.isAbsolute(bucket)) return path.resolve(bucket);
    const dir = path.resolve(this.root, bucket);
    if (dir !== this.root && !dir.startsWith(this.root + path.sep)) {
      throw new ObjectStoreError('NotFound', `bucket "${bucket}" is outside the local root ${this.root}`, bucket);
    }
    return dir;
  }

  private filePath(bucket: string, key: string): string {
    const dir = this.bucketDir(bucket);
    const file = path.resolve(dir, ...key.split('/'));
    if (!file.startsWith(dir + path.sep) || key.endsWith('/')) {
      throw new ObjectStoreError('NotFound', `object "${key}" in bucket "${bucket}" not found`, bucket, key);
    }
    return file;
  }

  async *listBuckets(): AsyncIterable<string> {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(this.root, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ObjectStoreError('NotFound', `local root directory ${this.root} not found`);
      throw classify(err, this.root, undefined, 'list');
    }
    const names = entries.filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.')).map((e) => e.name);
    names.sort(compareKeys);
    for (const name of names) {
      if (fs.statSync(path.join(this.root, name), { throwIfNoEntry: false })?.isDirectory()) yield name;
    }
  }

  async *listObjects(bucket: string, prefix: string, signal?: AbortSignal, options?: ListOptions): AsyncIterable<ObjectInfo> {
    const dir = this.bucketDir(bucket);
    try {
      const st = await fs.promises.stat(dir);
      if (!st.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    } catch (err) {
      throw classify(err, bucket, undefined, 'list');
    }
    yield* this.walk(bucket, dir, '', prefix, signal, options?.startAfter);
  }

  /** The folders directly under `prefix` (a prefix ending in `/`, or empty), in key order. */
  async *listFolders(bucket: string, prefix: string): AsyncIterable<string> {
    const dir = path.join(this.bucketDir(bucket), ...prefix.split('/').filter(Boolean));
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw classify(err, bucket, prefix || undefined, 'list');
    }
    const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
    names.sort((a, b) => compareKeys(`${a}/`, `${b}/`));
    yield* names;
  }

  /**
   * Depth-first walk in key order, descending only into folders that can hold keys under `prefix`
   * (and, with `startAfter`, keys after it).
   */
  private async *walk(bucket: string, dir: string, rel: string, prefix: string, signal?: AbortSignal, startAfter?: string): AsyncIterable<ObjectInfo> {
    if (signal?.aborted) return;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw classify(err, bucket, rel || undefined, 'list');
    }
    const items = entries.map((e) => {
      const key = rel + e.name;
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) isDir = false; // symlinked folders are not followed (no cycles)
      return { e, key, isDir, sortKey: isDir ? `${key}/` : key };
    });
    items.sort((a, b) => compareKeys(a.sortKey, b.sortKey));
    for (const item of items) {
      if (signal?.aborted) return;
      if (item.isDir) {
        const folder = `${item.key}/`;
        // Every key of the folder sorts before `folder + U+FFFF`: skip it whole when that is not after startAfter.
        if (startAfter !== undefined && compareKeys(`${folder}\uffff`, startAfter) <= 0) continue;
        if (folder.startsWith(prefix) || prefix.startsWith(folder)) yield* this.walk(bucket, path.join(dir, item.e.name), folder, prefix, signal, startAfter);
        continue;
      }
      if (!item.key.startsWith(prefix)) continue;
      if (startAfter !== undefined && compareKeys(item.key, startAfter) <= 0) continue;
      let st: fs.Stats;
      try {
        st = await fs.promises.stat(path.join(dir, item.e.name));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (item.e.isSymbolicLink()) {
          this.onSkipped?.(bucket, item.key, code === 'ELOOP' ? 'a symbolic link loop (ELOOP)' : `a symbolic link whose target cannot be read (${code ?? 'error'}: dangling?)`);
        } else if (code !== 'ENOENT') {
          this.onSkipped?.(bucket, item.key, `cannot be read (${code ?? (err as Error).message})`);
        }
        continue; // ENOENT on a plain entry: deleted since the folder was read
      }
      if (!st.isFile()) {
        this.onSkipped?.(
          bucket,
          item.key,
          st.isDirectory() ? 'a symbolic link to a folder (links to folders are not followed, so loops cannot recur)' : 'not a regular file (a socket, pipe or device)',
        );
        continue;
      }
      yield { key: item.key, size: st.size, lastModified: st.mtime, etag: `${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}` };
    }
  }

  async readRange(bucket: string, key: string, start: number, endExclusive: number): Promise<Uint8Array> {
    return this.withFile(bucket, key, async (handle, size) => {
      const from = Math.max(0, start);
      const to = Math.min(endExclusive, size);
      if (to <= from) return new Uint8Array(0);
      // Its own buffer (moved whole to a worker), not zero-filled: every byte returned is read into.
      const buf = Buffer.allocUnsafeSlow(to - from);
      const done = await readFully(handle, from, buf);
      return done === buf.length ? buf : buf.subarray(0, done);
    });
  }

  async readRangeInto(bucket: string, key: string, start: number, into: Uint8Array): Promise<number> {
    return this.withFile(bucket, key, async (handle, size) => {
      const from = Math.max(0, start);
      const to = Math.min(from + into.length, size);
      return to <= from ? 0 : readFully(handle, from, into.subarray(0, to - from));
    });
  }

  /** `read(handle, size)` on the open file; errors named for the object. */
  private async withFile<T>(bucket: string, key: string, read: (handle: fs.promises.FileHandle, size: number) => Promise<T>): Promise<T> {
    const file = this.filePath(bucket, key);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (err) {
      throw classify(err, bucket, key, 'read');
    }
    try {
      return await read(handle, (await handle.stat()).size);
    } catch (err) {
      throw classify(err, bucket, key, 'read');
    } finally {
      await handle.close();
    }
  }

  async openStream(bucket: string, key: string, start = 0, endExclusive?: number): Promise<ByteStream> {
    const file = this.filePath(bucket, key);
    try {
      const st = await fs.promises.stat(file);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
    } catch (err) {
      throw classify(err, bucket, key, 'read');
    }
    if (endExclusive !== undefined && endExclusive <= start) return (async function* () {})();
    return fs.createReadStream(file, {
      start,
      ...(endExclusive !== undefined ? { end: endExclusive - 1 } : {}),
      highWaterMark: 64 * 1024,
    });
  }

  async objectSize(bucket: string, key: string): Promise<number> {
    const file = this.filePath(bucket, key);
    try {
      const st = await fs.promises.stat(file);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      return st.size;
    } catch (err) {
      throw classify(err, bucket, key, 'read');
    }
  }

  async putObject(bucket: string, key: string, body: Uint8Array): Promise<void> {
    const file = this.filePath(bucket, key);
    // Written beside and renamed: a reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await fs.promises.writeFile(tmp, body);
      await fs.promises.rename(tmp, file);
    } catch (err) {
      throw classify(err, bucket, key, 'write');
    }
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    try {
      await fs.promises.rm(this.filePath(bucket, key), { force: true });
    } catch (err) {
      throw classify(err, bucket, key, 'delete');
    }
  }
}

export const localObjectStoreFactory: ObjectStoreFactory = {
  create(configSource: Record<string, unknown>, context: ObjectStoreContext): ObjectStore {
    const root = typeof configSource.root === 'string' ? configSource.root : '.';
    return new LocalObjectStore({
      root: path.resolve(context.configDir, root),
      onSkipped: (bucket, key, reason) => context.logger.warn(`Skipping ${bucket}/${key}: ${reason}`),
    });
  },
};

/** Reads into `into` from `position` until it is full or the file ends; the bytes read. */
async function readFully(handle: fs.promises.FileHandle, position: number, into: Uint8Array): Promise<number> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}
