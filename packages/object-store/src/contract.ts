/**
 * The storage contract the Datalake source (and dbt's bucket sources) read through. `@om/datalake`
 * ships the local-filesystem store; `@om/datalake-s3`, `-gcs` and `-azure` implement the same
 * interface as thin adapters, and so can a third-party package. Every store must pass
 * `describeObjectStoreConformance` from `@om/object-store/testing`.
 */
import { OmError, type StepContext } from '@om/core';

export interface ObjectInfo {
  /** Full key inside the bucket, `/`-separated, no leading `/`. */
  key: string;
  /** Size in bytes (from the listing: readers never issue a HEAD for it). */
  size: number;
  lastModified?: Date;
  etag?: string;
  /** Provider storage class (`STANDARD`, `GLACIER`, `COLDLINE`, `Hot`...), when the listing says. */
  storageClass?: string;
}

export interface ListOptions {
  /**
   * List only keys after this one (S3's `StartAfter`): a shard reads its key range from here. A store
   * may ignore it; callers skip earlier keys themselves.
   */
  startAfter?: string;
}

/** A chunked byte source: a Node readable stream or any async iterable of bytes. */
export type ByteStream = NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

export interface ObjectStore {
  /** `'s3' | 'gcs' | 'azure' | 'local'` or a third-party name; used in messages. */
  readonly kind: string;
  /**
   * The store's read timeout: the longest a body may stay silent. Reads of listed objects resume a
   * body silent for longer (default 60 s), for SDKs that time out only the wait for the answer.
   */
  readonly readTimeoutMs?: number;
  /**
   * True when `readRange` cannot go silent or stop half-way (a local disk): checked reads then call
   * it directly instead of resuming through `openStream`, whose chunks are copied and collected.
   */
  readonly wholeRangedReads?: boolean;
  /**
   * Every bucket (container) the credentials can see, streamed. `database` is one of
   * `databaseNames()` for stores that have several databases (GCS projects); others ignore it.
   */
  listBuckets(database?: string): AsyncIterable<string>;
  /**
   * Every object whose key starts with `prefix` (no delimiter: the whole subtree), streamed page by
   * page in the provider's order (lexicographic for S3/GCS/Azure/local). Folder-marker objects may be
   * included; the source skips them. Throws `ObjectStoreError` (`NotFound` for a missing bucket).
   */
  listObjects(bucket: string, prefix: string, signal?: AbortSignal, options?: ListOptions): AsyncIterable<ObjectInfo>;
  /**
   * The direct sub-folders of `prefix` (names without the prefix and the trailing `/`), in key order:
   * a delimiter listing, for shard plans. Optional: without it a plan derives folders from a listing.
   */
  listFolders?(bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<string>;
  /**
   * Bytes `[start, endExclusive)`. A range running past the end returns the bytes that exist
   * (an empty array when `start >= size`). A missing object throws `ObjectStoreError('NotFound')`.
   */
  readRange(bucket: string, key: string, start: number, endExclusive: number): Promise<Uint8Array>;
  /**
   * Optional: `readRange(bucket, key, start, start + into.length)` read into `into` instead of a new
   * buffer; resolves to the bytes read (fewer only at the object's end). A reader that reuses its
   * buffers (a profile pass recycles each part's) allocates nothing per read.
   */
  readRangeInto?(bucket: string, key: string, start: number, into: Uint8Array): Promise<number>;
  /**
   * Streams the object from `start` (default 0) up to `endExclusive` (default: the end). Callers
   * stop early and destroy the stream (or `return()` the iterator); adapters should pass the range
   * to the provider so an early stop does not transfer the rest of the object.
   */
  openStream(bucket: string, key: string, start?: number, endExclusive?: number): Promise<ByteStream>;
  /** Size in bytes (one metadata request). Readers prefer the size from the listing. */
  objectSize(bucket: string, key: string): Promise<number>;
  /**
   * Writes a whole (small) object, replacing one of the same key: run files kept in the bucket (shard
   * plans and reports, incremental state). Optional: a store without it cannot hold run files.
   */
  putObject?(bucket: string, key: string, body: Uint8Array): Promise<void>;
  /** Deletes one object; a key that does not exist is not an error. Optional, as `putObject`. */
  deleteObject?(bucket: string, key: string): Promise<void>;
  /** GCS: one Database per project id. Others: undefined (the source uses `databaseName` or `default`). */
  databaseNames?(): string[];
  /** Releases clients and sockets. */
  close?(): Promise<void>;
}

/** The connection a store is created for: at least its `configSource` (a Datalake connection has more). */
export interface StoreConnection {
  configSource: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ObjectStoreContext extends StepContext {
  /** The whole `serviceConnection.config` of the datalake source (dbt passes one built from its bucket source). */
  connection: StoreConnection;
}

/** What a store plugin binds to `objectStoreToken(<kind>)`. */
export interface ObjectStoreFactory {
  create(configSource: Record<string, unknown>, context: ObjectStoreContext): Promise<ObjectStore> | ObjectStore;
}

export type ObjectStoreErrorCode = 'NotFound' | 'AccessDenied' | 'Throttled' | 'Other';

/**
 * A classified storage error: NotFound/AccessDenied are the user's to fix (reported without a
 * stack trace), Throttled/Other are transient. Messages must never contain credentials.
 */
export class ObjectStoreError extends OmError {
  constructor(
    readonly code: ObjectStoreErrorCode,
    message: string,
    readonly bucket?: string,
    readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(message, { kind: code === 'NotFound' || code === 'AccessDenied' ? 'user' : 'transient', ...(options?.cause !== undefined ? { cause: options.cause } : {}) });
  }

  static isNotFound(err: unknown): boolean {
    return err instanceof ObjectStoreError && err.code === 'NotFound';
  }
}
