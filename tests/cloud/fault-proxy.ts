/**
 * A small HTTP proxy in front of a storage emulator that injects real faults: it answers chosen
 * requests itself (503 once, 403 for one object...) or rewrites a response body, and forwards
 * everything else unchanged (headers included, so request signatures stay valid). Tests use it to
 * see retries, denials and provider fields (storage classes) the emulators do not produce.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** Path and query as received, e.g. `/bucket?list-type=2`. */
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type FaultRule = (req: ProxiedRequest, seen: number) => Fault | undefined;
export type BodyRewrite = (req: ProxiedRequest, body: string) => string | undefined;

export interface LoggedRequest extends ProxiedRequest {
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

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = http.createServer((req, res) => {
      const info: ProxiedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
      for (const rule of this.rules) {
        const seen = this.counts.get(rule) ?? 0;
        const fault = rule(info, seen);
        if (fault) {
          this.counts.set(rule, seen + 1);
          this.log.push({ ...info, status: fault.status, injected: true });
          req.resume();
          req.on('end', () => {
            res.writeHead(fault.status, { 'content-length': String(Buffer.byteLength(fault.body ?? '')), ...(fault.headers ?? {}) });
            res.end(fault.body ?? '');
          });
          return;
        }
      }
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
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
            let body = Buffer.concat(chunks);
            for (const fn of rewriters) {
              const out = fn(info, body.toString('utf8'));
              if (out !== undefined) body = Buffer.from(out, 'utf8');
            }
            const headers = { ...up.headers, 'content-length': String(body.length) };
            delete headers['transfer-encoding'];
            res.writeHead(up.statusCode ?? 502, headers);
            res.end(body);
          });
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${err.message}`);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
