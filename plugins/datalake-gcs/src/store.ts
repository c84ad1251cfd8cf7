/**
 * The GCS ObjectStore over @google-cloud/storage 7 (JSON API): buckets per project, paged object
 * listings (whole subtree, or one level with `delimiter`), ranged media downloads, and whole-object
 * writes and deletes for run files. Retries on 408/429/5xx are the SDK's, but for uploads (the store's).
 */
import type { ApiError, File, Storage } from '@google-cloud/storage';
import {
  emptyStream,
  firstLine,
  storeErrorOf,
  withoutColdStorage,
  wrapUnlessAborted,
  type ByteStream,
  type ColdStorageOptions,
  type ListOptions,
  type ObjectInfo,
  type ObjectStore,
  type ObjectStoreError,
  type ObjectStoreErrorCode,
} from '@om/object-store';
import { Readable } from 'node:stream';
import { GCS_COLD_STORAGE_CLASSES } from './config';

export interface GcsObjectStoreOptions extends ColdStorageOptions {
  /** Project ids: one Database each. */
  projectIds?: string[];
  redact?: (text: string) => string;
  /** Objects and buckets per listing page (default 1000, the service maximum). */
  pageSize?: number;
  /** The read timeout the client was built with (checked reads resume a body silent for longer). */
  readTimeoutMs?: number;
}

interface Operation {
  action: string;
  bucket?: string;
  key?: string;
  project?: string;
  permission?: string;
}

export class GcsObjectStore implements ObjectStore {
  readonly kind = 'gcs';

  constructor(
    readonly storage: Storage,
    private readonly options: GcsObjectStoreOptions = {},
  ) {}

  get readTimeoutMs(): number | undefined {
    return this.options.readTimeoutMs;
  }

  /** The configured project ids; without any, the client's project (ADC / key file), else `default`. */
  databaseNames(): string[] {
    if (this.options.projectIds?.length) return [...this.options.projectIds];
    const detected = this.storage.projectId;
    return [detected && !detected.includes('{{') ? detected : 'default'];
  }

  async *listBuckets(database?: string): AsyncIterable<string> {
    const project = database ?? this.options.projectIds?.[0];
    let pageToken: string | undefined;
    do {
      let result;
      try {
        result = await this.storage.getBuckets({
          autoPaginate: false,
          maxResults: this.options.pageSize ?? 1000,
          ...(project ? { project } : {}),
          ...(pageToken ? { pageToken } : {}),
        });
      } catch (err) {
        throw this.wrap(err, { action: 'buckets.list', ...(project ? { project } : {}), permission: 'storage.buckets.list' });
      }
      const [list, next] = result as unknown as [{ name?: string }[], { pageToken?: string } | null];
      for (const b of list) if (b.name) yield b.name;
      pageToken = next?.pageToken || undefined;
    } while (pageToken);
  }

  listObjects(bucket: string, prefix: string, signal?: AbortSignal, options?: ListOptions): AsyncIterable<ObjectInfo> {
    return withoutColdStorage(this.listAll(bucket, prefix, signal, options?.startAfter), GCS_COLD_STORAGE_CLASSES, this.options, bucket, prefix);
  }

  /** A delimiter listing: the `prefixes` one level below `prefix`. */
  async *listFolders(bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<string> {
    // A prefix may come again on a later page (the emulator repeats them all on every page).
    const seen = new Set<string>();
    // Only the folders: the objects of this level are not needed.
    for await (const [, response] of this.pages(bucket, { delimiter: '/', fields: 'prefixes,nextPageToken', ...(prefix ? { prefix } : {}) }, signal)) {
      for (const p of response?.prefixes ?? []) {
        if (seen.has(p)) continue;
        seen.add(p);
        yield p.slice(prefix.length).replace(/\/$/, '');
      }
    }
  }

  private async *listAll(bucket: string, prefix: string, signal?: AbortSignal, startAfter?: string): AsyncIterable<ObjectInfo> {
    // startOffset is inclusive, and a server may ignore it (the emulator does): keys up to startAfter are skipped here.
    const after = startAfter ? Buffer.from(startAfter) : undefined;
    let skipping = after !== undefined;
    for await (const [files] of this.pages(bucket, { ...(prefix ? { prefix } : {}), ...(startAfter ? { startOffset: startAfter } : {}) }, signal)) {
      for (const f of files) {
        // Listings are in byte order of the names: once past startAfter, every later key is too.
        if (skipping) {
          if (Buffer.compare(Buffer.from(f.name), after!) <= 0) continue;
          skipping = false;
        }
        const m = f.metadata ?? {};
        const storageClass = m.storageClass ?? undefined;
        const updated = m.updated ? new Date(m.updated) : undefined;
        yield {
          key: f.name,
          size: Number(m.size ?? 0),
          ...(updated && !Number.isNaN(updated.getTime()) ? { lastModified: updated } : {}),
          ...(m.etag ? { etag: m.etag } : m.md5Hash ? { etag: m.md5Hash } : {}),
          ...(storageClass ? { storageClass } : {}),
        };
      }
    }
  }

  /** The pages of one objects.list query, in order; the stop signal is checked between pages. */
  private async *pages(bucket: string, query: Record<string, unknown>, signal?: AbortSignal): AsyncGenerator<[File[], { prefixes?: string[] } | undefined]> {
    const b = this.storage.bucket(bucket);
    let pageToken: string | undefined;
    do {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      let result;
      try {
        result = await b.getFiles({ autoPaginate: false, maxResults: this.options.pageSize ?? 1000, ...query, ...(pageToken ? { pageToken } : {}) });
      } catch (err) {
        throw this.wrap(err, { action: 'objects.list', bucket, permission: 'storage.objects.list' });
      }
      const [files, next, response] = result as unknown as [File[], { pageToken?: string } | null, { prefixes?: string[] } | undefined];
      yield [files, response];
      pageToken = next?.pageToken || undefined;
    } while (pageToken);
  }

  async readRange(bucket: string, key: string, start: number, endExclusive: number): Promise<Uint8Array> {
    if (endExclusive <= start) return new Uint8Array(0);
    try {
      const [buf] = await this.storage
        .bucket(bucket)
        .file(key)
        .download({ start, end: endExclusive - 1, decompress: false, validation: false });
      // A server that ignores the Range header (the emulator does for ranges past the end) sends it all.
      return buf.length > endExclusive - start ? buf.subarray(Math.min(start, buf.length), Math.min(endExclusive, buf.length)) : buf;
    } catch (err) {
      if (isUnsatisfiable(err)) return new Uint8Array(0);
      throw this.wrap(err, { action: 'objects.get', bucket, key, permission: 'storage.objects.get' });
    }
  }

  async openStream(bucket: string, key: string, start = 0, endExclusive?: number): Promise<ByteStream> {
    if (endExclusive !== undefined && endExclusive <= start) return emptyStream();
    const stream = this.storage
      .bucket(bucket)
      .file(key)
      .createReadStream({ ...(start > 0 ? { start } : {}), ...(endExclusive !== undefined ? { end: endExclusive - 1 } : {}), decompress: false, validation: false });
    const ranged = start > 0 || endExclusive !== undefined;
    const window = { start, ...(endExclusive !== undefined ? { end: endExclusive } : {}), ignored: false };
    // A server that ignores the Range header answers 200 with the whole object: cut it here.
    stream.on('response', (res: { statusCode?: number }) => {
      if (ranged && res.statusCode === 200) window.ignored = true;
    });
    const out = wrapStream(stream, (err) => this.wrap(err, { action: 'objects.get', bucket, key, permission: 'storage.objects.get' }), window);
    // The request starts on first read: wait for data, the end, or the error (a missing object).
    await new Promise<void>((resolve, reject) => {
      const done = (err?: unknown) => {
        out.off('readable', onReadable);
        out.off('error', done);
        if (err) reject(err);
        else resolve();
      };
      const onReadable = () => done();
      out.once('readable', onReadable);
      out.once('error', done);
    });
    return out;
  }

  async objectSize(bucket: string, key: string): Promise<number> {
    try {
      const [m] = await this.storage.bucket(bucket).file(key).getMetadata();
      return Number(m.size ?? 0);
    } catch (err) {
      throw this.wrap(err, { action: 'objects.get', bucket, key, permission: 'storage.objects.get' });
    }
  }

  async putObject(bucket: string, key: string, body: Uint8Array): Promise<void> {
    const file = this.storage.bucket(bucket).file(key);
    const data = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const timeout = this.options.readTimeoutMs;
    try {
      // One multipart request (the objects are small); the SDK checks the stored checksum. Not
      // file.save(): its retry loop rejects a maxRetryDelay under one second.
      await this.retried(
        () =>
          new Promise<void>((resolve, reject) => {
            file
              .createWriteStream({ resumable: false, ...(timeout ? { timeout } : {}) })
              .on('error', reject)
              .on('finish', resolve)
              .end(data);
          }),
      );
    } catch (err) {
      throw this.wrap(err, { action: 'objects.insert', bucket, key, permission: 'storage.objects.create (and storage.objects.delete to replace an object)' });
    }
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    try {
      await this.storage.bucket(bucket).file(key).delete({ ignoreNotFound: true });
    } catch (err) {
      throw this.wrap(err, { action: 'objects.delete', bucket, key, permission: 'storage.objects.delete' });
    }
  }

  async close(): Promise<void> {
    // The SDK keeps no per-instance sockets that need closing.
  }

  /**
   * Retries a write with the client's retry settings: the SDK does not retry multipart uploads. A
   * run file is replaced whole with the same bytes, so a second attempt is safe.
   */
  private async retried(call: () => Promise<void>): Promise<void> {
    const r = this.storage.retryOptions;
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        // A request that timed out (node-fetch's FetchError) is not among the SDK's retryable errors.
        const timedOut = (err as { type?: string } | undefined)?.type === 'request-timeout';
        if (!r.autoRetry || attempt >= (r.maxRetries ?? 0) || !(timedOut || r.retryableErrorFn?.(err as ApiError))) throw err;
        // The SDK's backoff for reads: multiplier^attempt seconds plus up to 1 s, capped.
        const delay = Math.min((r.retryDelayMultiplier ?? 2) ** attempt * 1000 + Math.random() * 1000, (r.maxRetryDelay ?? 64) * 1000);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private wrap(err: unknown, what: Operation): unknown {
    return wrapUnlessAborted(err, (e) => toObjectStoreError(e, what, this.options.redact));
  }
}

/** Re-emits the SDK stream's data, turning its errors into ObjectStoreErrors. */
function wrapStream(
  stream: NodeJS.ReadableStream & { destroy(): void },
  wrap: (err: unknown) => unknown,
  window: { start: number; end?: number; ignored: boolean },
): Readable {
  let offset = 0;
  const out = new Readable({
    read() {
      stream.resume();
    },
    destroy(err, cb) {
      stream.destroy();
      cb(err);
    },
  });
  stream.on('data', (data: Buffer) => {
    let chunk = data;
    if (window.ignored) {
      const from = offset;
      offset += data.length;
      const lo = Math.max(window.start - from, 0);
      const hi = window.end !== undefined ? Math.min(window.end - from, data.length) : data.length;
      if (hi <= lo) return;
      chunk = data.subarray(lo, hi);
    }
    if (!out.push(chunk)) stream.pause();
  });
  stream.on('end', () => out.push(null));
  stream.on('error', (err) => {
    if (isUnsatisfiable(err)) out.push(null);
    else out.destroy(wrap(err) as Error);
  });
  stream.pause();
  return out;
}

function isUnsatisfiable(err: unknown): boolean {
  return (err as { code?: unknown } | undefined)?.code === 416;
}

/** Classifies an SDK (ApiError / auth library) error into an ObjectStoreError naming what failed. */
export function toObjectStoreError(err: unknown, what: Operation, redact: (text: string) => string = (t) => t): ObjectStoreError {
  const e = { ...((err ?? {}) as { code?: unknown; message?: string; errors?: { reason?: string; message?: string }[]; name?: string }) };
  if (err instanceof Error) e.message = err.message;
  // Media downloads put the raw JSON error body in the message.
  if (typeof e.message === 'string' && e.message.startsWith('{')) {
    try {
      const body = JSON.parse(e.message) as { error?: { code?: number; message?: string; errors?: { reason?: string }[] } };
      if (body.error) {
        e.message = body.error.message ?? e.message;
        e.errors = e.errors?.length ? e.errors : body.error.errors;
        if (typeof e.code !== 'number' && typeof body.error.code === 'number') e.code = body.error.code;
      }
    } catch {
      // not JSON after all
    }
  }
  const status = typeof e.code === 'number' ? e.code : undefined;
  const reason = e.errors?.[0]?.reason ?? (typeof e.code === 'string' ? e.code : undefined);
  const tag = [reason, status !== undefined ? `HTTP ${status}` : undefined].filter(Boolean).join(', ');
  const resource =
    what.key !== undefined ? `gs://${what.bucket}/${what.key}` : what.bucket !== undefined ? `bucket "${what.bucket}"` : what.project ? `project "${what.project}"` : 'the project';
  const said = firstLine(e.message ?? '').replace(/\.$/, '');
  let kind: ObjectStoreErrorCode;
  let message: string;
  if (status === 401 || /default credentials|invalid_grant|invalid_client|Could not refresh access token|unauthorized_client/i.test(said)) {
    kind = 'AccessDenied';
    message = `GCS ${what.action} on ${resource} failed: the credentials were rejected or not found (${tag || e.name || 'auth'}): ${said}. Check gcpConfig (service-account values, credentials path) or the application default credentials`;
  } else if (status === 403) {
    kind = 'AccessDenied';
    message = `GCS ${what.action} on ${resource} was denied (${tag}): ${said}.${what.permission ? ` Grant ${what.permission} to the identity used` : ''}`;
  } else if (status === 404) {
    kind = 'NotFound';
    const bucketMissing = what.key === undefined || /bucket/i.test(said);
    message = `GCS ${what.action} failed: ${bucketMissing ? `bucket "${what.bucket}" does not exist` : `object gs://${what.bucket}/${what.key} does not exist`} (${tag})`;
  } else if (status === 429 || status === 503 || reason === 'rateLimitExceeded') {
    kind = 'Throttled';
    message = `GCS ${what.action} on ${resource} was throttled or the service was unavailable after all retries (${tag}): ${said}. Raise maxAttempts`;
  } else {
    kind = 'Other';
    message = `GCS ${what.action} on ${resource} failed (${tag || e.name || 'no response'}): ${said}`;
  }
  return storeErrorOf({ code: kind, message, bucket: what.bucket, key: what.key }, scrub, redact);
}

/** Removes signed-URL signatures and bearer tokens that messages can echo. */
export function scrub(text: string): string {
  return text
    .replace(/([?&](?:X-Goog-Signature|Signature|access_token)=)[^&\s"']+/gi, '$1******')
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/-]+=*/g, '$1******')
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '******');
}
