import * as http from 'node:http';
import * as https from 'node:https';
import * as zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { envProxy, nodeTransport } from './transport';

describe('nodeTransport', () => {
  it('reads gzip, deflate and brotli answers, and leaves a body that is not JSON as text', async () => {
    const entity = JSON.stringify({ id: '1', name: 'x'.repeat(2000) });
    const encoders: Record<string, (b: string) => Buffer> = { gzip: (b) => zlib.gzipSync(b), deflate: (b) => zlib.deflateSync(b), br: (b) => zlib.brotliCompressSync(b) };
    const server = http.createServer((req, res) => {
      const encoding = req.url!.slice(1);
      if (encoding === 'html') return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html></html>');
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': encoding }).end(encoders[encoding](entity));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const agent = new http.Agent({ keepAlive: true });
    const transport = nodeTransport({ origin: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), httpAgent: agent, httpsAgent: new https.Agent(), timeoutMs: 5000 });
    try {
      for (const encoding of Object.keys(encoders)) {
        expect((await transport.send({ method: 'GET', path: `/${encoding}`, headers: {} })).data).toEqual(JSON.parse(entity));
      }
      expect((await transport.send({ method: 'GET', path: '/html', headers: {} })).data).toBe('<html></html>');
    } finally {
      transport.close();
      agent.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  it('takes the proxy for the scheme from the environment, as axios does', () => {
    expect(envProxy('http:', { HTTP_PROXY: 'http://p:3128' })).toBe('http://p:3128');
    expect(envProxy('https:', { https_proxy: 'http://p:3128' })).toBe('http://p:3128');
    expect(envProxy('https:', { HTTP_PROXY: 'http://p:3128' })).toBeUndefined();
    expect(envProxy('https:', { ALL_PROXY: 'http://q:1080' })).toBe('http://q:1080');
    expect(envProxy('http:', {})).toBeUndefined();
  });
});
