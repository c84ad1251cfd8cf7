/**
 * A static HTTP file server on 127.0.0.1 over a folder, as nginx serves one with
 * `autoindex on; autoindex_format json;`: a folder URL (ending in `/`) answers a JSON array of
 * `{name, type, mtime, size}`, files answer byte ranges (206, 416 past the end) and HEAD.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface StaticFileServer {
  url: string;
  root: string;
  /** Requests seen, as `METHOD /path [range]`. */
  requests: string[];
  close(): Promise<void>;
}

export async function startStaticFileServer(root: string): Promise<StaticFileServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rel = decodeURIComponent(url.pathname);
    requests.push(`${req.method} ${rel}${req.headers.range ? ` ${req.headers.range}` : ''}`);
    const file = path.join(root, rel);
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404 Not Found</h1>');
    }
    if (rel.endsWith('/')) {
      if (!st.isDirectory()) return void res.writeHead(404).end();
      const entries = fs.readdirSync(file, { withFileTypes: true }).map((d) => {
        const s = fs.statSync(path.join(file, d.name));
        return { name: d.name, type: d.isDirectory() ? 'directory' : 'file', mtime: s.mtime.toUTCString(), ...(d.isDirectory() ? {} : { size: s.size }) };
      });
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(entries));
    }
    if (!st.isFile()) return void res.writeHead(404).end();
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!m) {
      res.writeHead(200, { 'content-length': st.size, 'accept-ranges': 'bytes' });
      if (req.method === 'HEAD') return void res.end();
      return void fs.createReadStream(file).pipe(res);
    }
    const start = Number(m[1]);
    const end = Math.min(m[2] ? Number(m[2]) : st.size - 1, st.size - 1);
    if (start >= st.size) return void res.writeHead(416, { 'content-range': `bytes */${st.size}` }).end();
    res.writeHead(206, { 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${st.size}` });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file, { start, end }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    root,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
