import { bodyFraming, HeadReader, HttpProtocolError, parseHead, type BodyFraming } from './framing';

const HEAD = 'HTTP/1.1 206 Partial Content\r\nContent-Length: 5\r\nX-Amz-Meta-A: one\r\nx-amz-meta-a: two\r\n  folded\r\nConnection: keep-alive\r\n\r\n';

/** Feeds `bytes` to a framing in reads cut at `cuts`; the body bytes and where the body ended. */
function frame(framing: BodyFraming, bytes: Buffer, cuts: number[]): { body: string; end: number } {
  const parts: Buffer[] = [];
  let end = -1;
  const bounds = [0, ...cuts, bytes.length];
  for (let i = 0; i + 1 < bounds.length && end < 0; i++) {
    const at = framing.feed(bytes, bounds[i], bounds[i + 1], (b, s, e) => parts.push(Buffer.from(b.subarray(s, e))));
    if (at >= 0) end = at;
  }
  return { body: Buffer.concat(parts).toString('latin1'), end };
}

describe('response heads', () => {
  it('parses the status, lower-cases names, joins repeats and folded lines', () => {
    const head = parseHead(HEAD.slice(0, -4));
    expect(head).toEqual({
      statusCode: 206,
      reason: 'Partial Content',
      headers: { 'content-length': '5', 'x-amz-meta-a': 'one, two folded', connection: 'keep-alive' },
      keepAlive: true,
    });
    expect(parseHead('HTTP/1.1 200 OK\r\nConnection: Close').keepAlive).toBe(false);
    expect(parseHead('HTTP/1.0 200 OK').keepAlive).toBe(false);
    expect(parseHead('HTTP/1.1 404').reason).toBe('');
  });

  it('finds the end of a head cut anywhere across reads', () => {
    const bytes = Buffer.from(`${HEAD}hello`, 'latin1');
    for (let cut = 1; cut < HEAD.length; cut++) {
      for (const second of [cut + 1, HEAD.length, bytes.length]) {
        if (second <= cut) continue;
        const reader = new HeadReader();
        expect(reader.feed(bytes, 0, cut)).toBe(-1);
        let end = reader.feed(bytes, cut, second);
        if (end < 0) end = reader.feed(bytes, second, bytes.length);
        expect(end).toBe(HEAD.length);
        expect(reader.head?.headers['x-amz-meta-a']).toBe('one, two folded');
      }
    }
  });

  it('refuses what is not HTTP/1.x, and heads past the limit', () => {
    expect(() => parseHead('SSH-2.0-OpenSSH')).toThrow(HttpProtocolError);
    expect(() => parseHead('HTTP/1.1 200 OK\r\nno colon here')).toThrow(/malformed response header/);
    const reader = new HeadReader();
    const line = Buffer.from(`X-Long: ${'a'.repeat(1000)}\r\n`, 'latin1');
    reader.feed(Buffer.from('HTTP/1.1 200 OK\r\n'), 0, 17);
    expect(() => {
      for (let i = 0; i < 100; i++) reader.feed(line, 0, line.length);
    }).toThrow(/longer than 65536 bytes/);
  });
});

describe('body framing', () => {
  const head = (headers: Record<string, string>, statusCode = 200) => ({ statusCode, reason: '', headers, keepAlive: true });

  it('a length: exactly that many bytes, wherever the reads are cut', () => {
    const bytes = Buffer.from('xxhello world', 'latin1');
    for (let cut = 3; cut < bytes.length; cut++) {
      const framing = bodyFraming('GET', head({ 'content-length': '11' }));
      const parts: string[] = [];
      expect(framing.feed(bytes, 2, cut, (b, s, e) => parts.push(b.toString('latin1', s, e)))).toBe(-1);
      expect(framing.feed(bytes, cut, bytes.length, (b, s, e) => parts.push(b.toString('latin1', s, e)))).toBe(bytes.length);
      expect(parts.join('')).toBe('hello world');
      expect(framing.complete).toBe(true);
    }
    expect(bodyFraming('GET', head({ 'content-length': '7, 7' })).complete).toBe(false);
    expect(() => bodyFraming('GET', head({ 'content-length': '7, 8' }))).toThrow(/invalid content-length/);
    expect(() => bodyFraming('GET', head({ 'content-length': '-1' }))).toThrow(/invalid content-length/);
  });

  it('no body for HEAD, 204 and 304, whatever the length says', () => {
    expect(bodyFraming('HEAD', head({ 'content-length': '100' })).complete).toBe(true);
    expect(bodyFraming('GET', head({}, 204)).complete).toBe(true);
    expect(bodyFraming('GET', head({ 'content-length': '10' }, 304)).complete).toBe(true);
  });

  it('chunked: sizes in hex, extensions and trailers skipped, cut at every byte', () => {
    const wire = Buffer.from('a;name=value\r\n0123456789\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n', 'latin1');
    const want = '0123456789abcdefghijklmnopqrstuvwxyz';
    for (let a = 0; a <= wire.length; a++) {
      for (const b of [a, Math.min(wire.length, a + 1), Math.min(wire.length, a + 7)]) {
        const framing = bodyFraming('GET', head({ 'transfer-encoding': 'chunked' }));
        expect(frame(framing, wire, [a, b])).toEqual({ body: want, end: wire.length });
        expect(framing.complete).toBe(true);
      }
    }
    const plain = bodyFraming('GET', head({ 'transfer-encoding': 'chunked' }));
    expect(frame(plain, Buffer.from('0\r\n\r\n'), [])).toEqual({ body: '', end: 5 });
  });

  it('chunked: broken framing is refused', () => {
    const broken = ['z\r\n', '\r\n', '3\r\nabcd\r\n', '3\r\nabc\r\n0\r\n\rx', '3\nabc', 'ffffffffffffff\r\n'];
    for (const wire of broken) {
      expect(() => frame(bodyFraming('GET', head({ 'transfer-encoding': 'chunked' })), Buffer.from(wire), [])).toThrow(HttpProtocolError);
    }
  });

  it('no length: the body runs to the end of the connection', () => {
    const framing = bodyFraming('GET', head({}));
    expect(framing.untilClose).toBe(true);
    expect(frame(framing, Buffer.from('all of it'), [3])).toEqual({ body: 'all of it', end: -1 });
    expect(bodyFraming('GET', head({ 'transfer-encoding': 'gzip' })).untilClose).toBe(true);
  });
});
