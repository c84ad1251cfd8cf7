/**
 * How the client sends one request and reads its answer. Straight to the server it uses node:http /
 * node:https on the client's keep-alive agents: axios' per-request work (config merging, header
 * objects, transforms, a keep-alive reset of the socket) cost more client CPU than the sink's own
 * work for each table PUT (see the package README). When the environment names a proxy for the
 * server's scheme (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`), axios sends instead, as it always did:
 * it honours those variables and `NO_PROXY`, node:http does not.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as zlib from 'node:zlib';
import axios, { type AxiosInstance } from 'axios';

export interface HttpAnswer<T = unknown> {
  status: number;
  /** Lower-case names. */
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body; the text when it is not JSON, '' when empty. */
  data: T;
}

export interface HttpCall {
  method: string;
  /** Path and query, relative to the origin (it starts with `/`). */
  path: string;
  /** Not changed by the transport (the client reuses them). */
  headers: Readonly<Record<string, string>>;
  /** Already serialized; sent with `contentType`. */
  body?: string;
  contentType?: string;
}

export interface Transport {
  send(call: HttpCall): Promise<HttpAnswer>;
  /** Stops listening to the abort signal (the agents belong to the client). */
  close(): void;
}

export interface TransportOptions {
  /** `{scheme}://{host}:{port}` of the server. */
  origin: URL;
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  /** Idle time without a byte from the server before the request fails (ETIMEDOUT). */
  timeoutMs: number;
  /** Aborts every request in flight. */
  signal?: AbortSignal;
}

/** The proxy the environment names for `protocol` (`http:` / `https:`), as axios reads it. */
export function envProxy(protocol: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const read = (name: string): string | undefined => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
  return read(`${protocol.replace(/:$/, '')}_proxy`) ?? read('all_proxy');
}

export function createTransport(options: TransportOptions): Transport {
  return envProxy(options.origin.protocol) ? axiosTransport(options) : nodeTransport(options);
}

export function nodeTransport({ origin, httpAgent, httpsAgent, timeoutMs, signal }: TransportOptions): Transport {
  const secure = origin.protocol === 'https:';
  const request = secure ? https.request : http.request;
  const base = { protocol: origin.protocol, hostname: origin.hostname.replace(/^\[|\]$/g, ''), port: origin.port || undefined, agent: secure ? httpsAgent : httpAgent };
  // Aborting ends what the client's agents hold (requests waiting for a socket, sockets in use):
  // no per-request listener or bookkeeping, which measurably cost CPU on every request.
  const abort = (): void => {
    const err = abortError();
    for (const agent of [httpAgent, httpsAgent]) {
      for (const waiting of Object.values(agent.requests)) for (const req of waiting ?? []) req.destroy(err);
      for (const sockets of Object.values(agent.sockets)) for (const socket of sockets ?? []) socket.destroy(err);
    }
  };
  signal?.addEventListener('abort', abort, { once: true });
  const send = (call: HttpCall): Promise<HttpAnswer> =>
    new Promise<HttpAnswer>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const headers =
        call.body === undefined ? call.headers : { ...call.headers, 'Content-Type': call.contentType ?? 'application/json', 'Content-Length': String(Buffer.byteLength(call.body)) };
      const req = request({ ...base, method: call.method, path: call.path, headers }, (res) => {
        const chunks: Buffer[] = [];
        const body = decoded(res);
        body.on('data', (chunk: Buffer) => chunks.push(chunk));
        if (body !== res) body.on('error', reject);
        body.on('end', () => {
          // An answer usually arrives in one chunk: no copy then.
          const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, data: parseBody(text) });
        });
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ECONNRESET' }));
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(call.body);
    });
  return { send, close: () => signal?.removeEventListener('abort', abort) };
}

/** axios as before this transport existed: only used when a proxy is configured in the environment. */
export function axiosTransport({ origin, httpAgent, httpsAgent, timeoutMs, signal }: TransportOptions): Transport {
  const client: AxiosInstance = axios.create({
    baseURL: origin.origin,
    timeout: timeoutMs,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    // Every status comes back as an answer: the client builds its errors, never from axios errors.
    validateStatus: () => true,
  });
  return {
    async send(call) {
      const headers = call.body === undefined ? call.headers : { ...call.headers, 'Content-Type': call.contentType ?? 'application/json' };
      const res = await client.request({ method: call.method, url: call.path, data: call.body, headers, signal });
      return { status: res.status, headers: { ...(res.headers as http.IncomingHttpHeaders) }, data: res.data as unknown };
    },
    close() {},
  };
}

function abortError(): Error {
  return Object.assign(new Error('the request was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** The body stream, decompressed when the server compressed it (the client accepts gzip, deflate, br). */
function decoded(res: http.IncomingMessage): NodeJS.ReadableStream {
  switch (String(res.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(zlib.createGunzip());
    case 'deflate':
      return res.pipe(zlib.createInflate());
    case 'br':
      return res.pipe(zlib.createBrotliDecompress());
    default:
      return res;
  }
}

/** JSON when it parses, else the text itself: the caller decides whether the route allowed that. */
function parseBody(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
