/**
 * A small OpenMetadata REST client: base URL `{hostPort}/v1`, auth headers from an
 * {@link AuthProvider}, `extraHeaders`, TLS settings, keep-alive, retries and the server version check.
 * Shared by the metadata-rest sink and the profiler / data-quality / dbt packages. Requests go out
 * through transport.ts (node:http, or axios behind a proxy named by the environment).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { SecretMasker, silentLogger, type Logger, type OpenMetadataServerConfig } from '@om/core';
import { authProviders, createAuthProvider, type AuthProvider } from './auth';
import { atLeast, OLDEST_SUPPORTED, parseVersion, SUPPORTED_MAJORS } from './compat/server-versions';
import { OpenMetadataApiError, OpenMetadataAuthError, OpenMetadataConnectionError, VersionMismatchError } from './errors';
import {
  backoffDelay, DEFAULT_RETRY_POLICY, isIdempotent, NOT_SENT_CODES, parseRetryAfter, RETRYABLE_NETWORK_CODES,
  type RetryPolicy,
} from './retry';
import { createTransport, type HttpAnswer, type Transport } from './transport';

export type { HttpAnswer } from './transport';

export const CLIENT_VERSION: string = (() => {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version as string;
  } catch {
    return '0.0.0';
  }
})();

/** Server versions this client speaks: OpenMetadata 1.2 and newer, 1.x and 2.x (see compat/server-versions.ts). */
export const SUPPORTED_SERVER_VERSIONS = { majors: SUPPORTED_MAJORS, oldest: OLDEST_SUPPORTED } as const;

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
export type QueryParams = Record<string, string | number | boolean | undefined>;

/** What a PUT did, from the server's `X-OpenMetadata-Change` header (or the status code). */
export type ChangeKind = 'created' | 'updated' | 'unchanged';

export interface PutResult<T> {
  entity: T;
  change: ChangeKind;
}

export interface Paging {
  after?: string;
  before?: string;
  total?: number;
}

export interface EntityList<T> {
  data: T[];
  paging?: Paging;
}

/** The fields every entity answer has. */
export interface EntityBase {
  id: string;
  name: string;
  fullyQualifiedName: string;
  version: number;
  deleted?: boolean;
  [key: string]: unknown;
}

export interface OpenMetadataClientOptions {
  serverConfig: OpenMetadataServerConfig;
  /** Default: the provider named by `serverConfig.authProvider` from the built-in registry. */
  auth?: AuthProvider;
  /** Retry policy; `maxRetries` defaults to `serverConfig.maxRetries`. */
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout; default `serverConfig.timeout` seconds, else 300 s (OpenMetadata's read timeout). */
  timeoutMs?: number;
  /** Sockets kept per host (keep-alive). Default 32. */
  maxSockets?: number;
  /** Secrets are redacted from every error message through it. */
  masker?: SecretMasker;
  logger?: Logger;
  /** Aborts waits between retries and requests in flight. */
  signal?: AbortSignal;
  /** Random source for the backoff jitter (tests). */
  random?: () => number;
  /**
   * Once a request found the server unreachable (after its retries), other requests fail at once
   * without being sent, and one request every this many ms tries again (default 10 s).
   */
  unreachableProbeMs?: number;
}

/** What a successful answer must hold: the JSON entity (or list) of the route, or possibly nothing. */
type Expect = 'json' | 'entity' | 'optional';

const DEFAULT_UNREACHABLE_PROBE_MS = 10_000;

/** FQN for a URL path segment: every reserved character percent-encoded (`/` → %2F, `"` → %22). */
export function encodeFqn(fqn: string): string {
  return encodeURIComponent(fqn).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}


/**
 * What a PUT did. The server's `X-OpenMetadata-Change` header says it; without the header, 201 is a
 * creation and a 200 counts as an update only when the answer shows this request changed something
 * (`incrementalChangeDescription` with fields, or a version above the change's previous version in an
 * entity that records one). A version that did not move is never counted as an update.
 */
export function changeOf(status: number, header: string, entity: unknown): ChangeKind {
  if (header === 'entityCreated' || (!header && status === 201)) return 'created';
  if (header === 'entityNoChange') return 'unchanged';
  const e = (entity ?? {}) as { version?: unknown; changeDescription?: { previousVersion?: unknown }; incrementalChangeDescription?: Record<string, unknown> };
  const previous = e.changeDescription?.previousVersion;
  const versionMoved = typeof e.version === 'number' && typeof previous === 'number' && e.version > previous;
  if (header) return header === 'entityUpdated' && typeof previous === 'number' && !versionMoved ? 'unchanged' : 'updated';
  const incremental = e.incrementalChangeDescription;
  if (incremental) {
    const fields = ['fieldsAdded', 'fieldsUpdated', 'fieldsDeleted'].some((k) => Array.isArray(incremental[k]) && (incremental[k] as unknown[]).length > 0);
    return fields ? 'updated' : 'unchanged';
  }
  return versionMoved ? 'updated' : 'unchanged';
}

/** Undefined when the server version is supported, else the reason. */
export function versionProblem(serverVersion: string): string | undefined {
  const v = parseVersion(serverVersion);
  const wanted = `${OLDEST_SUPPORTED} and newer ${SUPPORTED_MAJORS.map((m) => `${m}.x`).join(' and ')} releases`;
  if (!v) return `cannot read the server version "${serverVersion}"`;
  if (!(SUPPORTED_MAJORS as readonly number[]).includes(v[0]) || !atLeast(serverVersion, OLDEST_SUPPORTED)) {
    return `OpenMetadata server version ${v.join('.')} is not supported by @om/openmetadata ${CLIENT_VERSION}, which speaks the OpenMetadata ${wanted}`;
  }
  return undefined;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export class OpenMetadataClient {
  readonly baseUrl: string;
  readonly retry: RetryPolicy;
  private readonly transport: Transport;
  /** The path of `baseUrl` (e.g. `/api/v1`), which every request path starts with. */
  private readonly basePath: string;
  private readonly defaultHeaders: Record<string, string>;
  /** The last headers built, with the provider's headers they were built from. */
  private headerCache: { auth: Record<string, string>; headers: Record<string, string> } | undefined;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly auth: AuthProvider;
  private readonly masker: SecretMasker;
  private readonly logger: Logger;
  private readonly random: () => number;
  private serverVersionValue: string | undefined;
  /** Set when the server stopped answering; cleared by the next answer. */
  private unreachable: { since: number; lastProbe: number; reason: string } | undefined;

  /**
   * Builds a client; with `serverConfig.enableVersionValidation` (default true) it checks the server
   * version first and throws a {@link VersionMismatchError} with a clear message on mismatch.
   */
  static async connect(options: OpenMetadataClientOptions): Promise<OpenMetadataClient> {
    const masker = options.masker ?? new SecretMasker();
    const logger = options.logger ?? silentLogger;
    const auth = options.auth ?? (await createAuthProvider(options.serverConfig, { masker, logger, registry: authProviders }));
    const client = new OpenMetadataClient({ ...options, auth, masker, logger });
    if (options.serverConfig.enableVersionValidation !== false) {
      try {
        await client.validateVersion();
      } catch (err) {
        client.close();
        throw err;
      }
    }
    return client;
  }

  constructor(private readonly options: OpenMetadataClientOptions & { auth: AuthProvider }) {
    const sc = options.serverConfig;
    this.auth = options.auth;
    this.masker = options.masker ?? new SecretMasker();
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
    const maxRetries = options.retry?.maxRetries ?? (typeof sc.maxRetries === 'number' ? sc.maxRetries : undefined);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry, ...(maxRetries !== undefined ? { maxRetries } : {}) };
    const apiVersion = typeof sc.apiVersion === 'string' && sc.apiVersion ? sc.apiVersion : 'v1';
    this.baseUrl = `${sc.hostPort.replace(/\/+$/, '')}/${apiVersion}`;
    const maxSockets = options.maxSockets ?? 32;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, ...tlsOptions(sc) });
    const timeoutMs = options.timeoutMs ?? (typeof sc.timeout === 'number' ? sc.timeout * 1000 : 300_000);
    const url = new URL(this.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.defaultHeaders = { Accept: 'application/json', 'Accept-Encoding': 'gzip, deflate, br', 'User-Agent': `om-ingest/${CLIENT_VERSION}` };
    this.transport = createTransport({ origin: new URL(url.origin), httpAgent: this.httpAgent, httpsAgent: this.httpsAgent, timeoutMs, signal: options.signal });
  }

  /** The version `GET /system/version` reported (after `validateVersion` / `serverVersion`). */
  get knownServerVersion(): string | undefined {
    return this.serverVersionValue;
  }

  async serverVersion(): Promise<string> {
    const body = await this.get<{ version?: unknown }>('/system/version');
    if (!body || typeof body.version !== 'string') {
      throw new VersionMismatchError(
        `The OpenMetadata server at ${this.baseUrl} did not report its version (GET /system/version has no "version"); ` +
          'is hostPort pointing at OpenMetadata (it should end in /api)?',
        '',
      );
    }
    this.serverVersionValue = body.version;
    return body.version;
  }

  /** Checks the server version; throws {@link VersionMismatchError} when it is not supported. */
  async validateVersion(): Promise<string> {
    const version = await this.serverVersion();
    const problem = versionProblem(version);
    if (problem) {
      throw new VersionMismatchError(
        `${problem}. Use a supported server, or set workflowConfig.openMetadataServerConfig.enableVersionValidation: false to skip this check.`,
        version,
      );
    }
    return version;
  }

  /**
   * Checks that the credentials are accepted (`GET /services/databaseServices?limit=1`, which an
   * ingestion bot may always call); throws {@link OpenMetadataAuthError} with a clear message on 401/403.
   */
  async checkAccess(): Promise<void> {
    await this.get('/services/databaseServices', { limit: 1 });
  }

  async get<T>(urlPath: string, params?: QueryParams): Promise<T> {
    return (await this.request<T>('GET', urlPath, { params })).data;
  }

  /** GET `{collection}/name/{fqn}`; undefined on 404. */
  async getByName<T = EntityBase>(collection: string, fqn: string, options: { fields?: string[]; include?: 'non-deleted' | 'deleted' | 'all' } = {}): Promise<T | undefined> {
    const params: QueryParams = {};
    if (options.fields?.length) params.fields = options.fields.join(',');
    if (options.include) params.include = options.include;
    const res = await this.request<T>('GET', `${trimSlashes(collection)}/name/${encodeFqn(fqn)}`, { params, allow404: true });
    return res.status === 404 ? undefined : res.data;
  }

  /** PUT a create request (upsert by name); tells whether the entity was created, updated or unchanged. */
  async put<T = EntityBase>(urlPath: string, body: unknown): Promise<PutResult<T>> {
    const res = await this.request<T>('PUT', urlPath, { body, expect: 'entity' });
    return { entity: res.data, change: changeOf(res.status, String(res.headers['x-openmetadata-change'] ?? ''), res.data) };
  }

  /** PUT to an action endpoint that answers without an entity (e.g. `PUT /lineage`). */
  async putAction(urlPath: string, body: unknown): Promise<void> {
    await this.request('PUT', urlPath, { body, expect: 'optional' });
  }

  async post<T>(urlPath: string, body: unknown, params?: QueryParams): Promise<T> {
    return (await this.request<T>('POST', urlPath, { body, params })).data;
  }

  /** JSON Patch (RFC 6902). */
  async patch<T>(urlPath: string, operations: unknown[]): Promise<T> {
    return (await this.request<T>('PATCH', urlPath, { body: operations, contentType: 'application/json-patch+json' })).data;
  }

  async delete<T = unknown>(urlPath: string, params?: QueryParams): Promise<T> {
    return (await this.request<T>('DELETE', urlPath, { params, expect: 'optional' })).data;
  }

  /** One page: `{data, paging}`. */
  async list<T = EntityBase>(collection: string, params: QueryParams = {}): Promise<EntityList<T>> {
    const page = await this.get<EntityList<T>>(collection, params);
    if (!page || !Array.isArray(page.data)) {
      throw new OpenMetadataApiError(`GET ${collection}: the answer has no "data" list`, 200, 'GET', collection, undefined, undefined);
    }
    return page;
  }

  /** Every entity of a collection, following `paging.after` cursors. */
  async *listAll<T = EntityBase>(collection: string, params: QueryParams = {}, pageSize = 1000): AsyncGenerator<T> {
    let after: string | undefined;
    const seenCursors = new Set<string>();
    for (;;) {
      const page = await this.list<T>(collection, { ...params, limit: pageSize, ...(after ? { after } : {}) });
      yield* page.data;
      after = page.paging?.after;
      if (!after || page.data.length === 0) return;
      if (seenCursors.has(after)) throw new OpenMetadataApiError(`GET ${collection}: the server repeated a paging cursor`, 200, 'GET', collection, undefined, undefined);
      seenCursors.add(after);
    }
  }

  /**
   * One request with retries. 4xx (except 429) are not retried and throw an
   * {@link OpenMetadataApiError} carrying the server's message. A success answer that is not the
   * JSON the route returns (an HTML page from a proxy, truncated JSON, an empty entity) is a failure,
   * retried like a 503 for idempotent methods: it must never count as a stored entity.
   */
  async request<T>(
    method: HttpMethod,
    urlPath: string,
    opts: { params?: QueryParams; body?: unknown; allow404?: boolean; contentType?: string; expect?: Expect } = {},
  ): Promise<HttpAnswer<T>> {
    const rel = `/${trimSlashes(urlPath)}`;
    const target = `${this.basePath}${rel}${queryString(opts.params)}`;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    // A probe (the one request allowed through while the server is unreachable) gets no retries.
    const probing = this.failFast(method, rel);
    const maxRetries = probing ? 0 : this.retry.maxRetries;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const headers = this.requestHeaders(await this.auth.headers());
      let res: HttpAnswer<T>;
      try {
        res = (await this.transport.send({ method, path: target, headers, body, contentType: opts.contentType })) as HttpAnswer<T>;
      } catch (err) {
        const code = networkCode(err);
        const network = code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
        const retryable = network && (isIdempotent(method) || NOT_SENT_CODES.has(code));
        if (retryable && attempt < maxRetries && !this.options.signal?.aborted) {
          const delay = backoffDelay(this.retry, attempt, this.random);
          this.logger.debug(`${method} ${rel}: ${code}; retry ${attempt + 1}/${maxRetries} in ${delay} ms`);
          await sleep(delay, this.options.signal);
          continue;
        }
        const what = this.options.signal?.aborted ? 'aborted' : describeNetworkError(err, code);
        const message = this.masker.redact(`${method} ${this.baseUrl}${rel} failed: ${what}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`);
        if (network && !this.options.signal?.aborted) this.markUnreachable(message);
        throw new OpenMetadataConnectionError(message, method, rel, code);
      }
      this.unreachable = undefined;
      const status = res.status;
      if (status < 400) {
        const problem = answerProblem(res, opts.expect ?? 'json');
        if (!problem) return res;
        const retried = attempt > 0 ? ` (after ${attempt + 1} attempts)` : '';
        if (isIdempotent(method) && attempt < maxRetries) {
          const delay = backoffDelay(this.retry, attempt, this.random);
          this.logger.debug(`${method} ${rel}: ${status} with ${problem}; retry ${attempt + 1}/${maxRetries} in ${delay} ms`);
          await sleep(delay, this.options.signal);
          continue;
        }
        throw new OpenMetadataApiError(
          this.masker.redact(`${method} ${rel} → ${status} with ${problem} instead of the JSON the route returns${retried}; a proxy or gateway may be answering in place of OpenMetadata`),
          status, method, rel, undefined, undefined,
        );
      }
      if (status === 404 && opts.allow404) return res;
      if (status === 401 && !refreshed && this.auth.refresh) {
        refreshed = true;
        if (await this.auth.refresh()) {
          attempt--;
          continue;
        }
      }
      if (this.retry.retryStatuses.includes(status) && attempt < maxRetries) {
        const retryAfter = parseRetryAfter(res.headers['retry-after']);
        if (retryAfter === undefined || retryAfter <= this.retry.maxRetryAfterMs) {
          const delay = retryAfter ?? backoffDelay(this.retry, attempt, this.random);
          this.logger.debug(`${method} ${rel}: ${status}; retry ${attempt + 1}/${maxRetries} in ${delay} ms`);
          await sleep(delay, this.options.signal);
          continue;
        }
      }
      throw this.apiError(method, rel, res, attempt);
    }
  }

  /**
   * While the server is unreachable: throws at once without sending, except for one probe request
   * per `unreachableProbeMs` (returns true for it). Returns false when the server is not known down.
   */
  private failFast(method: string, rel: string): boolean {
    const down = this.unreachable;
    if (!down) return false;
    const now = Date.now();
    const probeMs = this.options.unreachableProbeMs ?? DEFAULT_UNREACHABLE_PROBE_MS;
    if (now - down.lastProbe >= probeMs) {
      down.lastProbe = now;
      return true;
    }
    const seconds = Math.round((now - down.since) / 1000);
    throw new OpenMetadataConnectionError(
      `${method} ${this.baseUrl}${rel} not sent: the OpenMetadata server has not answered for ${seconds} s (${down.reason})`,
      method,
      rel,
      'UNREACHABLE',
    );
  }

  private markUnreachable(reason: string): void {
    const now = Date.now();
    if (this.unreachable) this.unreachable.reason = reason;
    else this.unreachable = { since: now, lastProbe: now, reason };
  }

  /**
   * What a request sends: the default headers, then {@link headersFor} (replacing a default of the
   * same name, whatever its case). Rebuilt only when the provider's headers change.
   */
  private requestHeaders(authHeaders: Record<string, string>): Record<string, string> {
    const cached = this.headerCache;
    if (cached && sameHeaders(cached.auth, authHeaders)) return cached.headers;
    const headers: Record<string, string> = { ...this.defaultHeaders };
    for (const [name, value] of Object.entries(this.headersFor(authHeaders))) setHeader(headers, name, value);
    this.headerCache = { auth: { ...authHeaders }, headers };
    return headers;
  }

  private headersFor(authHeaders: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { ...authHeaders };
    const extra = this.options.serverConfig.extraHeaders ?? {};
    for (const [name, value] of Object.entries(extra)) {
      // OpenMetadata lets extra header values reference existing headers: `%(Authorization)s`.
      headers[name] = String(value).replace(/%\(([^)]+)\)s/g, (_m, ref: string) => {
        const key = Object.keys(headers).find((k) => k.toLowerCase() === ref.toLowerCase());
        return key ? headers[key] : '';
      });
    }
    return headers;
  }

  private apiError(method: string, rel: string, res: HttpAnswer, attempt: number): OpenMetadataApiError {
    const body = res.data as { code?: unknown; message?: unknown } | string | undefined;
    const serverMessage =
      body && typeof body === 'object' && typeof body.message === 'string'
        ? body.message
        : typeof body === 'string' && body.trim()
          ? body.trim().slice(0, 500)
          : undefined;
    const code = body && typeof body === 'object' && typeof body.code === 'number' ? body.code : undefined;
    const retried = attempt > 0 ? ` (after ${attempt + 1} attempts)` : '';
    const base = `${method} ${rel} → ${res.status}${serverMessage ? `: ${serverMessage}` : ''}${retried}`;
    if (res.status === 401 || res.status === 403) {
      const hint = this.auth.credentialsHint ? `; ${this.auth.credentialsHint}` : '';
      return new OpenMetadataAuthError(
        this.masker.redact(`OpenMetadata refused the credentials of authProvider "${this.auth.name}" (${base})${hint}`),
        res.status, method, rel, serverMessage && this.masker.redact(serverMessage), code,
      );
    }
    if (res.status >= 300 && res.status < 400) {
      return new OpenMetadataApiError(
        this.masker.redact(`${base}: redirected to ${String(res.headers.location ?? '?')}; set hostPort to the final address (redirects are not followed)`),
        res.status, method, rel, serverMessage, code,
      );
    }
    return new OpenMetadataApiError(this.masker.redact(base), res.status, method, rel, serverMessage && this.masker.redact(serverMessage), code);
  }

  /** Releases the keep-alive sockets. */
  close(): void {
    this.transport.close();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/**
 * Undefined when a 1xx–3xx answer holds what the route returns; else what it holds instead. A body
 * that is not JSON is left as a string, so any string here was not the JSON entity.
 */
export function answerProblem(res: Pick<HttpAnswer, 'data' | 'headers' | 'status'>, expect: Expect): string | undefined {
  if (res.status >= 300) return undefined;
  const type = String(res.headers?.['content-type'] ?? '').toLowerCase();
  const data: unknown = res.data;
  const empty = data === undefined || data === null || data === '';
  if (empty) return expect === 'optional' || res.status === 204 ? undefined : 'an empty body';
  if (type && !type.includes('json')) return `a ${type.split(';')[0].trim()} body`;
  if (typeof data === 'string') {
    return /^\s*</.test(data) ? 'an HTML/XML page' : `a body that is not valid JSON (truncated?) of ${Buffer.byteLength(data)} bytes`;
  }
  if (expect === 'entity' && (typeof data !== 'object' || Array.isArray(data))) return 'a JSON value that is not an entity';
  return undefined;
}

/** `?a=1&b=x,y` from the defined params, encoded as axios did (`:`, `$`, `,` kept, space as `+`). */
function queryString(params: QueryParams | undefined): string {
  if (!params) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) if (v !== undefined) parts.push(`${encodeParam(k)}=${encodeParam(String(v))}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function encodeParam(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%24/g, '$').replace(/%2C/gi, ',').replace(/%20/g, '+');
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k !== name && k.toLowerCase() === lower) delete headers[k];
  headers[name] = value;
}

function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(b);
  if (Object.keys(a).length !== keys.length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

function trimSlashes(p: string): string {
  return p.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** TLS options from `verifySSL` / `sslConfig`. */
export function tlsOptions(sc: OpenMetadataServerConfig): https.AgentOptions {
  const mode = sc.verifySSL ?? 'no-ssl';
  if (mode === 'ignore') return { rejectUnauthorized: false };
  if (mode !== 'validate') return {};
  const ssl = (sc.sslConfig ?? {}) as { caCertificate?: string; sslCertificate?: string; sslKey?: string };
  if (!ssl.caCertificate) {
    throw new OpenMetadataConnectionError(
      'verifySSL: validate needs workflowConfig.openMetadataServerConfig.sslConfig.caCertificate (a PEM file path or PEM text)',
      'GET', '', undefined,
    );
  }
  const pem = (v: string): string => (v.includes('-----BEGIN') ? v : fs.readFileSync(v, 'utf8'));
  return {
    rejectUnauthorized: true,
    ca: pem(ssl.caCertificate),
    ...(ssl.sslCertificate ? { cert: pem(ssl.sslCertificate) } : {}),
    ...(ssl.sslKey ? { key: pem(ssl.sslKey) } : {}),
  };
}

/** The error code of a failed request, read without touching the request config or headers. */
function networkCode(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
  if (typeof e.code === 'string' && e.code !== 'ERR_BAD_RESPONSE' && e.code !== 'ERR_BAD_REQUEST') return e.code;
  if (typeof e.cause?.code === 'string') return e.cause.code;
  if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) return 'ECONNRESET';
  return typeof e.code === 'string' ? e.code : undefined;
}

function describeNetworkError(err: unknown, code: string | undefined): string {
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused (${message}); is the OpenMetadata server running and hostPort right?`;
    case 'ECONNABORTED':
    case 'ETIMEDOUT':
      return `timed out (${message})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${message}); check hostPort`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
      return `TLS certificate problem (${code}); set verifySSL: validate with sslConfig.caCertificate, or verifySSL: ignore`;
    default:
      return code ? `${message} (${code})` : message;
  }
}
