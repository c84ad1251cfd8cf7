/**
 * A small HTTP proxy in front of a storage emulator (or the OpenMetadata API test server) that
 * injects real faults: it answers chosen requests itself (503 once, 403 for one object, an HTML
 * page with status 200...), never answers them, cuts a response body part-way, or rewrites a
 * response body, and forwards everything else unchanged (headers included, so request signatures
 * stay valid). Tests use it to see retries, timeouts, denials and provider fields (storage classes)
 * the emulators do not produce.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** Path and query as received, e.g. `/bucket?list-type=2`. */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The request body as text (DynamoDB names its table there). */
  body: string;
}

/** The proxy answers itself with this status, headers and body. */
export interface AnswerFault {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** The request is read and never answered (the socket stays open until the client gives up). */
export interface HangFault {
  hang: true;
}

/**
 * The request is forwarded, the upstream status line, headers and the first `resetAfterBytes` bytes
 * of the body are sent, then the connection is destroyed (a reset in the middle of the body).
 */
export interface ResetFault {
  resetAfterBytes: number;
}

/**
 * The request is forwarded; the status line, headers and the first `stallAfterBytes` bytes of the
 * body are sent, then nothing more while the connection stays open (a body that goes silent).
 */
export interface StallFault {
  stallAfterBytes: number;
}

/** The socket is destroyed without any answer (a connection reset before the status line). */
export interface DropFault {
  drop: true;
}

export type Fault = AnswerFault | HangFault | ResetFault | StallFault | DropFault;

export type FaultRule = (req: ProxiedRequest, seen: number) => Fault | undefined;
export type BodyRewrite = (req: ProxiedRequest, body: string) => string | undefined;

export interface LoggedRequest extends ProxiedRequest {
  /** 0 when the proxy hung, dropped or reset the request. */
  status: number;
  injected: boolean;
}

export class FaultProxy {
  private server: http.Server | undefined;
  endpoint = '';
  readonly log: LoggedRequest[] = [];
  private rules: FaultRule[] = [];
  private rewrites: BodyRewrite[] = [];
  private readonly counts = new Map<FaultRule, number>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: string) {}

  /** Adds a rule; the rule sees how many requests it matched before (0 the first time). */
  fault(rule: FaultRule): this {
    this.rules.push(rule);
    return this;
  }

  /** Answers the first `times` requests matching `match` with `fault`, then lets them through. */
  faultTimes(match: (req: ProxiedRequest) => boolean, fault: Fault, times = 1): this {
    let n = 0;
    return this.fault((req) => {
      if (!match(req) || n >= times) return undefined;
      n++;
      return fault;
    });
  }

  rewrite(fn: BodyRewrite): this {
    this.rewrites.push(fn);
    return this;
  }

  reset(): void {
    this.rules = [];
    this.rewrites = [];
    this.log.length = 0;
    this.counts.clear();
  }

  /** Requests the proxy hung, dropped, reset or answered itself. */
  get injected(): LoggedRequest[] {
    return this.log.filter((r) => r.injected);
  }

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const info: ProxiedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: raw.toString('utf8') };
        const fault = this.match(info);
        if (fault && 'status' in fault) {
          this.log.push({ ...info, status: fault.status, injected: true });
          res.writeHead(fault.status, { 'content-length': String(Buffer.byteLength(fault.body ?? '')), ...(fault.headers ?? {}) });
          res.end(fault.body ?? '');
          return;
        }
        if (fault && 'hang' in fault) {
          this.log.push({ ...info, status: 0, injected: true });
          return;
        }
        if (fault && 'drop' in fault) {
          this.log.push({ ...info, status: 0, injected: true });
          req.socket.destroy();
          return;
        }
        const cut =
          fault && 'resetAfterBytes' in fault
            ? { after: fault.resetAfterBytes, then: 'reset' as const }
            : fault && 'stallAfterBytes' in fault
              ? { after: fault.stallAfterBytes, then: 'stall' as const }
              : undefined;
        this.forward(target, info, raw, res, cut);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  private match(info: ProxiedRequest): Fault | undefined {
    for (const rule of this.rules) {
      const seen = this.counts.get(rule) ?? 0;
      const fault = rule(info, seen);
      if (fault) {
        this.counts.set(rule, seen + 1);
        return fault;
      }
    }
    return undefined;
  }

  private forward(target: URL, info: ProxiedRequest, body: Buffer, res: http.ServerResponse, cutBody: { after: number; then: 'reset' | 'stall' } | undefined): void {
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: info.method, path: info.url, headers: info.headers },
      (up) => {
        if (cutBody !== undefined) {
          const resetAfterBytes = cutBody.after;
          this.log.push({ ...info, status: 0, injected: true });
          res.writeHead(up.statusCode ?? 502, up.headers);
          // Cut the socket once the allowed bytes were flushed (destroying earlier would drop them);
          // a stall keeps it open and silent until the client gives up or the proxy stops.
          const cut = () => (cutBody.then === 'reset' ? setTimeout(() => res.socket?.destroy(), 10) : undefined);
          let sent = 0;
          if (resetAfterBytes === 0) res.write('', cut);
          up.on('data', (c: Buffer) => {
            if (sent >= resetAfterBytes) return;
            const part = c.subarray(0, resetAfterBytes - sent);
            sent += part.length;
            res.write(part, sent >= resetAfterBytes ? cut : undefined);
          });
          up.on('end', () => {
            if (sent < resetAfterBytes) cut();
          });
          return;
        }
        this.log.push({ ...info, status: up.statusCode ?? 0, injected: false });
        const rewriters = this.rewrites;
        if (rewriters.length === 0 || info.method === 'HEAD') {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          let out = Buffer.concat(chunks);
          for (const fn of rewriters) {
            const text = fn(info, out.toString('utf8'));
            if (text !== undefined) out = Buffer.from(text, 'utf8');
          }
          const headers = { ...up.headers, 'content-length': String(out.length) };
          delete headers['transfer-encoding'];
          res.writeHead(up.statusCode ?? 502, headers);
          res.end(out);
        });
      },
    );
    upstream.on('error', (err) => {
      if (res.headersSent) return;
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    upstream.end(body);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
