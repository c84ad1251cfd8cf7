/**
 * The S3 client's HTTP handler: ranged GETs (object reads) go through `Http1Agent`, whose bodies a
 * checked read fills its part buffer from without a buffer per socket read; every other request
 * (listings, HEAD, PUT, DELETE) goes through the SDK's own Node handler.
 */
import { Http1Agent } from '@om/object-store';
import { buildQueryString, HttpResponse, type HttpHandler, type HttpHandlerOptions, type HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface RangedReadHandlerOptions {
  /** Milliseconds to wait for a connection. */
  connectionTimeout: number;
  /** Milliseconds the server may stay silent during a request. */
  socketTimeout: number;
}

type NodeHandlerConfig = ReturnType<NodeHttpHandler['httpHandlerConfigs']>;

export class RangedReadHandler implements HttpHandler<NodeHandlerConfig> {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly others: NodeHttpHandler;
  private readonly reads: Http1Agent;

  constructor(options: RangedReadHandlerOptions) {
    this.others = new NodeHttpHandler(options);
    this.reads = new Http1Agent({ connectTimeoutMs: options.connectionTimeout, idleTimeoutMs: options.socketTimeout });
  }

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    if (!isRangedRead(request)) return this.others.handle(request, options);
    const query = request.query ? buildQueryString(request.query) : '';
    const hostname = request.hostname.startsWith('[') && request.hostname.endsWith(']') ? request.hostname.slice(1, -1) : request.hostname;
    const answer = await this.reads.request({
      protocol: request.protocol as 'http:' | 'https:',
      hostname,
      ...(request.port !== undefined ? { port: request.port } : {}),
      method: 'GET',
      path: query ? `${request.path}?${query}` : request.path,
      headers: request.headers,
      ...(options.abortSignal ? { signal: options.abortSignal as AbortSignal } : {}),
    });
    return { response: new HttpResponse({ statusCode: answer.statusCode, reason: answer.reason, headers: answer.headers, body: answer.body }) };
  }

  updateHttpClientConfig(key: keyof NodeHandlerConfig, value: NodeHandlerConfig[typeof key]): void {
    this.others.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): NodeHandlerConfig {
    return this.others.httpHandlerConfigs();
  }

  destroy(): void {
    this.others.destroy();
    this.reads.destroy();
  }
}

/** A GET of a byte range, without a body or credentials in the URL. */
function isRangedRead(request: HttpRequest): boolean {
  return (
    request.method === 'GET' &&
    (request.protocol === 'http:' || request.protocol === 'https:') &&
    request.body == null &&
    request.username == null &&
    request.password == null &&
    !request.fragment &&
    Object.keys(request.headers).some((name) => name.toLowerCase() === 'range')
  );
}
