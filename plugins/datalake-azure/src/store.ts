/**
 * The Azure Blob ObjectStore: containers, flat and hierarchy (`/`) blob listings (paged by the SDK),
 * ranged downloads (`download(offset, count)`: Azure has no suffix ranges, so sizes come from the
 * listing), and whole-blob uploads and deletes for run files. Retries on 500/503 (ServerBusy,
 * OperationTimedOut) and network errors are the SDK's retry policy.
 */
import type { BlobServiceClient } from '@azure/storage-blob';
import {
  anySignal,
  emptyStream,
  firstLine,
  ObjectStoreError,
  storeErrorOf,
  withoutColdStorage,
  wrapUnlessAborted,
  type ByteStream,
  type ColdStorageOptions,
  type ObjectInfo,
  type ObjectStore,
  type ObjectStoreErrorCode,
} from '@om/object-store';
import { AZURE_COLD_TIERS } from './config';

/** `skipColdStorage` leaves out blobs in the Archive tier when listing. */
export interface AzureObjectStoreOptions extends ColdStorageOptions {
  /** Redacts secrets from error messages (the run's masker). */
  redact?: (text: string) => string;
  /** Blobs and containers per listing page (default 5000, the service maximum). */
  pageSize?: number;
  /** The read timeout the client was built with (checked reads resume a body silent for longer). */
  readTimeoutMs?: number;
  /** The run's stop signal: aborts downloads and listings in flight. */
  signal?: AbortSignal;
  /** Attempts of a request that timed out (the SDK does not retry its own aborts); default 4. */
  maxAttempts?: number;
}

interface Operation {
  action: string;
  container?: string;
  blob?: string;
  /** What the identity must be allowed to do (default read), for the hint of a denial. */
  access?: 'write' | 'delete';
}

export class AzureObjectStore implements ObjectStore {
  readonly kind = 'azure';

  constructor(
    readonly client: BlobServiceClient,
    private readonly options: AzureObjectStoreOptions = {},
  ) {}

  get readTimeoutMs(): number | undefined {
    return this.options.readTimeoutMs;
  }

  async *listBuckets(): AsyncIterable<string> {
    const what = { action: 'ListContainers' };
    try {
      for await (const page of this.client.listContainers().byPage({ maxPageSize: this.options.pageSize ?? 5000 })) {
        for (const c of page.containerItems ?? []) yield c.name;
      }
    } catch (err) {
      throw this.wrap(err, what);
    }
  }

  /** Azure's List Blobs has no start-after: `startAfter` is ignored and the caller skips. */
  listObjects(bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    return withoutColdStorage(this.listAll(bucket, prefix, signal), AZURE_COLD_TIERS, this.options, bucket, prefix);
  }

  /** A hierarchy listing with delimiter `/`: the blob prefixes one level below `prefix`. */
  async *listFolders(bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<string> {
    const container = this.client.getContainerClient(bucket);
    const pages = this.pages(
      (abortSignal) => container.listBlobsByHierarchy('/', { ...(prefix ? { prefix } : {}), abortSignal }).byPage({ maxPageSize: this.options.pageSize ?? 5000 }),
      { action: 'ListBlobs', container: bucket },
      signal,
    );
    for await (const page of pages) {
      for (const p of page.segment.blobPrefixes ?? []) yield p.name.slice(prefix.length).replace(/\/$/, '');
    }
  }

  private async *listAll(bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    const container = this.client.getContainerClient(bucket);
    const pages = this.pages(
      (abortSignal) => container.listBlobsFlat({ ...(prefix ? { prefix } : {}), abortSignal }).byPage({ maxPageSize: this.options.pageSize ?? 5000 }),
      { action: 'ListBlobs', container: bucket },
      signal,
    );
    for await (const page of pages) {
      for (const blob of page.segment.blobItems) {
        const tier = blob.properties.accessTier;
        yield {
          key: blob.name,
          size: blob.properties.contentLength ?? 0,
          ...(blob.properties.lastModified ? { lastModified: blob.properties.lastModified } : {}),
          ...(blob.properties.etag ? { etag: blob.properties.etag.replace(/^"|"$/g, '') } : {}),
          ...(tier ? { storageClass: tier } : {}),
        };
      }
    }
  }

  /** The pages of a listing, each awaited at most the read timeout; errors become ObjectStoreErrors. */
  private async *pages<T>(open: (abortSignal: AbortSignal) => AsyncIterableIterator<T>, what: Operation, signal?: AbortSignal): AsyncIterable<T> {
    // A page that never comes is aborted after the read timeout (the SDK only tells the server).
    const pageTimeout = new AbortController();
    const pages = open(anySignal(pageTimeout.signal, signal, this.options.signal)!)[Symbol.asyncIterator]();
    for (;;) {
      const ms = this.options.readTimeoutMs;
      const timer = ms ? setTimeout(() => pageTimeout.abort(), ms) : undefined;
      let next;
      try {
        next = await pages.next();
      } catch (err) {
        if (pageTimeout.signal.aborted && !signal?.aborted && !this.options.signal?.aborted) throw timeoutError(what, ms!, 1);
        throw this.wrap(err, what);
      } finally {
        clearTimeout(timer);
      }
      if (next.done) return;
      yield next.value;
    }
  }

  async readRange(bucket: string, key: string, start: number, endExclusive: number): Promise<Uint8Array> {
    if (endExclusive <= start) return new Uint8Array(0);
    const body = await this.download(bucket, key, start, endExclusive - start);
    if (!body) return new Uint8Array(0);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    } catch (err) {
      throw this.wrap(err, { action: 'GetBlob', container: bucket, blob: key });
    }
    return Buffer.concat(chunks);
  }

  async openStream(bucket: string, key: string, start = 0, endExclusive?: number): Promise<ByteStream> {
    if (endExclusive !== undefined && endExclusive <= start) return emptyStream();
    const body = await this.download(bucket, key, start, endExclusive !== undefined ? endExclusive - start : undefined);
    return body ?? emptyStream();
  }

  async objectSize(bucket: string, key: string): Promise<number> {
    try {
      const props = await this.client.getContainerClient(bucket).getBlobClient(key).getProperties();
      return props.contentLength ?? 0;
    } catch (err) {
      throw this.wrap(err, { action: 'GetBlobProperties', container: bucket, blob: key });
    }
  }

  async putObject(bucket: string, key: string, body: Uint8Array): Promise<void> {
    const blob = this.client.getContainerClient(bucket).getBlockBlobClient(key);
    const what: Operation = { action: 'PutBlob', container: bucket, blob: key, access: 'write' };
    try {
      // One Put Blob replaces the whole blob: a second attempt after a timeout is safe.
      await this.timed(what, (abortSignal) => blob.upload(body, body.byteLength, { abortSignal }));
    } catch (err) {
      if (err instanceof ObjectStoreError) throw err;
      throw this.wrap(err, what);
    }
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const blob = this.client.getContainerClient(bucket).getBlobClient(key);
    const what: Operation = { action: 'DeleteBlob', container: bucket, blob: key, access: 'delete' };
    try {
      // A missing blob is fine; a missing container is not. Snapshots would make the delete fail.
      await this.timed(what, (abortSignal) => blob.deleteIfExists({ deleteSnapshots: 'include', abortSignal }));
    } catch (err) {
      if (err instanceof ObjectStoreError) throw err;
      throw this.wrap(err, what);
    }
  }

  async close(): Promise<void> {
    // The SDK's HTTP agent is shared and keeps no per-client sockets that need closing.
  }

  /** A ranged download; undefined when the range starts at or past the end (HTTP 416). */
  private async download(bucket: string, key: string, offset: number, count: number | undefined): Promise<NodeJS.ReadableStream | undefined> {
    const blob = this.client.getContainerClient(bucket).getBlobClient(key);
    try {
      // offset 0 with no count is a plain GET; otherwise `x-ms-range: bytes=offset-[end]`.
      const res = await this.timed({ action: 'GetBlob', container: bucket, blob: key }, (abortSignal) => blob.download(offset, count, { abortSignal }));
      const body = res.readableStreamBody as (NodeJS.ReadableStream & { setTimeout?: (ms: number, fn: () => void) => void; destroy?: (err: Error) => void }) | undefined;
      // The SDK's try timeout ends at the answer's headers; a body that goes silent would hang.
      const idleMs = this.options.readTimeoutMs;
      if (body && idleMs && typeof body.setTimeout === 'function') {
        body.setTimeout(idleMs, () => body.destroy?.(new Error(`no byte of the body for ${idleMs / 1000} s (readTimeoutSeconds)`)));
      }
      return body;
    } catch (err) {
      const e = err as { statusCode?: number; code?: string };
      if (e.statusCode === 416 || e.code === 'InvalidRange') return undefined;
      // A timeout from `timed` is already classified: wrapping it again would repeat the message.
      if (err instanceof ObjectStoreError) throw err;
      throw this.wrap(err, { action: 'GetBlob', container: bucket, blob: key });
    }
  }

  /**
   * One SDK call with a client-side timeout up to its answer (a download's body is watched
   * separately), tried again when it timed out: the SDK's try timeout only reaches the server, and
   * the SDK does not retry an aborted request.
   */
  private async timed<T>(what: Operation, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ms = this.options.readTimeoutMs;
    const run = this.options.signal;
    const tries = Math.max(1, this.options.maxAttempts ?? 4);
    for (let attempt = 1; ; attempt++) {
      const timeout = new AbortController();
      const timer = ms ? setTimeout(() => timeout.abort(), ms) : undefined;
      try {
        return await call(anySignal(run, timeout.signal)!);
      } catch (err) {
        if (!timeout.signal.aborted || run?.aborted) throw err;
        if (attempt >= tries) throw timeoutError(what, ms!, attempt);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  private wrap(err: unknown, what: Operation): unknown {
    return wrapUnlessAborted(err, (e) => toObjectStoreError(e, what, this.options.redact));
  }
}

function timeoutError(what: Operation, ms: number, attempts: number): ObjectStoreError {
  const where = what.blob !== undefined ? `blob "${what.blob}" in container "${what.container}"` : `container "${what.container}"`;
  return new ObjectStoreError(
    'Other',
    `Azure ${what.action} on ${where} failed: no answer within the read timeout (${ms / 1000} s) on ${attempts} attempt(s); raise readTimeoutSeconds if the service is only slow`,
    what.container,
    what.blob,
  );
}

const NOT_FOUND = new Set(['ContainerNotFound', 'BlobNotFound', 'ResourceNotFound']);
const BAD_CREDENTIALS = new Set(['AuthenticationFailed', 'InvalidAuthenticationInfo', 'NoAuthenticationInformation']);
const DENIED = new Set([
  'AuthorizationFailure',
  'AuthorizationPermissionMismatch',
  'AuthorizationResourceTypeMismatch',
  'AuthorizationServiceMismatch',
  'AuthorizationProtocolMismatch',
  'AuthorizationSourceIPMismatch',
  'InsufficientAccountPermissions',
  'AccountIsDisabled',
]);
const THROTTLED = new Set(['ServerBusy', 'OperationTimedOut', 'TooManyRequests']);
/** @azure/identity failures: the credentials could not produce a token. */
const IDENTITY_ERRORS = new Set(['AuthenticationError', 'AggregateAuthenticationError', 'CredentialUnavailableError', 'AuthenticationRequiredError']);

const ACCESS_HINTS = {
  read: 'the identity has read access to blobs (e.g. Storage Blob Data Reader) or that the SAS allows read and list',
  write: 'the identity may write blobs (e.g. Storage Blob Data Contributor) or that the SAS allows create and write',
  delete: 'the identity may delete blobs (e.g. Storage Blob Data Contributor) or that the SAS allows delete',
};

/** Classifies an Azure SDK (or @azure/identity) error into an ObjectStoreError naming what failed. */
export function toObjectStoreError(err: unknown, what: Operation, redact: (text: string) => string = (t) => t): ObjectStoreError {
  const e = (err ?? {}) as { name?: string; code?: string; statusCode?: number; message?: string; details?: { errorCode?: string } };
  const code = e.details?.errorCode ?? e.code ?? (e.name && e.name !== 'Error' && e.name !== 'RestError' ? e.name : undefined);
  const status = e.statusCode;
  const resource =
    what.blob !== undefined ? `blob "${what.blob}" in container "${what.container}"` : what.container !== undefined ? `container "${what.container}"` : 'the storage account';
  const tag = [code, status !== undefined ? `HTTP ${status}` : undefined].filter(Boolean).join(', ');
  let kind: ObjectStoreErrorCode;
  let message: string;
  if ((code && BAD_CREDENTIALS.has(code)) || (e.name && IDENTITY_ERRORS.has(e.name))) {
    kind = 'AccessDenied';
    message = `Azure ${what.action} on ${resource} failed: the credentials were rejected (${tag || e.name}). Check accountName with clientId/clientSecret/tenantId, accountKey, sasToken or connectionString`;
    if (e.name && IDENTITY_ERRORS.has(e.name)) message += `: ${firstLine(e.message ?? '')}`;
  } else if ((code && DENIED.has(code)) || status === 403 || status === 401) {
    kind = 'AccessDenied';
    const said = serviceMessage(e.message);
    message = `Azure ${what.action} on ${resource} was denied (${tag})${said ? `: ${said}` : ''}. Check the credentials, then that ${ACCESS_HINTS[what.access ?? 'read']}`;
  } else if ((code && NOT_FOUND.has(code)) || status === 404) {
    kind = 'NotFound';
    const missing =
      code === 'ContainerNotFound' || what.blob === undefined ? `container "${what.container}" does not exist` : `blob "${what.blob}" does not exist in container "${what.container}"`;
    message = `Azure ${what.action} failed: ${missing} (${tag})`;
  } else if ((code && THROTTLED.has(code)) || status === 503 || status === 429) {
    kind = 'Throttled';
    message = `Azure ${what.action} on ${resource} was throttled or the service was busy after all retries (${tag}). Raise maxAttempts or retryDelayMs`;
  } else {
    kind = 'Other';
    message = `Azure ${what.action} on ${resource} failed (${tag || 'no response'}): ${firstLine(e.message ?? String(err))}`;
  }
  return storeErrorOf({ code: kind, message, bucket: what.container, key: what.blob }, scrub, redact);
}

/** Removes SAS signatures and shared-key signatures that SDK messages can echo. */
export function scrub(text: string): string {
  return text
    .replace(/([?&]sig=)[^&\s"']+/gi, '$1******')
    .replace(/(SharedKey(?:Lite)?\s+[^:\s]+:)[A-Za-z0-9+/=]+/g, '$1******')
    .replace(/(AccountKey=)[^;\s"']+/gi, '$1******')
    .replace(/(SharedAccessSignature=)[^;\s"']+/gi, '$1******');
}

/** The service's own first line, unless it is only the SDK's generic wording. */
function serviceMessage(text: string | undefined): string | undefined {
  const line = firstLine(text ?? '');
  return line && !/^(Unexpected status code|Operation returned an invalid status code)/i.test(line) ? line : undefined;
}
