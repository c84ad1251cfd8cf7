/**
 * Builds a throw-away "user project" the way npm would lay it out after
 * `npm install @om/cli <plugins...>`: the CLI copied into node_modules (so its own location is
 * inside the project, not the monorepo), and chosen workspace packages linked next to it.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const WORKSPACE_DIRS: Record<string, string> = {};
for (const group of ['packages', 'plugins']) {
  const dir = path.join(REPO_ROOT, group);
  if (!fs.existsSync(dir)) continue;
  for (const entry of fs.readdirSync(dir)) {
    const manifest = path.join(dir, entry, 'package.json');
    if (fs.existsSync(manifest)) WORKSPACE_DIRS[JSON.parse(fs.readFileSync(manifest, 'utf8')).name] = path.join(dir, entry);
  }
}

export function workspaceDir(name: string): string {
  const dir = WORKSPACE_DIRS[name];
  if (!dir) throw new Error(`no workspace package ${name}`);
  return dir;
}

export interface UserProject {
  dir: string;
  cli: string;
  run(args: string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string }): CliResult;
  /** The same without blocking this process (for a server the test runs in-process). */
  runAsync(args: string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string }): Promise<CliResult>;
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

function link(nodeModules: string, name: string, target: string): void {
  const at = path.join(nodeModules, ...name.split('/'));
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(target, at, 'dir');
}

/**
 * `packages`: workspace packages to link in; `tarballsFrom`: package directories to pack and
 * install with npm like a plugin from the registry (installed first: npm prunes what it did not install).
 */
export function createUserProject(packages: string[] = [], tarballsFrom: string[] = []): UserProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-user-'));
  const nm = path.join(dir, 'node_modules');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  for (const packageDir of tarballsFrom) installTarball(dir, packageDir);
  fs.mkdirSync(nm, { recursive: true });

  // The CLI is copied (not linked) so that its own location is inside this project.
  const cliSrc = workspaceDir('@om/cli');
  const cliDir = path.join(nm, '@om', 'cli');
  fs.mkdirSync(cliDir, { recursive: true });
  fs.copyFileSync(path.join(cliSrc, 'package.json'), path.join(cliDir, 'package.json'));
  fs.cpSync(path.join(cliSrc, 'dist'), path.join(cliDir, 'dist'), { recursive: true });
  link(nm, 'commander', fs.realpathSync(path.join(cliSrc, 'node_modules', 'commander')));
  link(nm, '@om/core', workspaceDir('@om/core'));
  for (const name of packages) link(nm, name, workspaceDir(name));

  const cli = path.join(cliDir, 'dist', 'bin.js');
  const envOf = (options: { env?: NodeJS.ProcessEnv }): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    delete env.OM_PLUGIN_PATH;
    if (options.env?.OM_PLUGIN_PATH) env.OM_PLUGIN_PATH = options.env.OM_PLUGIN_PATH;
    return env;
  };
  return {
    dir,
    cli,
    run(args, options = {}) {
      const result = spawnSync(process.execPath, [cli, ...args], { cwd: options.cwd ?? dir, env: envOf(options), encoding: 'utf8', timeout: 120_000 });
      return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    },
    runAsync(args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd ?? dir, env: envOf(options), stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
      });
    },
  };
}

/** Packs a package directory with pnpm (workspace ranges rewritten) and installs the tarball with npm, offline. */
function installTarball(projectDir: string, packageDir: string): void {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-pack-'));
  execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: packageDir, stdio: 'pipe' });
  const tarball = fs.readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack produced no tarball in ${packDir}`);
  execFileSync(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--legacy-peer-deps', '--no-package-lock', path.join(packDir, tarball)],
    { cwd: projectDir, stdio: 'pipe' },
  );
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
