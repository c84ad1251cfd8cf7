// Module resolution for the bench: plain Node ESM, no build step. The @om packages are resolved from
// the repository root (its package.json depends on all of them, built under packages/*/dist and
// plugins/*/dist); third-party modules from the workspace package that already depends on them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const BENCH = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT = path.dirname(BENCH);
export const DATA = path.join(BENCH, 'data');
export const SUITE_DATA = path.join(DATA, 'suite');

const fromRoot = createRequire(path.join(ROOT, 'package.json'));
const fromDatalake = createRequire(path.join(ROOT, 'packages/datalake/package.json'));
const fromS3 = createRequire(path.join(ROOT, 'plugins/datalake-s3/package.json'));
const fromDynamo = createRequire(path.join(ROOT, 'plugins/dynamodb/package.json'));

function need(req, name, hint) {
  try {
    return req(name);
  } catch (err) {
    throw new Error(`cannot load ${name}: ${err.message.split('\n')[0]}${hint ? ` (${hint})` : ''}`);
  }
}

const BUILD_HINT = "build first: npx turbo run build --filter='!@om/dbt'";
export const core = () => need(fromRoot, '@om/core', BUILD_HINT);
export const datalake = () => need(fromRoot, '@om/datalake', BUILD_HINT);
export const datalakeTesting = () => need(fromRoot, '@om/datalake/testing', BUILD_HINT);
export const datalakeS3 = () => need(fromRoot, '@om/datalake-s3', BUILD_HINT);
export const openmetadata = () => need(fromRoot, '@om/openmetadata', BUILD_HINT);
export const objectStore = () => need(fromRoot, '@om/object-store', BUILD_HINT);
export const profiler = () => need(fromRoot, '@om/profiler', BUILD_HINT);
export const duckdb = () => need(fromDatalake, '@duckdb/node-api', 'a devDependency of packages/datalake: pnpm install');
export const s3sdk = () => need(fromS3, '@aws-sdk/client-s3', 'a dependency of plugins/datalake-s3: pnpm install');
export const dynamodb = () => need(fromRoot, '@om/dynamodb', BUILD_HINT);
export const dynamodbSdk = () => need(fromDynamo, '@aws-sdk/client-dynamodb', 'a dependency of plugins/dynamodb: pnpm install');
export const typescript = () => need(fromRoot, 'typescript', 'a devDependency of the repository root: pnpm install');

/** The installed fauxqs package folder (a devDependency of plugins/datalake-s3). */
export function fauxqsDir() {
  const dir = path.join(ROOT, 'plugins/datalake-s3/node_modules/fauxqs');
  if (!fs.existsSync(path.join(dir, 'package.json'))) throw new Error(`fauxqs is not installed in plugins/datalake-s3: run pnpm install`);
  return fs.realpathSync(dir);
}

/** A registry holding core's sinks and the plugins the bench uses (no discovery), plus `extra` descriptors. */
export function registry(...extra) {
  const c = core();
  const r = new c.PluginRegistry();
  r.addDescriptor(c.builtinPlugin, '@om/core', '0.1.0');
  r.addDescriptor(datalake().plugin, '@om/datalake', '0.1.0');
  r.addDescriptor(datalakeS3().plugin, '@om/datalake-s3', '0.1.0');
  r.addDescriptor(openmetadata().plugin, '@om/openmetadata', '0.1.0');
  r.addDescriptor(profiler().plugin, '@om/profiler', '0.1.0');
  for (const d of extra) r.addDescriptor(d, `bench-${d.id}`, '0.0.0');
  return r;
}

/** A logger that keeps only errors and warnings (counted, first few kept). */
export function quietLogger() {
  const kept = [];
  const keep = (level) => (m) => {
    if (kept.length < 20) kept.push(`${level} ${m}`);
  };
  return { level: 'WARN', debug() {}, info() {}, warn: keep('WARN'), error: keep('ERROR'), kept };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
export const round = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? x : Math.round(x * 10 ** d) / 10 ** d);
export const now = () => Number(process.hrtime.bigint()) / 1e6;
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Peak RSS of this process in bytes (maxRSS is KiB on Linux). */
export const peakRss = () => process.resourceUsage().maxRSS * 1024;
