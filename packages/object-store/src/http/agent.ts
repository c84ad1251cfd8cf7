/**
 * A pool of keep-alive HTTP/1.1 connections per origin for body-less requests (ranged GETs), whose
 * answers' bodies can be read straight into the caller's buffer (`SocketBody.readInto`). Store
 * adapters route their object reads through it; requests with a body stay with the SDK's client.
 */
import { Http1Connection, StaleConnectionError, type ConnectionOptions, type ConnectionOwner, type Http1Request, type Http1Response } from './connection';

export { SocketBody, type Http1Response } from './connection';

export interface Http1AgentOptions {
  /** Milliseconds to wait for a connection (default 10 s). */
  connectTimeoutMs?: number;
  /** Milliseconds the server may stay silent while a request is in flight (default 60 s). */
  idleTimeoutMs?: number;
  /** Open connections per origin at most; more requests wait for one (default 50, as the AWS SDK). */
  maxConnectionsPerOrigin?: number;
  /** Milliseconds an unused connection stays open (default 15 s). */
  keepIdleMs?: number;
  /** HTTPS: the certificates to trust instead of Node's (which `NODE_EXTRA_CA_CERTS` extends). */
  ca?: string | Buffer | Array<string | Buffer>;
}

export interface Http1AgentRequest extends Http1Request {
  protocol: 'http:' | 'https:';
  hostname: string;
  /** Default: 80 or 443. */
  port?: number;
}

interface Origin {
  options: ConnectionOptions;
  idle: Http1Connection[];
  open: number;
  waiting: Array<{ take: (c: Http1Connection) => void; signal?: AbortSignal; onAbort?: () => void }>;
}

export class Http1Agent implements ConnectionOwner {
  private readonly origins = new Map<string, Origin>();
  private readonly originOf = new Map<Http1Connection, Origin>();
  private readonly max: number;
  private destroyed = false;

  constructor(private readonly options: Http1AgentOptions = {}) {
    this.max = options.maxConnectionsPerOrigin ?? 50;
  }

  /** Sends a body-less request; resolves once the answer's head is read. */
  async request(request: Http1AgentRequest): Promise<Http1Response> {
    if (this.destroyed) throw new Error('the HTTP agent is closed');
    const origin = this.origin(request);
    // A kept connection the server closed in the meantime fails before any answer: once more on a new one.
    for (let attempt = 0; ; attempt++) {
      const connection = await this.acquire(origin, request.signal);
      try {
        return await connection.send(request);
      } catch (err) {
        if (err instanceof StaleConnectionError && attempt === 0) continue;
        throw err instanceof StaleConnectionError && err.cause instanceof Error ? err.cause : err;
      }
    }
  }

  /** Closes every connection; requests in flight fail. */
  destroy(): void {
    this.destroyed = true;
    for (const origin of this.origins.values()) {
      for (const connection of origin.idle) connection.destroy();
      origin.idle.length = 0;
    }
    for (const connection of [...this.originOf.keys()]) connection.destroy(new Error('the HTTP agent was closed'));
  }

  free(connection: Http1Connection): void {
    const origin = this.originOf.get(connection);
    if (!origin) return;
    const next = origin.waiting.shift();
    if (next) next.take(connection);
    else origin.idle.push(connection);
  }

  closed(connection: Http1Connection): void {
    const origin = this.originOf.get(connection);
    if (!origin) return;
    this.originOf.delete(connection);
    origin.open--;
    const at = origin.idle.indexOf(connection);
    if (at >= 0) origin.idle.splice(at, 1);
    const next = origin.waiting.shift();
    if (next) next.take(this.connect(origin));
  }

  private origin(request: Http1AgentRequest): Origin {
    const port = request.port ?? (request.protocol === 'https:' ? 443 : 80);
    const key = `${request.protocol}//${request.hostname}:${port}`;
    let origin = this.origins.get(key);
    if (!origin) {
      origin = {
        options: {
          protocol: request.protocol,
          hostname: request.hostname,
          port,
          connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
          idleTimeoutMs: this.options.idleTimeoutMs ?? 60_000,
          keepIdleMs: this.options.keepIdleMs ?? 15_000,
          ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
        },
        idle: [],
        open: 0,
        waiting: [],
      };
      this.origins.set(key, origin);
    }
    return origin;
  }

  private acquire(origin: Origin, signal: AbortSignal | undefined): Promise<Http1Connection> {
    while (origin.idle.length > 0) {
      // The most recently used first: the others may time out and close.
      const connection = origin.idle.pop()!;
      if (!connection.closed) return Promise.resolve(connection);
    }
    if (origin.open < this.max) return Promise.resolve(this.connect(origin));
    return new Promise<Http1Connection>((resolve, reject) => {
      const entry: Origin['waiting'][number] = {
        take: (connection) => {
          if (entry.signal && entry.onAbort) entry.signal.removeEventListener('abort', entry.onAbort);
          resolve(connection);
        },
      };
      if (signal) {
        if (signal.aborted) {
          reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
          return;
        }
        entry.signal = signal;
        entry.onAbort = () => {
          const at = origin.waiting.indexOf(entry);
          if (at >= 0) origin.waiting.splice(at, 1);
          reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      origin.waiting.push(entry);
    });
  }

  private connect(origin: Origin): Http1Connection {
    const connection = new Http1Connection(origin.options, this);
    origin.open++;
    this.originOf.set(connection, origin);
    return connection;
  }
}
