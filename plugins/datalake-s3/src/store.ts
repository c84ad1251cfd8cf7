/**
 * The S3 ObjectStore: ListBuckets, paginated ListObjectsV2, ranged GetObject and HeadObject through
 * one S3Client; PutObject and DeleteObject for run files (shard plans and reports, incremental state). Retries on 5xx and throttling are the SDK's (standard or adaptive retry strategy).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
  type GetObjectCommandOutput,
  type HeadObjectCommandOutput,
  type ListBucketsCommandOutput,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { classifyAwsError, describeAwsError } from '@om/aws';
import {
  anySignal,
  emptyStream,
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
import { S3_COLD_STORAGE_CLASSES } from './config';

/** `skipColdStorage` leaves out GLACIER / DEEP_ARCHIVE / GLACIER_IR objects when listing. */
export interface S3ObjectStoreOptions extends ColdStorageOptions {
  /** Redacts secrets from error messages (the run's masker). */
  redact?: (text: string) => string;
  /** The run's stop signal: aborts every request in flight (a stopped run must not wait for a read). */
  signal?: AbortSignal;
  /** The client's idle socket timeout (reported to checked reads). */
  readTimeoutMs?: number;
}

/** An SDK command as `send` resolves it (the part of the SDK's Command it uses). */
interface Sendable {
  readonly input: object;
  resolveMiddleware(stack: S3Client['middlewareStack'], config: S3Client['config'], options: { abortSignal?: AbortSignal } | undefined): CommandHandler;
}
type CommandHandler = (command: { input: never }) => Promise<{ output: unknown }>;

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3';
  /** Resolved middleware handlers by command class (see `send`). */
  private readonly handlers = new Map<unknown, CommandHandler>();

  constructor(
    readonly client: S3Client,
    private readonly options: S3ObjectStoreOptions = {},
  ) {}

  get readTimeoutMs(): number | undefined {
    return this.options.readTimeoutMs;
  }

  async *listBuckets(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const out = await this.call(() => this.send<ListBucketsCommandOutput>(new ListBucketsCommand({ ...(token ? { ContinuationToken: token } : {}) })), {
        action: 'ListBuckets',
        permission: 's3:ListAllMyBuckets',
      });
      for (const bucket of out.Buckets ?? []) if (bucket.Name) yield bucket.Name;
      token = out.ContinuationToken || undefined;
    } while (token);
  }

  listObjects(bucket: string, prefix: string, signal?: AbortSignal, options?: ListOptions): AsyncIterable<ObjectInfo> {
    return withoutColdStorage(this.listAll(bucket, prefix, signal, options?.startAfter), S3_COLD_STORAGE_CLASSES, this.options, bucket, prefix);
  }

  /** A delimiter listing: the common prefixes one level below `prefix`. */
  async *listFolders(bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const out = await this.call(
        () =>
          this.send<ListObjectsV2CommandOutput>(
            new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/', ...(prefix ? { Prefix: prefix } : {}), ...(token ? { ContinuationToken: token } : {}) }),
            signal,
          ),
        { action: 'ListObjectsV2', bucket, permission: 's3:ListBucket' },
      );
      for (const p of out.CommonPrefixes ?? []) if (p.Prefix) yield p.Prefix.slice(prefix.length).replace(/\/$/, '');
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  /**
   * The objects under `prefix`, page by page. The next page is asked for as soon as a page arrives,
   * before its objects are handed out: readers working through one page never wait for the next
   * listing round trip (memory: one page ahead).
   */
  private async *listAll(bucket: string, prefix: string, signal?: AbortSignal, startAfter?: string): AsyncIterable<ObjectInfo> {
    const page = (token: string | undefined): Promise<ListObjectsV2CommandOutput> => {
      const out = this.call(
        () =>
          this.send<ListObjectsV2CommandOutput>(
            new ListObjectsV2Command({
              Bucket: bucket,
              ...(prefix ? { Prefix: prefix } : {}),
              ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
            }),
            signal,
          ),
        { action: 'ListObjectsV2', bucket, permission: 's3:ListBucket' },
      );
      // Awaited below when its turn comes; a consumer that stops earlier leaves it unread.
      out.catch(() => undefined);
      return out;
    };
    let next: Promise<ListObjectsV2CommandOutput> | undefined = page(undefined);
    while (next) {
      const out: ListObjectsV2CommandOutput = await next;
      const token = out.IsTruncated ? out.NextContinuationToken : undefined;
      next = token ? page(token) : undefined;
      for (const item of out.Contents ?? []) {
        if (item.Key === undefined) continue;
        const storageClass = item.StorageClass ?? 'STANDARD';
        yield {
          key: item.Key,
          size: item.Size ?? 0,
          ...(item.LastModified ? { lastModified: item.LastModified } : {}),
          ...(item.ETag ? { etag: item.ETag.replace(/^"|"$/g, '') } : {}),
          storageClass,
        };
      }
    }
  }

  async readRange(bucket: string, key: string, start: number, endExclusive: number): Promise<Uint8Array> {
    if (endExclusive <= start) return new Uint8Array(0);
    const out = await this.get(bucket, key, `bytes=${start}-${endExclusive - 1}`);
    if (!out?.Body) return new Uint8Array(0);
    return out.Body.transformToByteArray();
  }

  async openStream(bucket: string, key: string, start = 0, endExclusive?: number): Promise<ByteStream> {
    if (endExclusive !== undefined && endExclusive <= start) return emptyStream();
    const range = start > 0 || endExclusive !== undefined ? `bytes=${start}-${endExclusive !== undefined ? endExclusive - 1 : ''}` : undefined;
    const out = await this.get(bucket, key, range);
    if (!out?.Body) return emptyStream();
    return out.Body as unknown as ByteStream;
  }

  async objectSize(bucket: string, key: string): Promise<number> {
    const out = await this.call(() => this.send<HeadObjectCommandOutput>(new HeadObjectCommand({ Bucket: bucket, Key: key })), {
      action: 'HeadObject',
      bucket,
      key,
      permission: 's3:GetObject',
    });
    return out.ContentLength ?? 0;
  }

  async putObject(bucket: string, key: string, body: Uint8Array): Promise<void> {
    await this.call(() => this.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })), {
      action: 'PutObject',
      bucket,
      key,
      permission: 's3:PutObject',
    });
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.call(() => this.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })), {
      action: 'DeleteObject',
      bucket,
      key,
      permission: 's3:DeleteObject',
    });
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.client.destroy();
  }

  /** GetObject; undefined when the range starts at or past the end (HTTP 416 on an existing object). */
  private async get(bucket: string, key: string, range: string | undefined): Promise<GetObjectCommandOutput | undefined> {
    try {
      return await this.send<GetObjectCommandOutput>(new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }));
    } catch (err) {
      const c = classifyAwsError(err);
      if (c.status === 416 || c.code === 'InvalidRange') return undefined;
      throw this.wrap(err, { action: 'GetObject', bucket, key, permission: 's3:GetObject' });
    }
  }

  /**
   * Sends a command with the run's signal (and a listing's own, when given). `S3Client.send` with
   * options resolves the whole middleware stack again for every request; requests that carry only
   * the run's signal reuse one resolved handler per command class instead, resolved with that
   * signal (the SDK's own `cacheMiddleware` caches only requests sent without options).
   */
  private send<T>(command: Sendable, signal?: AbortSignal): Promise<T> {
    if (signal !== undefined && signal !== this.options.signal) {
      return this.client.send(command as never, { abortSignal: anySignal(this.options.signal, signal) }) as Promise<T>;
    }
    let handler = this.handlers.get(command.constructor);
    if (!handler) {
      handler = command.resolveMiddleware(this.client.middlewareStack, this.client.config, this.options.signal ? { abortSignal: this.options.signal } : undefined);
      this.handlers.set(command.constructor, handler);
    }
    return handler(command as never).then((result) => result.output as T);
  }

  private async call<T>(fn: () => Promise<T>, what: Operation): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.wrap(err, what);
    }
  }

  private wrap(err: unknown, what: Operation): unknown {
    return wrapUnlessAborted(err, (e) => toObjectStoreError(e, what, this.options.redact));
  }
}

interface Operation {
  action: string;
  bucket?: string;
  key?: string;
  permission?: string;
}

/** Classifies an SDK error into an ObjectStoreError naming the operation, bucket and key. */
export function toObjectStoreError(err: unknown, what: Operation, redact: (text: string) => string = (t) => t): ObjectStoreError {
  const c = classifyAwsError(err);
  const resource =
    what.key !== undefined ? `s3://${what.bucket}/${what.key}` : what.bucket !== undefined ? `bucket "${what.bucket}"` : undefined;
  let code: ObjectStoreErrorCode = c.kind;
  let message: string;
  if (c.kind === 'NotFound') {
    // HeadObject has no body: a bare 404 `NotFound`. Say what is missing.
    const missing =
      c.code === 'NoSuchBucket' ? `bucket "${what.bucket}" does not exist` : what.key !== undefined ? `object s3://${what.bucket}/${what.key} does not exist` : `bucket "${what.bucket}" does not exist`;
    message = `S3 ${what.action} failed: ${missing} (${c.code})`;
  } else {
    message = `S3 ${describeAwsError(err, what.action, resource, what.permission)}`;
  }
  code = c.kind === 'Other' && c.status === 503 ? 'Throttled' : code;
  return storeErrorOf({ code, message, bucket: what.bucket, key: what.key }, scrub, redact);
}

/** Removes request-signing material that some SDK messages can echo. */
export function scrub(text: string): string {
  return text
    .replace(/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"']+/gi, '$1******')
    .replace(/(Signature=)[0-9a-f]{16,}/gi, '$1******')
    .replace(/(<(?:StringToSign|CanonicalRequest|SignatureProvided)(?:Bytes)?>)[\s\S]*?(<\/)/g, '$1******$2');
}
