/**
 * One keep-alive HTTP/1.1 connection whose socket reads into one buffer of its own (`onread`), and
 * the body of the answer it is carrying. Node's HTTP client allocates a buffer per socket read and a
 * copy per body chunk; a reader streaming gigabytes through ranged GETs then leaves tens of MB of dead
 * buffers for the next collection and a fragmented malloc heap. Here body bytes go from the socket's
 * buffer straight into the reader's (`SocketBody.readInto`), or into one copy per chunk for readers
 * that consume a stream.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Readable } from 'node:stream';
import { bodyFraming, HeadReader, HttpProtocolError, type BodyFraming, type ResponseHead } from './framing';

/** The socket's read buffer: the size of the reads Node asks the kernel for anyway. */
const READ_BUFFER_BYTES = 64 * 1024;
/** Body bytes held for a reader that is not waiting before the socket stops reading. */
const SPILL_PAUSE_BYTES = 64 * 1024;

export interface ConnectionOptions {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  /** Milliseconds to wait for the connection (TLS handshake included). */
  connectTimeoutMs: number;
  /** Milliseconds the socket may stay silent while a request is in flight. */
  idleTimeoutMs: number;
  /** Milliseconds an unused connection stays open for the next request. */
  keepIdleMs: number;
  /** HTTPS: the certificates to trust, when not Node's. */
  ca?: string | Buffer | Array<string | Buffer>;
}

export interface Http1Request {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  signal?: AbortSignal;
}

export interface Http1Response extends ResponseHead {
  body: SocketBody;
}

/** What a connection tells its pool. */
export interface ConnectionOwner {
  /** The answer was read to its end: the connection can take the next request. */
  free(connection: Http1Connection): void;
  /** The connection is closed (the pool forgets it). */
  closed(connection: Http1Connection): void;
}

/** A failure on a reused connection before any byte of the answer: the server had closed it. */
export class StaleConnectionError extends Error {
  override name = 'StaleConnectionError';
}

interface Exchange {
  method: string;
  head: HeadReader;
  resolve: (response: Http1Response) => void;
  reject: (err: Error) => void;
  framing?: BodyFraming;
  body?: SocketBody;
  keepAlive: boolean;
  received: boolean;
  done: boolean;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class Http1Connection {
  private readonly socket: net.Socket;
  private readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  /** Body bytes read while no reader was waiting (the socket's buffer is reused by the next read). */
  private spill: Buffer | undefined;
  private spillStart = 0;
  private spillEnd = 0;
  private exchange: Exchange | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private requests = 0;
  private paused = false;
  private isClosed = false;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly owner: ConnectionOwner,
  ) {
    const onread = { buffer: this.readBuffer, callback: (n: number) => this.onRead(n) };
    const { hostname, port } = options;
    this.socket =
      options.protocol === 'https:'
        ? tls.connect({
            host: hostname,
            port,
            ...(net.isIP(hostname) ? {} : { servername: hostname }),
            ...(options.ca !== undefined ? { ca: options.ca } : {}),
            ALPNProtocols: ['http/1.1'],
            onread,
          } as tls.ConnectionOptions)
        : net.connect({ host: hostname, port, onread });
    this.socket.setNoDelay(true);
    this.connectTimer = setTimeout(
      () => this.destroy(timeoutError(`could not connect to ${hostname}:${port} within ${options.connectTimeoutMs / 1000} s`)),
      options.connectTimeoutMs,
    );
    this.socket.once(options.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    });
    this.socket.on('timeout', () => {
      if (this.exchange) this.destroy(timeoutError(`no byte from ${hostname}:${port} for ${options.idleTimeoutMs / 1000} s (the read timeout)`));
      else this.destroy();
    });
    this.socket.on('error', (err) => this.destroy(err));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('close', () => this.onEnd());
    // Flowing, so that the end of the connection is seen: with `onread` no data events are emitted.
    this.socket.resume();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Sends a body-less request; resolves with the answer's head once it is read. */
  send(request: Http1Request): Promise<Http1Response> {
    if (this.isClosed) return Promise.reject(new StaleConnectionError('the connection closed'));
    if (this.exchange) return Promise.reject(new Error('the connection is carrying another request'));
    if (request.signal?.aborted) return Promise.reject(abortError(request.signal));
    let head: string;
    try {
      head = requestHead(request, this.options);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const reused = this.requests++ > 0;
    return new Promise<Http1Response>((resolve, reject) => {
      const exchange: Exchange = {
        method: request.method,
        head: new HeadReader(),
        resolve,
        reject: (err) => reject(reused && !exchange.received && isHangUp(err) ? new StaleConnectionError(err.message, { cause: err }) : err),
        keepAlive: false,
        received: false,
        done: false,
      };
      this.exchange = exchange;
      if (request.signal) {
        const signal = request.signal;
        exchange.signal = signal;
        exchange.onAbort = () => this.destroy(abortError(signal));
        signal.addEventListener('abort', exchange.onAbort, { once: true });
      }
      this.socket.ref();
      this.socket.setTimeout(this.options.idleTimeoutMs);
      this.resumeReading();
      this.socket.write(head);
    });
  }

  destroy(err?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    clearTimeout(this.connectTimer);
    const exchange = this.exchange;
    this.exchange = undefined;
    if (exchange) {
      this.detachSignal(exchange);
      const failure = err ?? new Error('the connection closed');
      if (!exchange.body) exchange.reject(failure);
      else if (!exchange.done) exchange.body.fail(failure);
    }
    this.socket.destroy();
    this.owner.closed(this);
  }

  // ---- for SocketBody

  /** Bytes held for `body`, moved into `into`; the count moved. */
  takeSpill(body: SocketBody, into: Uint8Array): number {
    const n = Math.min(into.length, this.spilledFor(body));
    if (n === 0) return 0;
    into.set(this.spill!.subarray(this.spillStart, this.spillStart + n));
    this.spillStart += n;
    if (this.spillStart === this.spillEnd) this.spillStart = this.spillEnd = 0;
    return n;
  }

  private get spilled(): number {
    return this.spillEnd - this.spillStart;
  }

  /** Bytes held for `body` (none once its connection went on to another answer). */
  spilledFor(body: SocketBody): number {
    return this.exchange?.body === body ? this.spilled : 0;
  }

  /** The body's reader drained what was held: release the connection after a whole body, or read on. */
  drained(body: SocketBody): void {
    const exchange = this.exchange;
    if (!exchange || exchange.body !== body) return;
    if (exchange.done) {
      if (this.spilled === 0) this.release();
    } else {
      this.resumeReading();
    }
  }

  /** The body was destroyed by its reader. */
  abandon(body: SocketBody): void {
    const exchange = this.exchange;
    if (!exchange || exchange.body !== body) return;
    if (exchange.done) {
      // Read to its end already: drop what is held and reuse the connection.
      this.spillStart = this.spillEnd = 0;
      this.release();
    } else {
      this.destroy(new Error('the body was not read to its end'));
    }
  }

  resumeReading(): void {
    if (this.paused && !this.isClosed) {
      this.paused = false;
      this.socket.resume();
    }
  }

  // ---- socket reads

  /** One socket read, in `readBuffer[0, n)`. Returns false to stop reading for now. */
  private onRead(n: number): boolean {
    const exchange = this.exchange;
    if (!exchange) {
      this.destroy(new HttpProtocolError('the server sent bytes between answers'));
      return false;
    }
    exchange.received = true;
    const buf = this.readBuffer;
    let pos = 0;
    try {
      while (pos < n) {
        if (!exchange.framing) {
          const end = exchange.head.feed(buf, pos, n);
          if (end < 0) return true;
          pos = end;
          const head = exchange.head.head!;
          // An interim answer (100 Continue, 103 Early Hints): the real one follows.
          if (head.statusCode >= 100 && head.statusCode < 200) {
            exchange.head = new HeadReader();
            continue;
          }
          this.startBody(exchange, head);
          if (!exchange.framing!.complete) continue;
        } else {
          const end = exchange.framing.feed(buf, pos, n, (b, s, e) => this.deliver(exchange.body!, b, s, e));
          if (end < 0) break;
          pos = end;
        }
        // No pipelining: nothing may follow the answer.
        if (pos < n) throw new HttpProtocolError('the server sent more bytes than the answer');
        this.finishBody(exchange);
        return true;
      }
    } catch (err) {
      this.destroy(err as Error);
      return false;
    }
    if (this.exchange !== exchange || exchange.done || !exchange.body) return true;
    // A stream reader says when it has enough; bytes held for another reader are bounded here.
    const more = exchange.body.streaming ? exchange.body.wantsMore : this.spilled < SPILL_PAUSE_BYTES;
    if (!more) this.paused = true;
    return more;
  }

  private startBody(exchange: Exchange, head: ResponseHead): void {
    const framing = bodyFraming(exchange.method, head);
    exchange.framing = framing;
    exchange.keepAlive = head.keepAlive && !framing.untilClose;
    exchange.body = new SocketBody(this);
    exchange.resolve({ ...head, body: exchange.body });
  }

  private deliver(body: SocketBody, buf: Buffer, start: number, end: number): void {
    if (body.streaming) {
      body.pushCopy(buf, start, end);
      return;
    }
    if (this.spilled === 0) start += body.fill(buf, start, end);
    if (start < end) this.hold(buf, start, end);
  }

  private hold(buf: Buffer, start: number, end: number): void {
    const n = end - start;
    if (!this.spill || this.spillEnd + n > this.spill.length) {
      const held = this.spillEnd - this.spillStart;
      const size = Math.max(SPILL_PAUSE_BYTES, held + n);
      const next = this.spill && this.spill.length >= size ? this.spill : Buffer.allocUnsafe(size);
      if (this.spill && held > 0) this.spill.copy(next, 0, this.spillStart, this.spillEnd);
      this.spill = next;
      this.spillStart = 0;
      this.spillEnd = held;
    }
    buf.copy(this.spill, this.spillEnd, start, end);
    this.spillEnd += n;
  }

  private finishBody(exchange: Exchange): void {
    exchange.done = true;
    this.detachSignal(exchange);
    // A stream reader that had everything released the connection already (`drained`).
    exchange.body!.complete();
    if (this.spilled === 0 && this.exchange === exchange) this.release();
  }

  /** After a whole answer: the next request can use the connection, or it closes. */
  private release(): void {
    const exchange = this.exchange;
    if (!exchange) return;
    if (!exchange.keepAlive) {
      this.destroy();
      return;
    }
    this.exchange = undefined;
    this.socket.setTimeout(this.options.keepIdleMs);
    this.socket.unref();
    this.resumeReading();
    this.owner.free(this);
  }

  private onEnd(): void {
    if (this.isClosed) return;
    const exchange = this.exchange;
    if (exchange?.framing?.untilClose && !exchange.done) {
      // A body that only the end of the connection ends.
      exchange.done = true;
      this.detachSignal(exchange);
      exchange.body!.complete();
      this.exchange = undefined;
      this.isClosed = true;
      this.socket.destroy();
      this.owner.closed(this);
      return;
    }
    // ECONNRESET, as Node's client names a hang-up: the SDKs retry it.
    const message = exchange?.body ? 'the connection closed before the end of the answer' : 'the connection closed before an answer (socket hang up)';
    this.destroy(Object.assign(new Error(message), { code: 'ECONNRESET' }));
  }

  private detachSignal(exchange: Exchange): void {
    if (exchange.signal && exchange.onAbort) exchange.signal.removeEventListener('abort', exchange.onAbort);
    exchange.onAbort = undefined;
  }
}

/**
 * An answer's body. `readInto` moves bytes from the socket's buffer straight into the caller's;
 * read as a stream (`for await`, `pipe`), each chunk is one copy. One or the other, not both.
 */
export class SocketBody extends Readable {
  private waiter: { target: Uint8Array; resolve: (n: number) => void; reject: (err: Error) => void } | undefined;
  private mode: 'unread' | 'into' | 'stream' = 'unread';
  private whole = false;
  private failure: Error | undefined;
  private lastPush = true;
  private ended = false;

  constructor(private readonly connection: Http1Connection) {
    super({ highWaterMark: READ_BUFFER_BYTES });
  }

  get streaming(): boolean {
    return this.mode === 'stream';
  }

  get wantsMore(): boolean {
    return this.lastPush;
  }

  /**
   * Reads the next bytes of the body into `into`; resolves to their count, 0 at the end of the body
   * (or for an empty `into`).
   */
  readInto(into: Uint8Array): Promise<number> {
    if (this.mode === 'stream') return Promise.reject(new Error('the body is already read as a stream'));
    if (this.waiter) return Promise.reject(new Error('a readInto is already waiting'));
    this.mode = 'into';
    if (this.failure) return Promise.reject(this.failure);
    if (into.length === 0) return Promise.resolve(0);
    const held = this.connection.takeSpill(this, into);
    if (held > 0 || this.whole) {
      this.connection.drained(this);
      return Promise.resolve(held);
    }
    return new Promise<number>((resolve, reject) => {
      this.waiter = { target: into, resolve, reject };
      this.connection.resumeReading();
    });
  }

  /** Copies body bytes into the waiting reader's buffer; the count copied. */
  fill(buf: Buffer, start: number, end: number): number {
    const waiter = this.waiter;
    if (!waiter) return 0;
    const n = Math.min(end - start, waiter.target.length);
    buf.copy(waiter.target, 0, start, start + n);
    this.waiter = undefined;
    waiter.resolve(n);
    return n;
  }

  pushCopy(buf: Buffer, start: number, end: number): void {
    this.lastPush = this.push(Buffer.from(buf.subarray(start, end)));
  }

  complete(): void {
    this.whole = true;
    if (this.mode === 'stream') {
      if (this.connection.spilledFor(this) === 0) this.finishStream();
    } else if (this.waiter && this.connection.spilledFor(this) === 0) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter.resolve(0);
    }
  }

  fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter.reject(err);
    // A body nobody reads yet keeps its failure for its reader (an 'error' without a listener would throw).
    if (this.mode === 'stream') this.destroy(err);
  }

  override _read(): void {
    if (this.mode === 'into') {
      this.destroy(new Error('the body is already read with readInto'));
      return;
    }
    this.mode = 'stream';
    if (this.failure) {
      this.destroy(this.failure);
      return;
    }
    this.lastPush = true;
    const held = this.connection.spilledFor(this);
    if (held > 0) {
      const copy = Buffer.allocUnsafe(held);
      this.connection.takeSpill(this, copy);
      this.lastPush = this.push(copy);
    }
    if (this.whole) this.finishStream();
    else this.connection.resumeReading();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.ended) this.connection.abandon(this);
    callback(err);
  }

  private finishStream(): void {
    if (this.ended) return;
    this.ended = true;
    this.push(null);
    this.connection.drained(this);
  }
}

function requestHead(request: Http1Request, options: ConnectionOptions): string {
  let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
  let host = false;
  for (const [name, value] of Object.entries(request.headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new Error(`header ${JSON.stringify(name)} holds a line break`);
    if (name.toLowerCase() === 'host') host = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!host) {
    const standard = options.protocol === 'https:' ? 443 : 80;
    const name = net.isIPv6(options.hostname) ? `[${options.hostname}]` : options.hostname;
    head += `host: ${options.port === standard ? name : `${name}:${options.port}`}\r\n`;
  }
  return `${head}\r\n`;
}

/** The server closed or reset the connection. */
function isHangUp(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED';
}

function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { name: 'TimeoutError', code: 'ETIMEDOUT' });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return Object.assign(new Error('The operation was aborted', reason !== undefined ? { cause: reason } : {}), { name: 'AbortError' });
}
