/**
 * Getting the artifact files: local paths, plain HTTP(S) URLs, dbt Cloud (latest successful run) or
 * a bucket read through the installed object store plugin. Each source yields one or more artifact
 * sets (a bucket can hold several: one per directory with a manifest.json).
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { OmError } from '@om/core';
import { collectStream, type ObjectStore } from '@om/object-store';
import { DEFAULT_DBT_CLOUD_URL, isBucketSource, type BucketDbtConfigSource, type DbtConfigSource } from '../config';
import { bucketScheme, BucketStoreProblem, openBucketStore } from './bucket-store';
import type { FetchContext } from './context';

export interface ArtifactSet {
  /** Where the set comes from, for messages (`manifest.json` path, URL, `s3://bucket/prefix/`, `dbt Cloud run 42`). */
  label: string;
  manifest: { where: string; text: string };
  catalog?: { where: string; text: string };
  runResults: { where: string; text: string }[];
  /** `sources.json` of `dbt source freshness`, when there is one. */
  sources?: { where: string; text: string };
}

export interface FetchResult {
  sets: ArtifactSet[];
  /** Optional files that could not be read (each is a warning, the run goes on). */
  warnings: { name: string; reason: string }[];
}

export class ArtifactFetchError extends OmError {}

export type { FetchContext } from './context';

export const FIELD = 'source.sourceConfig.config.dbtConfigSource';

export async function fetchArtifacts(source: DbtConfigSource, ctx: FetchContext): Promise<FetchResult> {
  if (isBucketSource(source)) return fetchBucket(source, ctx);
  switch (source.dbtConfigType) {
    case 'local':
      return fetchLocal(source, ctx);
    case 'http':
      return fetchHttp(source, ctx);
    case 'cloud':
      return fetchCloud(source, ctx);
    default:
      throw new ArtifactFetchError(`${FIELD}.dbtConfigType: unknown type ${JSON.stringify((source as { dbtConfigType: unknown }).dbtConfigType)}`);
  }
}

// ----- local -----

async function fetchLocal(source: Extract<DbtConfigSource, { dbtConfigType: 'local' }>, ctx: FetchContext): Promise<FetchResult> {
  const warnings: FetchResult['warnings'] = [];
  const resolve = (p: string): string => path.resolve(ctx.step.configDir, p);
  const manifestPath = resolve(source.dbtManifestFilePath);
  let manifest: string;
  try {
    manifest = await fs.readFile(manifestPath, 'utf8');
  } catch (err) {
    throw new ArtifactFetchError(`${FIELD}.dbtManifestFilePath: cannot read ${manifestPath} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); point it at dbt's target/manifest.json`);
  }
  const optional = async (field: string, p: string | null | undefined): Promise<{ where: string; text: string } | undefined> => {
    if (!p) return undefined;
    const file = resolve(p);
    try {
      return { where: file, text: await fs.readFile(file, 'utf8') };
    } catch (err) {
      warnings.push({ name: file, reason: `${FIELD}.${field}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); going on without it` });
      return undefined;
    }
  };
  const catalog = await optional('dbtCatalogFilePath', source.dbtCatalogFilePath);
  const runResults = await optional('dbtRunResultsFilePath', source.dbtRunResultsFilePath);
  const sources = await optional('dbtSourcesFilePath', source.dbtSourcesFilePath);
  return {
    sets: [{ label: manifestPath, manifest: { where: manifestPath, text: manifest }, ...(catalog ? { catalog } : {}), runResults: runResults ? [runResults] : [], ...(sources ? { sources } : {}) }],
    warnings,
  };
}

// ----- http -----

function timeoutSignal(ctx: FetchContext): AbortSignal {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  return ctx.step.signal ? AbortSignal.any([ctx.step.signal, timeout]) : timeout;
}

/** GET a URL as text; undefined on 404 when `optional`. Errors name the URL and the status only. */
export async function httpGet(url: string, ctx: FetchContext, headers: Record<string, string> = {}, optional = false): Promise<string | undefined> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json', 'User-Agent': 'om-ingest-dbt', ...headers }, redirect: 'follow', signal: timeoutSignal(ctx) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${ctx.timeoutMs / 1000} s (parsingTimeoutLimit)` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new ArtifactFetchError(ctx.step.masker.redact(`GET ${url} failed: ${why}`));
  }
  if (res.status === 404 && optional) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.ok) {
    const body = (await res.text().catch(() => '')).slice(0, 300).trim();
    throw new ArtifactFetchError(ctx.step.masker.redact(`GET ${url} → ${res.status}${body ? `: ${body}` : ''}`));
  }
  return res.text();
}

async function fetchHttp(source: Extract<DbtConfigSource, { dbtConfigType: 'http' }>, ctx: FetchContext): Promise<FetchResult> {
  const warnings: FetchResult['warnings'] = [];
  const manifest = (await httpGet(source.dbtManifestHttpPath, ctx))!;
  const optional = async (field: string, url: string | null | undefined): Promise<{ where: string; text: string } | undefined> => {
    if (!url) return undefined;
    try {
      const text = await httpGet(url, ctx, {}, true);
      if (text === undefined) {
        warnings.push({ name: url, reason: `${FIELD}.${field}: ${url} answered 404; going on without it` });
        return undefined;
      }
      return { where: url, text };
    } catch (err) {
      warnings.push({ name: url, reason: `${FIELD}.${field}: ${(err as Error).message}; going on without it` });
      return undefined;
    }
  };
  const catalog = await optional('dbtCatalogHttpPath', source.dbtCatalogHttpPath);
  const runResults = await optional('dbtRunResultsHttpPath', source.dbtRunResultsHttpPath);
  const sources = await optional('dbtSourcesHttpPath', source.dbtSourcesHttpPath);
  return {
    sets: [
      {
        label: source.dbtManifestHttpPath,
        manifest: { where: source.dbtManifestHttpPath, text: manifest },
        ...(catalog ? { catalog } : {}),
        runResults: runResults ? [runResults] : [],
        ...(sources ? { sources } : {}),
      },
    ],
    warnings,
  };
}

// ----- dbt Cloud -----

/** dbt Cloud run status code of a successful run (API v2). */
const DBT_CLOUD_SUCCESS = 10;

/** The latest successful run of the account (job, project): what a run reads first, and the connection check. */
export function cloudRunsQuery(source: Extract<DbtConfigSource, { dbtConfigType: 'cloud' }>) {
  const base = (source.dbtCloudUrl || DEFAULT_DBT_CLOUD_URL).replace(/\/+$/, '');
  const account = encodeURIComponent(String(source.dbtCloudAccountId));
  const headers = { Authorization: `Token ${source.dbtCloudAuthToken}` };
  const params = new URLSearchParams({ status: String(DBT_CLOUD_SUCCESS), order_by: '-finished_at', limit: '1' });
  if (source.dbtCloudJobId !== undefined && source.dbtCloudJobId !== null && source.dbtCloudJobId !== '') params.set('job_definition_id', String(source.dbtCloudJobId));
  if (source.dbtCloudProjectId !== undefined && source.dbtCloudProjectId !== null && source.dbtCloudProjectId !== '') params.set('project_id', String(source.dbtCloudProjectId));
  return { base, account, headers, params, runsUrl: `${base}/api/v2/accounts/${account}/runs/?${params}` };
}

async function fetchCloud(source: Extract<DbtConfigSource, { dbtConfigType: 'cloud' }>, ctx: FetchContext): Promise<FetchResult> {
  ctx.step.masker.add(source.dbtCloudAuthToken);
  const { base, account, headers, params, runsUrl } = cloudRunsQuery(source);
  let text: string;
  try {
    text = (await httpGet(runsUrl, ctx, headers))!;
  } catch (err) {
    const msg = (err as Error).message;
    const hint = / → 40[13]/.test(msg) ? '; check dbtCloudAuthToken and dbtCloudAccountId' : '';
    throw new ArtifactFetchError(`dbt Cloud: cannot list runs (${msg})${hint}`);
  }
  let runs: unknown;
  try {
    runs = (JSON.parse(text) as { data?: unknown }).data;
  } catch {
    throw new ArtifactFetchError(`dbt Cloud: ${runsUrl} did not answer JSON; check dbtCloudUrl`);
  }
  const run = Array.isArray(runs) ? (runs[0] as { id?: unknown } | undefined) : undefined;
  if (!run || (typeof run.id !== 'number' && typeof run.id !== 'string')) {
    const scope = [params.get('job_definition_id') && `job ${params.get('job_definition_id')}`, params.get('project_id') && `project ${params.get('project_id')}`].filter(Boolean).join(', ');
    throw new ArtifactFetchError(`dbt Cloud: account ${String(source.dbtCloudAccountId)}${scope ? ` (${scope})` : ''} has no successful run; run the job once, or check dbtCloudJobId / dbtCloudProjectId`);
  }
  const runId = String(run.id);
  const artifact = (name: string): string => `${base}/api/v2/accounts/${account}/runs/${encodeURIComponent(runId)}/artifacts/${name}`;
  const label = `dbt Cloud run ${runId}`;
  const manifestUrl = artifact('manifest.json');
  const manifest = await httpGet(manifestUrl, ctx, headers, true);
  if (manifest === undefined) throw new ArtifactFetchError(`${label} has no manifest.json artifact (${manifestUrl}); make the job generate docs or run dbt compile`);
  const warnings: FetchResult['warnings'] = [];
  const optional = async (name: string): Promise<{ where: string; text: string } | undefined> => {
    const url = artifact(name);
    try {
      const t = await httpGet(url, ctx, headers, true);
      if (t === undefined) {
        warnings.push({ name: `${label} ${name}`, reason: `${label} has no ${name}; going on without it` });
        return undefined;
      }
      return { where: `${label} ${name}`, text: t };
    } catch (err) {
      warnings.push({ name: `${label} ${name}`, reason: `${(err as Error).message}; going on without it` });
      return undefined;
    }
  };
  const catalog = await optional('catalog.json');
  const runResults = await optional('run_results.json');
  return {
    sets: [{ label, manifest: { where: `${label} manifest.json`, text: manifest }, ...(catalog ? { catalog } : {}), runResults: runResults ? [runResults] : [] }],
    warnings,
  };
}

// ----- buckets through the object store plugins -----

async function readObject(store: ObjectStore, bucket: string, key: string): Promise<string> {
  return Buffer.from(await collectStream(await store.openStream(bucket, key))).toString('utf8');
}

function isRunResults(file: string): boolean {
  return /^run_results.*\.json$/.test(file);
}

async function fetchBucket(source: BucketDbtConfigSource, ctx: FetchContext): Promise<FetchResult> {
  const type = source.dbtConfigType;
  const scheme = bucketScheme(type, ctx);
  let store: ObjectStore;
  try {
    store = await openBucketStore(source, ctx);
  } catch (err) {
    if (!(err instanceof BucketStoreProblem)) throw err;
    throw new ArtifactFetchError(err.field === 'dbtConfigType' ? `dbtConfigType ${err.message}` : ctx.step.masker.redact(`${FIELD}.dbtSecurityConfig: ${err.message}`));
  }
  const warnings: FetchResult['warnings'] = [];
  const sets: ArtifactSet[] = [];
  try {
    const prefix = (source.dbtPrefixConfig?.dbtObjectPrefix ?? '').replace(/^\/+/, '');
    const buckets: string[] = [];
    if (source.dbtPrefixConfig?.dbtBucketName) buckets.push(source.dbtPrefixConfig.dbtBucketName);
    else for await (const b of store.listBuckets()) buckets.push(b);
    for (const bucket of buckets) {
      const dirs = new Map<string, { manifest?: string; catalog?: string; sources?: string; runResults: string[] }>();
      try {
        for await (const o of store.listObjects(bucket, prefix, ctx.step.signal)) {
          const slash = o.key.lastIndexOf('/');
          const dir = slash >= 0 ? o.key.slice(0, slash + 1) : '';
          const file = o.key.slice(slash + 1);
          const entry = dirs.get(dir) ?? { runResults: [] };
          if (file === 'manifest.json') entry.manifest = o.key;
          else if (file === 'catalog.json') entry.catalog = o.key;
          else if (file === 'sources.json') entry.sources = o.key;
          else if (isRunResults(file)) entry.runResults.push(o.key);
          else continue;
          dirs.set(dir, entry);
        }
      } catch (err) {
        const msg = ctx.step.masker.redact((err as Error).message);
        if (source.dbtPrefixConfig?.dbtBucketName) throw new ArtifactFetchError(`${scheme}://${bucket}/${prefix}: cannot list the artifacts: ${msg}`);
        warnings.push({ name: `${scheme}://${bucket}`, reason: `cannot list: ${msg}` });
        continue;
      }
      for (const [dir, files] of [...dirs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const where = (key: string): string => `${scheme}://${bucket}/${key}`;
        if (!files.manifest) {
          warnings.push({ name: where(dir), reason: `has dbt artifacts but no manifest.json; left out` });
          continue;
        }
        const read = async (key: string): Promise<{ where: string; text: string } | undefined> => {
          try {
            return { where: where(key), text: await readObject(store, bucket, key) };
          } catch (err) {
            warnings.push({ name: where(key), reason: `cannot read: ${ctx.step.masker.redact((err as Error).message)}` });
            return undefined;
          }
        };
        const manifest = await read(files.manifest);
        if (!manifest) continue;
        const catalog = files.catalog ? await read(files.catalog) : undefined;
        const runResults: { where: string; text: string }[] = [];
        for (const key of files.runResults.sort()) {
          const r = await read(key);
          if (r) runResults.push(r);
        }
        const sources = files.sources ? await read(files.sources) : undefined;
        sets.push({ label: where(dir), manifest, ...(catalog ? { catalog } : {}), runResults, ...(sources ? { sources } : {}) });
      }
    }
    if (sets.length === 0) {
      const where = source.dbtPrefixConfig?.dbtBucketName ? `${scheme}://${source.dbtPrefixConfig.dbtBucketName}/${prefix}` : `any bucket${prefix ? ` under prefix ${prefix}` : ''}`;
      throw new ArtifactFetchError(`no manifest.json found in ${where}; check ${FIELD}.dbtPrefixConfig (dbtBucketName, dbtObjectPrefix)`);
    }
  } finally {
    await store.close?.().catch(() => undefined);
  }
  return { sets, warnings };
}
