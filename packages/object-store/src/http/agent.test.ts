import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { Http1Agent, type Http1AgentRequest, type SocketBody } from './agent';

/** Deterministic bytes (a hash chain), so a misplaced chunk shows. */
function payload(size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = crypto.createHash('sha256').update('seed').digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at);
    block = crypto.createHash('sha256').update(block).digest();
  }
  return out;
}

const DATA = payload(3 * 1024 * 1024 + 17);

/** A server over DATA answering `Range: bytes=a-b`, writing in uneven pieces; counts connections. */
async function rangeServer(create: (handler: http.RequestListener) => http.Server = (h) => http.createServer(h)) {
  const stats = { connections: 0, requests: 0 };
  const server = create((req, res) => {
    stats.requests++;
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m ? Number(m[2]) + 1 : DATA.length;
    const body = DATA.subarray(start, end);
    const chunked = req.url?.includes('chunked');
    res.writeHead(m ? 206 : 200, { ...(chunked ? {} : { 'content-length': String(body.length) }), 'x-path': req.url ?? '' });
    // Pieces of odd sizes, some after a pause, so reads split the body in many ways.
    let at = 0;
    const step = () => {
      while (at < body.length) {
        const n = Math.min(body.length - at, 1 + ((at * 7919) % 150_000));
        const more = res.write(body.subarray(at, at + n));
        at += n;
        if (!more) return void res.once('drain', step);
        if (at % 3 === 0) return void setImmediate(step);
      }
      res.end();
    };
    step();
  });
  server.on('connection', () => stats.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { server, stats, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function get(port: number, range: [number, number] | undefined, extra: Partial<Http1AgentRequest> = {}): Http1AgentRequest {
  return {
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    method: 'GET',
    path: '/bucket/key',
    headers: range ? { range: `bytes=${range[0]}-${range[1] - 1}` } : {},
    ...extra,
  };
}

/** Reads a body with readInto into targets of `step` bytes. */
async function readAll(body: SocketBody, size: number, step = size): Promise<Buffer> {
  const out = Buffer.alloc(size);
  let at = 0;
  for (;;) {
    const n = await body.readInto(out.subarray(at, Math.min(size, at + step)));
    if (n === 0) break;
    at += n;
  }
  return out.subarray(0, at);
}

describe('Http1Agent', () => {
  let agent: Http1Agent;
  afterEach(() => agent?.destroy());

  it('reads ranged bodies into the caller buffer, over one kept connection', async () => {
    const s = await rangeServer();
    try {
      agent = new Http1Agent();
      for (const [start, end, step] of [
        [0, DATA.length, DATA.length],
        [5, 1_000_005, 4096],
        [DATA.length - 10, DATA.length, 3],
      ]) {
        const res = await agent.request(get(s.port, [start, end]));
        expect(res.statusCode).toBe(206);
        expect(res.headers['content-length']).toBe(String(end - start));
        expect((await readAll(res.body, end - start + 100, step)).equals(DATA.subarray(start, end))).toBe(true);
        // Read to its end: a further read says so.
        expect(await res.body.readInto(Buffer.alloc(10))).toBe(0);
      }
      expect(s.stats).toEqual({ connections: 1, requests: 3 });
    } finally {
      await s.close();
    }
  });

  it('reads bodies as streams too (chunked answers included), and concurrent requests open connections', async () => {
    const s = await rangeServer();
    try {
      agent = new Http1Agent();
      const ranges: [number, number][] = [
        [0, 100],
        [100, 2_000_000],
        [7, DATA.length],
      ];
      const bodies = await Promise.all(
        ranges.map(async ([start, end], i) => {
          const res = await agent.request(get(s.port, [start, end], i === 1 ? { path: '/chunked' } : {}));
          if (i === 1) expect(res.headers['transfer-encoding']).toBe('chunked');
          const chunks: Buffer[] = [];
          for await (const chunk of res.body) chunks.push(chunk as Buffer);
          return Buffer.concat(chunks);
        }),
      );
      bodies.forEach((b, i) => expect(b.equals(DATA.subarray(...ranges[i]))).toBe(true));
      expect(s.stats.connections).toBe(3);
      // All three went back to the pool: three more requests open none.
      await Promise.all(ranges.map(async (r) => readAll((await agent.request(get(s.port, r))).body, r[1] - r[0])));
      expect(s.stats.connections).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('waits for a connection past the per-origin limit', async () => {
    const s = await rangeServer();
    try {
      agent = new Http1Agent({ maxConnectionsPerOrigin: 1 });
      const first = await agent.request(get(s.port, [0, 1000]));
      let second: SocketBody | undefined;
      const waiting = agent.request(get(s.port, [1000, 2000])).then((r) => (second = r.body));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(second).toBeUndefined();
      expect((await readAll(first.body, 1000)).equals(DATA.subarray(0, 1000))).toBe(true);
      await waiting;
      expect((await readAll(second!, 1000)).equals(DATA.subarray(1000, 2000))).toBe(true);
      expect(s.stats.connections).toBe(1);
      // The first body is over, whatever its connection carries now.
      const third = await agent.request(get(s.port, [5000, 9000]));
      expect(await first.body.readInto(Buffer.alloc(100))).toBe(0);
      expect((await readAll(third.body, 4000)).equals(DATA.subarray(5000, 9000))).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('sends the request line and headers as given, with a host', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ ...req.headers, url: req.url, method: req.method });
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      agent = new Http1Agent();
      const res = await agent.request(get(port, [0, 1], { path: '/b/k%20x?x-id=GetObject', headers: { range: 'bytes=0-0', 'X-Amz-Date': '20261206T000000Z' } }));
      expect((await readAll(res.body, 10)).toString()).toBe('ok');
      expect(seen[0]).toMatchObject({ url: '/b/k%20x?x-id=GetObject', method: 'GET', host: `127.0.0.1:${port}`, range: 'bytes=0-0', 'x-amz-date': '20261206T000000Z' });
      await expect(agent.request(get(port, [0, 1], { headers: { 'x-bad': 'a\r\nb: c' } }))).rejects.toThrow(/line break/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /** A raw TCP server: `answer` gets each connection and the bytes of each request head. */
  async function rawServer(answer: (socket: net.Socket, request: string, n: number) => void) {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      let n = 0;
      let held = '';
      socket.on('data', (d) => {
        held += d.toString('latin1');
        let end: number;
        while ((end = held.indexOf('\r\n\r\n')) >= 0) {
          const request = held.slice(0, end);
          held = held.slice(end + 4);
          answer(socket, request, n++);
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as net.AddressInfo).port,
      connections: () => connections,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it('skips interim answers, reads close-delimited bodies, and does not reuse a closing connection', async () => {
    const s = await rawServer((socket, request) => {
      if (request.includes('interim')) socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc');
      else socket.end('HTTP/1.0 200 OK\r\n\r\nuntil the end');
    });
    try {
      agent = new Http1Agent();
      const a = await agent.request(get(s.port, undefined, { path: '/interim' }));
      expect(a.statusCode).toBe(200);
      expect((await readAll(a.body, 10)).toString()).toBe('abc');
      const b = await agent.request(get(s.port, undefined, { path: '/close' }));
      expect(b.keepAlive).toBe(false);
      expect((await readAll(b.body, 100, 5)).toString()).toBe('until the end');
      const c = await agent.request(get(s.port, undefined, { path: '/close' }));
      const chunks: Buffer[] = [];
      for await (const chunk of c.body) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('until the end');
      // The first connection was kept (after /interim) and reused for the first /close.
      expect(s.connections()).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('a kept connection the server closed is replaced without failing the request', async () => {
    const s = await rawServer((socket, _request, n) => {
      // Each connection answers once, then closes as the next request arrives (a keep-alive timeout
      // that crossed it on the wire).
      if (n === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else socket.destroy();
    });
    try {
      agent = new Http1Agent();
      for (let i = 0; i < 3; i++) expect((await readAll((await agent.request(get(s.port, undefined))).body, 2)).toString()).toBe('ok');
      expect(s.connections()).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('fails a body that breaks off, a silent server, a refused connection, an abort, and garbage', async () => {
    const s = await rawServer((socket, request) => {
      if (request.includes('/broken')) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly some');
        setTimeout(() => socket.destroy(), 20);
      } else if (request.includes('/silent')) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome');
      } else if (request.includes('/extra')) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA');
      } else {
        socket.write('SSH-2.0-not-http\r\n\r\n');
      }
    });
    try {
      agent = new Http1Agent({ idleTimeoutMs: 200 });
      const broken = await agent.request(get(s.port, undefined, { path: '/broken' }));
      await expect(readAll(broken.body, 100)).rejects.toThrow(/closed before the end of the answer/);
      const silent = await agent.request(get(s.port, undefined, { path: '/silent' }));
      await expect(readAll(silent.body, 100)).rejects.toMatchObject({ name: 'TimeoutError', message: expect.stringContaining('0.2 s') });
      await expect(agent.request(get(s.port, undefined, { path: '/extra' })).then((r) => readAll(r.body, 10))).rejects.toThrow(/more bytes than the answer/);
      await expect(agent.request(get(s.port, undefined, { path: '/ssh' }))).rejects.toThrow(/not an HTTP\/1.x status line/);
      const aborter = new AbortController();
      const aborted = agent.request(get(s.port, undefined, { path: '/silent', signal: aborter.signal }));
      setTimeout(() => aborter.abort(), 20);
      const res = await aborted;
      await expect(readAll(res.body, 100)).rejects.toMatchObject({ name: 'AbortError' });
      await expect(agent.request(get(s.port, undefined, { signal: AbortSignal.abort() }))).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await s.close();
    }
    await expect(agent.request(get(s.port, undefined))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('a body dropped before its end closes its connection; one read to its end keeps it', async () => {
    const s = await rangeServer();
    try {
      agent = new Http1Agent();
      const res = await agent.request(get(s.port, [0, 2_000_000]));
      await res.body.readInto(Buffer.alloc(1000));
      res.body.destroy();
      const again = await agent.request(get(s.port, [0, 10]));
      expect((await readAll(again.body, 10)).equals(DATA.subarray(0, 10))).toBe(true);
      again.body.destroy();
      await readAll((await agent.request(get(s.port, [0, 10]))).body, 10);
      expect(s.stats.connections).toBe(2);
      // One way or the other per body.
      const mixed = await agent.request(get(s.port, [0, 10]));
      await mixed.body.readInto(Buffer.alloc(1));
      await expect(
        (async () => {
          for await (const chunk of mixed.body) void chunk;
        })(),
      ).rejects.toThrow(/already read with readInto/);
    } finally {
      await s.close();
    }
  });

  it('speaks TLS', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-http1-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    const s = await rangeServer((h) => https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, h));
    try {
      agent = new Http1Agent();
      const request = (range: [number, number]): Http1AgentRequest => ({ ...get(s.port, range), protocol: 'https:', hostname: 'localhost' });
      // Its certificate is not trusted: refused.
      await expect(agent.request(request([0, 10]))).rejects.toThrow(/self[- ]signed/);
      // Trusted: read.
      const trusting = new Http1Agent({ ca: [...tls.rootCertificates, fs.readFileSync(cert, 'utf8')] });
      try {
        const res = await trusting.request(request([3, 1_000_003]));
        expect((await readAll(res.body, 1_000_000, 65_536)).equals(DATA.subarray(3, 1_000_003))).toBe(true);
        // A body nobody reads for a while: the socket stops reading and resumes with its reader.
        const later = await trusting.request(request([0, DATA.length]));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect((await readAll(later.body, DATA.length, 100_000)).equals(DATA)).toBe(true);
        const streamed = await trusting.request(request([5, 2_000_005]));
        await new Promise((resolve) => setTimeout(resolve, 100));
        const chunks: Buffer[] = [];
        for await (const chunk of streamed.body) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks).equals(DATA.subarray(5, 2_000_005))).toBe(true);
      } finally {
        trusting.destroy();
      }
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
