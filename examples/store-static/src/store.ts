/**
 * An ObjectStore over a static HTTP file server: a bucket is a folder under the base URL, a
 * listing walks folders whose index the server answers as JSON (`[{name, type, size, mtime}]`, as
 * nginx's `autoindex_format json`), and reads are HTTP range requests.
 */
import {
  emptyStream,
  firstLine,
  storeErrorOf,
  wrapUnlessAborted,
  anySignal,
  type ByteStream,
  type ObjectInfo,
  type ObjectStore,
  type ObjectStoreError,
  type ObjectStoreErrorCode,
} from '@om/object-store';
import { Readable } from 'node:stream';
import type { StaticStoreConfig } from './config';

interface IndexEntry {
  name: string;
  type: 'file' | 'directory' | string;
  size?: number;
  mtime?: string;
}

export interface StaticStoreOptions {
  redact?: (text: string) => string;
  /** The run's stop signal. */
  signal?: AbortSignal;
}

export class StaticFileStore implements ObjectStore {
  readonly kind = 'static';

  constructor(
    private readonly config: StaticStoreConfig,
    private readonly options: StaticStoreOptions = {},
  ) {}

  get readTimeoutMs(): number {
    return this.config.readTimeoutMs;
  }

  async *listBuckets(): AsyncIterable<string> {
    for (const e of await this.index('', undefined)) if (e.type === 'directory') yield e.name;
  }

  async *listObjects(bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    // From the bucket folder down (folders off the prefix are skipped): a prefix folder that does not exist lists nothing.
    yield* this.walk(bucket, '', prefix, signal);
  }

  /** Depth first, children in byte order with folders as `name/`: the keys come out in byte order. */
  private async *walk(bucket: string, dir: string, prefix: string, signal?: AbortSignal): AsyncGenerator<ObjectInfo> {
    const entries = await this.index(`${bucket}/${dir}`, { bucket }, signal);
    const named = entries.map((e) => ({ e, key: `${dir}${e.name}${e.type === 'directory' ? '/' : ''}` }));
    named.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    for (const { e, key } of named) {
      if (e.type === 'directory') {
        if (key.startsWith(prefix) || prefix.startsWith(key)) yield* this.walk(bucket, key, prefix, signal);
      } else if (key.startsWith(prefix)) {
        const modified = e.mtime ? new Date(e.mtime) : undefined;
        yield { key, size: e.size ?? 0, ...(modified && !Number.isNaN(modified.getTime()) ? { lastModified: modified } : {}) };
      }
    }
  }

  async readRange(bucket: string, key: string, start: number, endExclusive: number): Promise<Uint8Array> {
    if (endExclusive <= start) return new Uint8Array(0);
    const res = await this.get(bucket, key, start, endExclusive);
    if (!res) return new Uint8Array(0);
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A server that ignores Range answers 200 with the whole file.
    return res.status === 200 ? bytes.subarray(start, endExclusive) : bytes;
  }

  async openStream(bucket: string, key: string, start = 0, endExclusive?: number): Promise<ByteStream> {
    if (endExclusive !== undefined && endExclusive <= start) return emptyStream();
    const res = await this.get(bucket, key, start, endExclusive);
    if (!res?.body) return emptyStream();
    if (res.status === 200 && (start > 0 || endExclusive !== undefined)) {
      const all = new Uint8Array(await res.arrayBuffer());
      return Readable.from([all.subarray(start, endExclusive)]);
    }
    return Readable.fromWeb(res.body as Parameters<typeof Readable.fromWeb>[0]);
  }

  async objectSize(bucket: string, key: string): Promise<number> {
    const res = await this.request('HEAD', `${bucket}/${encodeKey(key)}`, { bucket, key });
    return Number(res.headers.get('content-length') ?? 0);
  }

  async close(): Promise<void> {
    // fetch keeps no per-store sockets.
  }

  /** A folder's JSON index; a missing bucket folder is NotFound. */
  private async index(path: string, where: { bucket?: string } | undefined, signal?: AbortSignal): Promise<IndexEntry[]> {
    const res = await this.request('GET', encodeKey(path), { ...where }, { accept: 'application/json' }, signal);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw this.error({ code: 'Other', message: `${this.url(path)} did not answer a JSON folder index: serve the folder with autoindex_format json` }, where);
    }
    if (!Array.isArray(body)) throw this.error({ code: 'Other', message: `${this.url(path)} answered JSON that is not a folder index (an array of entries)` }, where);
    return body as IndexEntry[];
  }

  /** A ranged GET; undefined when the range starts past the end (HTTP 416). */
  private async get(bucket: string, key: string, start: number, endExclusive?: number): Promise<Response | undefined> {
    const ranged = start > 0 || endExclusive !== undefined;
    const range = ranged ? { range: `bytes=${start}-${endExclusive !== undefined ? endExclusive - 1 : ''}` } : undefined;
    return this.request('GET', `${bucket}/${encodeKey(key)}`, { bucket, key }, range, undefined, true);
  }

  private async request(method: string, path: string, where: { bucket?: string; key?: string }, headers?: Record<string, string>, signal?: AbortSignal): Promise<Response>;
  private async request(method: string, path: string, where: { bucket?: string; key?: string }, headers: Record<string, string> | undefined, signal: AbortSignal | undefined, allow416: true): Promise<Response | undefined>;
  private async request(method: string, path: string, where: { bucket?: string; key?: string }, headers: Record<string, string> = {}, signal?: AbortSignal, allow416 = false): Promise<Response | undefined> {
    let res: Response;
    try {
      res = await fetch(this.url(path), { method, headers, signal: anySignal(AbortSignal.timeout(this.config.readTimeoutMs), this.options.signal, signal)! });
    } catch (err) {
      throw wrapUnlessAborted(err, (e) => this.error({ code: 'Other', message: `${method} ${this.url(path)} failed: ${firstLine((e as Error).message)}` }, where));
    }
    if (res.status === 416 && allow416) return undefined;
    if (res.ok) return res;
    await res.body?.cancel();
    const code: ObjectStoreErrorCode = res.status === 404 ? 'NotFound' : res.status === 401 || res.status === 403 ? 'AccessDenied' : res.status === 429 || res.status === 503 ? 'Throttled' : 'Other';
    const what = code === 'NotFound' ? (where.key === undefined ? `bucket folder "${where.bucket}" does not exist` : `${this.url(path)} does not exist`) : `HTTP ${res.status}`;
    throw this.error({ code, message: `${method} ${this.url(path)} failed: ${what}` }, where);
  }

  private url(path: string): string {
    return `${this.config.baseUrl}${path}`;
  }

  private error(c: { code: ObjectStoreErrorCode; message: string }, where: { bucket?: string; key?: string } = {}): ObjectStoreError {
    return storeErrorOf({ ...c, ...where }, scrubUrl, this.options.redact);
  }
}

/** Each key segment percent-encoded, the slashes kept. */
function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** User info in a URL (`http://user:pass@host`) never reaches a message. */
function scrubUrl(text: string): string {
  return text.replace(/(https?:\/\/)[^/@\s]+@/g, '$1******@');
}
