/**
 * A release rehearsal on a real npm registry: Verdaccio on 127.0.0.1 holds the @om scope and
 * proxies everything else to the npm registry. The repository is versioned and published from a
 * copy (the working tree is never touched), then installed into empty folders with npm.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/user-project';
import { publishedPackages } from './workspace';

// The test-server launcher shared with tests/setup (CommonJS, no types).
const { startServerProcess } = require('../setup/server-process') as {
  startServerProcess(options: Record<string, unknown>): Promise<{ port: number; stop(): Promise<void> }>;
};

export interface Registry {
  url: string;
  token: string;
  stop(): Promise<void>;
}

/** The CA file npm is configured with (a TLS-inspecting proxy), for Verdaccio's uplink requests. */
function npmCaFile(): string | undefined {
  const r = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' });
  const file = r.stdout?.trim();
  return file && file !== 'null' && fs.existsSync(file) ? file : undefined;
}

function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(url, { method: 'PUT', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Starts Verdaccio 6.8.0 (the last release for Node 20) with its storage under `dir`. */
export async function startRegistry(dir: string): Promise<Registry> {
  const verdaccioDir = path.dirname(require.resolve('verdaccio/package.json', { paths: [path.join(REPO_ROOT, 'tests')] }));
  fs.writeFileSync(
    path.join(dir, 'config.yaml'),
    [
      `storage: ${path.join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${path.join(dir, 'htpasswd')}`,
      'uplinks:',
      '  npmjs:',
      '    url: https://registry.npmjs.org/',
      '    timeout: 60s',
      'packages:',
      // Our scope and the template come only from here: never mixed with the public registry.
      "  '@om/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  'om-plugin-*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      '    proxy: npmjs',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const ca = npmCaFile();
  const server = await startServerProcess({
    name: 'verdaccio',
    script: path.join(verdaccioDir, 'bin', 'verdaccio'),
    args: (port: number) => ['--config', path.join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    env: ca ? { NODE_EXTRA_CA_CERTS: ca } : {},
    timeoutMs: 60_000,
  });
  const url = `http://127.0.0.1:${server.port}/`;
  const user = await post(`${url}-/user/org.couchdb.user:rehearsal`, { name: 'rehearsal', password: 'rehearsal-password' });
  if (typeof user.json.token !== 'string') {
    await server.stop();
    throw new Error(`Verdaccio did not create the publishing user: HTTP ${user.status} ${JSON.stringify(user.json)}`);
  }
  return { url, token: user.json.token, stop: () => server.stop() };
}

/** An .npmrc that takes everything from the rehearsal registry (it proxies what is not ours). */
export function writeNpmrc(dir: string, registry: Registry, cacheDir: string): void {
  const host = registry.url.replace(/^http:/, '');
  fs.writeFileSync(
    path.join(dir, '.npmrc'),
    [`registry=${registry.url}`, `${host}:_authToken=${registry.token}`, `cache=${cacheDir}`, 'audit=false', 'fund=false', 'update-notifier=false', ''].join('\n'),
  );
}

/**
 * The environment without the npm settings a parent `pnpm test` exports (npm_config_registry among
 * them): they would override the rehearsal's .npmrc and send installs to the public registry.
 */
function withoutInheritedNpmConfig(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm|pnpm)_config_/i.test(k)));
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...withoutInheritedNpmConfig(), ...env }, timeout: 300_000 });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/**
 * Copies the repository's working tree (tracked and untracked files, not ignored ones) and every
 * package's built dist/ into `dest`, with a link to the installed node_modules for the tools.
 */
export function copyRepository(dest: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 })
    .toString()
    .split('\0')
    .filter((f) => f && !f.split('/').includes('node_modules'));
  for (const f of files) {
    const from = path.join(REPO_ROOT, f);
    if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, f));
  }
  for (const { dir } of publishedPackages()) {
    const dist = path.join(dir, 'dist');
    if (!fs.existsSync(path.join(dist, 'index.js'))) throw new Error(`${path.relative(REPO_ROOT, dir)} is not built: run pnpm build first (pnpm test does)`);
    fs.cpSync(dist, path.join(dest, path.relative(REPO_ROOT, dir), 'dist'), { recursive: true });
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

/** `changeset version` in the copy: versions, changelogs and internal ranges as a release would write them. */
export function versionCopy(dest: string): void {
  run(process.execPath, [require.resolve('@changesets/cli/bin.js', { paths: [REPO_ROOT] }), 'version'], dest);
}

/**
 * Publishes every @om package of the copy with `pnpm release` (pnpm publish), which turns `workspace:` ranges into the
 * versions it finds in each package's node_modules: link those as `pnpm install` would.
 */
export function publishCopy(dest: string, registry: Registry, cacheDir: string): void {
  const dirs = new Map(publishedPackages().map(({ dir, manifest }) => [manifest.name, path.join(dest, path.relative(REPO_ROOT, dir))]));
  for (const dir of dirs.values()) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const group of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(manifest[group] ?? {})) {
        const target = dirs.get(name);
        const at = path.join(dir, 'node_modules', ...name.split('/'));
        if (!range.startsWith('workspace:') || !target || fs.existsSync(at)) continue;
        fs.mkdirSync(path.dirname(at), { recursive: true });
        fs.symlinkSync(target, at, 'dir');
      }
    }
  }
  writeNpmrc(dest, registry, cacheDir);
  // The root package.json's release script, as a maintainer runs it.
  run('pnpm', ['run', 'release', '--no-git-checks', '--registry', registry.url], dest);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
