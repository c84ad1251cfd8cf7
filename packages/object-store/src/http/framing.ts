/**
 * HTTP/1.1 response heads and body framing (RFC 9112), fed with the bytes of a socket read as they
 * come: nothing is copied but a head split across reads.
 */

/** The most head bytes accepted before the answer counts as broken. */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface ResponseHead {
  statusCode: number;
  reason: string;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** HTTP/1.1 without `connection: close`: the connection can carry the next request. */
  keepAlive: boolean;
}

export class HttpProtocolError extends Error {
  override name = 'HttpProtocolError';
}

/** Collects a response head across reads. */
export class HeadReader {
  private held: Buffer | undefined;
  private heldLength = 0;

  /**
   * Reads head bytes from `buf[from, to)`; returns the index just past the blank line that ends the
   * head (its parse is then `head`), or -1 when the head goes on in the next read.
   */
  feed(buf: Buffer, from: number, to: number): number {
    if (this.heldLength === 0) {
      const end = headEnd(buf, from, to);
      if (end >= 0) {
        this.head = parseHead(buf.toString('latin1', from, end - 4));
        return end;
      }
    }
    // The head spans reads: keep its bytes (rare, and small).
    const n = to - from;
    if (this.heldLength + n > MAX_HEAD_BYTES) throw new HttpProtocolError(`the response head is longer than ${MAX_HEAD_BYTES} bytes`);
    if (!this.held || this.held.length < this.heldLength + n) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_HEAD_BYTES, Math.max(1024, 2 * (this.heldLength + n))));
      if (this.held) this.held.copy(grown, 0, 0, this.heldLength);
      this.held = grown;
    }
    const before = this.heldLength;
    buf.copy(this.held, before, from, to);
    this.heldLength += n;
    const end = headEnd(this.held, Math.max(0, before - 3), this.heldLength);
    if (end < 0) return -1;
    this.head = parseHead(this.held.toString('latin1', 0, end - 4));
    const consumed = end - before;
    this.heldLength = 0;
    return from + consumed;
  }

  /** The last head read. */
  head: ResponseHead | undefined;
}

/** The index just past the first CRLFCRLF in `buf[from, to)`, or -1. */
function headEnd(buf: Buffer, from: number, to: number): number {
  let i = buf.indexOf(CRLFCRLF, from);
  if (i < 0 || i + 4 > to) i = -1;
  return i < 0 ? -1 : i + 4;
}
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

export function parseHead(text: string): ResponseHead {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (!status) throw new HttpProtocolError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0].slice(0, 80))}`);
  const headers: Record<string, string> = {};
  let last: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      // Obsolete line folding: part of the previous header's value.
      headers[last] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpProtocolError(`malformed response header line: ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    last = name;
  }
  const connection = (headers['connection'] ?? '').toLowerCase();
  return {
    statusCode: Number(status[2]),
    reason: status[3] ?? '',
    headers,
    keepAlive: status[1] === '1' && !/(^|,)\s*close\s*(,|$)/.test(connection),
  };
}

/** Emits the body bytes `buf[start, end)` of the current read. */
export type BodyBytes = (buf: Buffer, start: number, end: number) => void;

/** Where a response body ends: a length, chunked transfer coding, or the end of the connection. */
export interface BodyFraming {
  /** True once the whole body went by. */
  readonly complete: boolean;
  /** Only the end of the connection ends the body (it cannot be reused). */
  readonly untilClose: boolean;
  /**
   * Reads `buf[from, to)`; body bytes go to `emit`. Returns the index where the body ended (the
   * framing is then `complete`), or -1 when all bytes were read and the body goes on.
   */
  feed(buf: Buffer, from: number, to: number, emit: BodyBytes): number;
}

/** The framing of a response to `method` with `head` (RFC 9112 §6.3). */
export function bodyFraming(method: string, head: ResponseHead): BodyFraming {
  const code = head.statusCode;
  if (method === 'HEAD' || code === 204 || code === 304 || (code >= 100 && code < 200)) return new LengthFraming(0);
  const coding = head.headers['transfer-encoding'];
  if (coding !== undefined) {
    if (/(^|,)\s*chunked\s*$/i.test(coding)) return new ChunkedFraming();
    return new CloseFraming();
  }
  const length = head.headers['content-length'];
  if (length !== undefined) {
    // Repeated identical values are allowed (`5, 5`).
    const values = new Set(length.split(',').map((v) => v.trim()));
    const n = values.size === 1 ? Number([...values][0]) : NaN;
    if (!/^\d+$/.test([...values][0] ?? '') || !Number.isSafeInteger(n)) throw new HttpProtocolError(`invalid content-length ${JSON.stringify(length)}`);
    return new LengthFraming(n);
  }
  return new CloseFraming();
}

class LengthFraming implements BodyFraming {
  readonly untilClose = false;
  constructor(private remaining: number) {}
  get complete(): boolean {
    return this.remaining === 0;
  }
  feed(buf: Buffer, from: number, to: number, emit: BodyBytes): number {
    if (this.remaining === 0) return from;
    const n = Math.min(this.remaining, to - from);
    if (n > 0) emit(buf, from, from + n);
    this.remaining -= n;
    return this.remaining === 0 ? from + n : -1;
  }
}

class CloseFraming implements BodyFraming {
  readonly untilClose = true;
  readonly complete = false;
  feed(buf: Buffer, from: number, to: number, emit: BodyBytes): number {
    if (to > from) emit(buf, from, to);
    return -1;
  }
}

const enum Chunked {
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  Trailer,
  TrailerLine,
  TrailerLf,
  EndLf,
  Done,
}

/** Chunked transfer coding: hex size line (extensions ignored), data, CRLF; a zero size, trailers, CRLF. */
class ChunkedFraming implements BodyFraming {
  readonly untilClose = false;
  private state = Chunked.Size;
  private size = 0;
  private digits = 0;
  private remaining = 0;

  get complete(): boolean {
    return this.state === Chunked.Done;
  }

  feed(buf: Buffer, from: number, to: number, emit: BodyBytes): number {
    if (this.state === Chunked.Done) return from;
    let i = from;
    while (i < to) {
      if (this.state === Chunked.Data) {
        const n = Math.min(this.remaining, to - i);
        emit(buf, i, i + n);
        i += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = Chunked.DataCr;
        continue;
      }
      const c = buf[i++];
      switch (this.state) {
        case Chunked.Size: {
          const d = hexDigit(c);
          if (d >= 0) {
            if (++this.digits > 13) throw new HttpProtocolError('chunk size too large');
            this.size = this.size * 16 + d;
          } else if (c === 0x3b /* ; */ || c === 0x20 || c === 0x09) {
            this.state = Chunked.Extension;
          } else if (c === 0x0d) {
            this.state = Chunked.SizeLf;
          } else {
            throw new HttpProtocolError('malformed chunk size');
          }
          if (this.state !== Chunked.Size && this.digits === 0) throw new HttpProtocolError('malformed chunk size');
          break;
        }
        case Chunked.Extension:
          if (c === 0x0d) this.state = Chunked.SizeLf;
          break;
        case Chunked.SizeLf:
          if (c !== 0x0a) throw new HttpProtocolError('malformed chunk size line');
          if (this.size === 0) {
            this.state = Chunked.Trailer;
          } else {
            this.remaining = this.size;
            this.state = Chunked.Data;
          }
          this.size = 0;
          this.digits = 0;
          break;
        case Chunked.DataCr:
          if (c !== 0x0d) throw new HttpProtocolError('chunk data longer than its size');
          this.state = Chunked.DataLf;
          break;
        case Chunked.DataLf:
          if (c !== 0x0a) throw new HttpProtocolError('chunk data longer than its size');
          this.state = Chunked.Size;
          break;
        case Chunked.Trailer:
          // The start of a line after the last chunk: CR ends the body, anything else is a trailer field.
          this.state = c === 0x0d ? Chunked.EndLf : Chunked.TrailerLine;
          break;
        case Chunked.TrailerLine:
          if (c === 0x0d) this.state = Chunked.TrailerLf;
          break;
        case Chunked.TrailerLf:
          if (c !== 0x0a) throw new HttpProtocolError('malformed trailer');
          this.state = Chunked.Trailer;
          break;
        case Chunked.EndLf:
          if (c !== 0x0a) throw new HttpProtocolError('malformed end of chunked body');
          this.state = Chunked.Done;
          return i;
      }
    }
    return -1;
  }
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}
