/**
 * A strict, in-memory OpenMetadata API server for tests and local trials (Node's `http` only).
 * Paths are those of the real server under `/api/v1`; errors are `{code, message}` like the real one.
 *
 * Test knobs: `injectFault` (answer N requests with 503/429/any status, or drop the connection),
 * `latencyMs` (added before every answer), a request log and the highest number of requests in flight.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { contractFor } from './contract';
import { CatalogStore, ROUTES, type ChangeType, type EntityKind } from './store';
import { atLeast, ROUTES_SINCE } from './versions';
import { HttpError, isObject } from './validate';

export interface OmApiServerOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Bearer token every request must carry; undefined = no auth. */
  token?: string;
  /** What `GET /system/version` reports. */
  version?: string;
  /** Added to every API request (ms). */
  latencyMs?: number;
  /** Print one line per request to this function. */
  log?: (line: string) => void;
}

export interface Fault {
  method?: string;
  /** Matches the path (without query) if it contains this string, or by RegExp. Default: every API path. */
  path?: string | RegExp;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** Status to answer with (default 503), ignored with `drop`. */
  status?: number;
  /** `Retry-After` header value (seconds or HTTP date) for 429/503. */
  retryAfter?: string | number;
  /** Destroy the socket without answering (the client sees a connection reset). */
  drop?: boolean;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  /** True when a fault answered (or dropped) the request. */
  fault?: boolean;
  /** The Authorization header was present (the value itself is never kept). */
  authorized?: boolean;
}

const MAX_LOG = 20000;
const API = '/api/v1';

export class OmApiServer {
  readonly store: CatalogStore;
  readonly requests: RequestLogEntry[] = [];
  latencyMs: number;
  token: string | undefined;
  version: string;
  /** Highest number of API requests being handled at once. */
  maxInFlight = 0;
  private inFlight = 0;
  private faults: (Fault & { remaining: number })[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private address: AddressInfo | undefined;

  constructor(private readonly options: OmApiServerOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.token = options.token;
    this.version = options.version ?? '1.6.2';
    this.store = new CatalogStore(() => this.url, () => contractFor(this.version));
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => this.send(res, 500, { code: 500, message: String((err as Error)?.message ?? err) }));
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    if (!this.address) return 'http://127.0.0.1:0';
    return `http://${this.address.address}:${this.address.port}`;
  }

  /** What to put in `openMetadataServerConfig.hostPort`. */
  get hostPort(): string {
    return `${this.url}/api`;
  }

  get port(): number {
    return this.address?.port ?? 0;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.address = this.server.address() as AddressInfo;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /**
   * Forgets entities, faults and the request log, created classifications/tags/test definitions and
   * seeded users/teams (the default tags and test definitions stay).
   */
  reset(): void {
    this.store.reset();
    this.clearFaults();
    this.requests.length = 0;
    this.maxInFlight = 0;
  }

  /** Request log entries matching a method and a path substring. */
  requestsFor(method: string, pathPart: string | RegExp = ''): RequestLogEntry[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof pathPart === 'string' ? r.path.includes(pathPart) : pathPart.test(r.path)),
    );
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        (f.path === undefined || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
    );
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.remaining--;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return f;
  }

  private log(entry: RequestLogEntry): void {
    if (this.requests.length < MAX_LOG) this.requests.push(entry);
    this.options.log?.(`${entry.method} ${entry.path}${entry.query ? `?${entry.query}` : ''} → ${entry.fault && entry.status === 0 ? 'dropped' : entry.status}`);
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const entry: RequestLogEntry = { method, path, query: url.search.slice(1), status: 0, authorized: !!req.headers.authorization };
    if (path.startsWith('/__admin/')) return this.admin(req, res, method, path, url);

    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const body = await readBody(req);
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      const fault = this.takeFault(method, path);
      if (fault) {
        entry.fault = true;
        if (fault.drop) {
          this.log(entry);
          req.socket.destroy();
          return;
        }
        const status = fault.status ?? 503;
        entry.status = status;
        this.log(entry);
        const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
        this.send(res, status, { code: status, message: status === 429 ? 'Too Many Requests' : 'Service Unavailable (injected fault)' }, headers);
        return;
      }
      let status = 200;
      let payload: unknown;
      let headers: Record<string, string> = {};
      try {
        const out = this.route(method, path, url.searchParams, body, req);
        status = out.status;
        payload = out.body;
        if (out.change) headers = { 'X-OpenMetadata-Change': out.change };
      } catch (err) {
        if (err instanceof HttpError) {
          status = err.status;
          payload = { code: err.status, message: err.message };
        } else throw err;
      }
      entry.status = status;
      this.log(entry);
      this.send(res, status, payload, headers);
    } finally {
      this.inFlight--;
    }
  }

  private checkAuth(req: http.IncomingMessage): void {
    if (this.token === undefined) return;
    const header = req.headers.authorization;
    if (!header) throw new HttpError(401, 'Not Authorized! Token not present');
    const m = /^Bearer (.+)$/.exec(header);
    if (!m || m[1] !== this.token) throw new HttpError(401, 'Not Authorized! Invalid token');
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    rawBody: string,
    req: http.IncomingMessage,
  ): { status: number; body?: unknown; change?: ChangeType } {
    if (!path.startsWith(`${API}/`)) throw new HttpError(404, `HTTP 404 Not Found`);
    const rest = path.slice(API.length + 1);
    // The version endpoint is public on the real server.
    if (method === 'GET' && rest === 'system/version') {
      return { status: 200, body: { version: this.version, revision: 'om-api-test-server', timestamp: 0 } };
    }
    this.checkAuth(req);
    for (const r of ROUTES_SINCE) {
      if (r.method === method && r.pattern.test(rest) && !atLeast(this.version, r.since)) throw new HttpError(404, 'HTTP 404 Not Found');
    }
    const body = method === 'PUT' || method === 'POST' || method === 'PATCH' ? parseJson(rawBody, req) : undefined;
    const segs = rest.split('/').map(decodeSegment);
    const s = this.store;

    // ---- profile / sample data / profiler config ----
    if (segs[0] === 'tables' && segs.length === 3 && ['tableProfile', 'sampleData', 'tableProfilerConfig'].includes(segs[2])) {
      if (method === 'PUT' && segs[2] === 'tableProfile') return { status: 200, body: s.putProfile(segs[1], body as Record<string, unknown>) };
      if (method === 'PUT' && segs[2] === 'sampleData') return { status: 200, body: s.putSampleData(segs[1], body as Record<string, unknown>) };
      if (method === 'PUT' && segs[2] === 'tableProfilerConfig') return { status: 200, body: s.putProfilerConfig(segs[1], body as Record<string, unknown>) };
      if (method === 'GET' && segs[2] === 'tableProfile') return { status: 200, body: s.tableProfiles(segs[1], query) };
    }
    if (segs[0] === 'tables' && segs.length === 3 && segs[2] === 'columnProfile' && method === 'GET') {
      return { status: 200, body: s.columnProfiles(segs[1], query) };
    }
    if (segs[0] === 'tables' && segs.length === 5 && segs[1] === 'name' && segs[3] === 'tableProfile' && segs[4] === 'latest' && method === 'GET') {
      const t = s.getByName('table', segs[2]);
      return { status: 200, body: s.render(t, new Set(['profile'])) };
    }

    // ---- JSON Patch, dbt data model ----
    if (segs[0] === 'tables' && segs.length === 2 && method === 'PATCH') {
      if (!/^application\/json-patch\+json\b/i.test(String(req.headers['content-type'] ?? ''))) {
        throw new HttpError(415, `HTTP 415 Unsupported Media Type (PATCH needs application/json-patch+json)`);
      }
      const out = s.patchTable(segs[1], body);
      return { status: 200, body: out.entity, change: out.change };
    }
    if (segs[0] === 'tables' && segs.length === 3 && segs[2] === 'dataModel' && method === 'PUT') {
      return { status: 200, body: s.putDataModel(segs[1], body as Record<string, unknown>) };
    }

    // ---- classifications, tags, users, teams ----
    const g = s.governance;
    if (segs[0] === 'classifications') {
      if (method === 'PUT' && segs.length === 1) {
        s.check('createClassification', body);
        const out = g.putClassification(body as Record<string, unknown>);
        return { status: out.change === 'entityCreated' ? 201 : 200, body: out.entity, change: out.change };
      }
      if (method === 'GET' && segs.length === 3 && segs[1] === 'name') return { status: 200, body: g.getClassification(segs[2]) };
      if (method === 'GET' && segs.length === 1) {
        const data = [...g.classifications.values()];
        return { status: 200, body: { data, paging: { total: data.length } } };
      }
    }
    if (segs[0] === 'tags') {
      if (method === 'PUT' && segs.length === 1) {
        s.check('createTag', body);
        const out = g.putTag(body as Record<string, unknown>);
        return { status: out.change === 'entityCreated' ? 201 : 200, body: out.entity, change: out.change };
      }
      if (method === 'GET' && segs.length === 3 && segs[1] === 'name') return { status: 200, body: g.getTag(segs[2]) };
      if (method === 'GET' && segs.length === 1) return { status: 200, body: g.listTags(query) };
    }
    if ((segs[0] === 'users' || segs[0] === 'teams') && method === 'GET') {
      const type = segs[0] === 'users' ? 'user' : 'team';
      if (segs.length === 3 && segs[1] === 'name') return { status: 200, body: g.getPrincipal(type, segs[2]) };
      if (segs.length === 1) return { status: 200, body: g.listPrincipals(type, query) };
    }

    // ---- data quality ----
    if (segs[0] === 'dataQuality') return this.dataQuality(method, segs.slice(1), query, body);

    // ---- lineage ----
    if (segs[0] === 'lineage') {
      if (method === 'PUT' && segs.length === 1) {
        s.addLineage(body as Record<string, unknown>);
        return { status: 200 };
      }
      if (method === 'GET' && segs.length === 4 && segs[2] === 'name') {
        const kind = kindOfType(segs[1]);
        return { status: 200, body: s.lineageOf(kind, segs[3]) };
      }
    }

    // ---- the database hierarchy ----
    const match = matchCollection(segs);
    if (match) {
      const { kind, tail } = match;
      const include = query.get('include') ?? 'non-deleted';
      const fields = new Set((query.get('fields') ?? '').split(',').filter(Boolean));
      if (tail.length === 0) {
        if (method === 'PUT') {
          const out = s.put(kind, body as Record<string, unknown>);
          return { status: out.change === 'entityCreated' ? 201 : 200, body: out.entity, change: out.change };
        }
        if (method === 'GET') return { status: 200, body: s.list(kind, query) };
      }
      if (tail.length === 2 && tail[0] === 'name' && method === 'GET') {
        return { status: 200, body: s.render(s.getByName(kind, tail[1], include), fields) };
      }
      if (tail.length === 1 && method === 'GET') return { status: 200, body: s.render(s.getById(kind, tail[0], include), fields) };
      if (tail.length === 1 && method === 'DELETE') return { status: 200, body: s.delete(kind, tail[0], query) };
      if (tail.length === 2 && tail[0] === 'name' && method === 'DELETE') {
        const e = s.getByName(kind, tail[1], 'all');
        return { status: 200, body: s.delete(kind, e.id, query) };
      }
    }
    throw new HttpError(404, `HTTP 404 Not Found: ${method} ${path}`);
  }

  private dataQuality(method: string, segs: string[], query: URLSearchParams, body: unknown): { status: number; body?: unknown; change?: ChangeType } {
    const s = this.store;
    const b = body as Record<string, unknown>;
    const [col, ...tail] = segs;
    if (col === 'testDefinitions') {
      if (method === 'PUT' && tail.length === 0) {
        const out = s.putTestDefinition(b);
        return { status: out.change === 'entityCreated' ? 201 : 200, body: out.entity, change: out.change };
      }
      if (method === 'GET' && tail.length === 0) {
        const data = [...s.testDefinitions.values()];
        return { status: 200, body: { data, paging: { total: data.length } } };
      }
      if (method === 'GET' && tail[0] === 'name' && tail.length === 2) {
        const d = s.testDefinitions.get(tail[1]);
        if (!d) throw new HttpError(404, `testDefinition instance for ${tail[1]} not found`);
        return { status: 200, body: d };
      }
    }
    if (col === 'testSuites') {
      if (method === 'PUT' && (tail.length === 0 || (tail.length === 1 && ['executable', 'base'].includes(tail[0])))) {
        s.check('createTestSuite', b);
        const out = s.putTestSuite(b, tail.length === 1);
        return { status: out.change === 'entityCreated' ? 201 : 200, body: out.entity, change: out.change };
      }
      if (method === 'GET' && tail[0] === 'name' && tail.length === 2) {
        const suite = s.testSuites.get(tail[1]);
        if (!suite) throw new HttpError(404, `testSuite instance for ${tail[1]} not found`);
        return { status: 200, body: suite };
      }
    }
    if (col === 'testCases') {
      if (method === 'PUT' && tail.length === 0) {
        const out = s.putTestCase(b);
        return { status: out.change === 'entityCreated' ? 201 : 200, body: out.entity, change: out.change };
      }
      if (method === 'GET' && tail.length === 0) {
        const suiteId = query.get('testSuiteId');
        const link = query.get('entityLink');
        const suiteFqn = suiteId ? [...s.testSuites.values()].find((x) => x.id === suiteId)?.fullyQualifiedName : undefined;
        const data = [...s.testCases.values()]
          .filter((t) => (!suiteId || t.testSuite === suiteFqn) && (!link || t.entityLink === link))
          .map((t) => s.renderTestCase(t));
        return { status: 200, body: { data, paging: { total: data.length } } };
      }
      if (method === 'GET' && tail[0] === 'name' && tail.length === 2) {
        const t = s.testCases.get(tail[1]);
        if (!t) throw new HttpError(404, `testCase instance for ${tail[1]} not found`);
        return { status: 200, body: s.renderTestCase(t) };
      }
      // ≥1.5: POST /dataQuality/testCases/testCaseResults/{fqn}; GET the same path lists them.
      if (tail[0] === 'testCaseResults' && tail.length === 2) {
        if (method === 'POST') return { status: 200, body: s.addTestCaseResult(tail[1], b) };
        if (method === 'GET') return { status: 200, body: s.testCaseResults(tail[1], query) };
      }
      // ≤1.4: PUT /dataQuality/testCases/{fqn}/testCaseResult
      if (tail.length === 2 && tail[1] === 'testCaseResult') {
        if (method === 'PUT') return { status: 200, body: s.addTestCaseResult(tail[0], b) };
        if (method === 'GET') return { status: 200, body: s.testCaseResults(tail[0], query) };
      }
    }
    throw new HttpError(404, `HTTP 404 Not Found: ${method} /dataQuality/${segs.join('/')}`);
  }

  /** Control endpoints for a server started from the command line. */
  private async admin(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string, url: URL): Promise<void> {
    const body = await readBody(req);
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    switch (`${method} ${path}`) {
      case 'POST /__admin/faults':
        this.injectFault({ ...(json as Fault), path: typeof json.path === 'string' ? json.path : undefined });
        return this.send(res, 200, { ok: true });
      case 'DELETE /__admin/faults':
        this.clearFaults();
        return this.send(res, 200, { ok: true });
      case 'POST /__admin/latency':
        this.latencyMs = Number(json.ms ?? 0);
        return this.send(res, 200, { ok: true, latencyMs: this.latencyMs });
      case 'POST /__admin/reset':
        this.reset();
        return this.send(res, 200, { ok: true });
      case 'GET /__admin/requests':
        return this.send(res, 200, { requests: this.requests.slice(-Number(url.searchParams.get('last') ?? 200)), maxInFlight: this.maxInFlight });
      case 'POST /__admin/users':
        return this.send(res, 200, this.store.governance.seedUser(json as { name: string; email?: string }));
      case 'POST /__admin/teams':
        return this.send(res, 200, this.store.governance.seedTeam(json as { name: string; email?: string }));
      case 'GET /__admin/entities': {
        const out: Record<string, unknown> = {};
        for (const kind of Object.keys(ROUTES) as EntityKind[]) {
          out[kind] = this.store.all(kind).map((e) => ({ fullyQualifiedName: e.fullyQualifiedName, version: e.version, deleted: e.deleted }));
        }
        return this.send(res, 200, out);
      }
      default:
        return this.send(res, 404, { code: 404, message: `unknown admin endpoint ${method} ${path}` });
    }
  }
}

export async function startOmApiServer(options: OmApiServerOptions = {}): Promise<OmApiServer> {
  return new OmApiServer(options).start();
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string, req: http.IncomingMessage): unknown {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/(json|json-patch\+json)\b/i.test(type)) {
    throw new HttpError(415, `HTTP 415 Unsupported Media Type (Content-Type ${type || 'missing'})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Unable to process JSON');
  }
}

function decodeSegment(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    throw new HttpError(400, `Invalid URL encoding in ${seg}`);
  }
}

function matchCollection(segs: string[]): { kind: EntityKind; tail: string[] } | undefined {
  for (const [kind, route] of Object.entries(ROUTES) as [EntityKind, string][]) {
    const parts = route.split('/');
    if (parts.every((p, i) => segs[i] === p)) return { kind, tail: segs.slice(parts.length) };
  }
  return undefined;
}

function kindOfType(type: string): EntityKind {
  if (type === 'table' || type === 'database' || type === 'databaseSchema' || type === 'databaseService') return type;
  throw new HttpError(400, `Invalid entity type ${type}`);
}

export { isObject };
