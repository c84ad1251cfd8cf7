/**
 * The dbt source's connection check: the manifest can be reached, read as little as possible (a
 * stat, a HEAD, one listing page). Downloading and parsing the artifacts is the run's job.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ConnectionCheckFailure, type ConnectionCheck } from '@om/core';
import { isBucketSource, type BucketDbtConfigSource, type DbtConfigSource } from '../config';
import { bucketScheme, BucketStoreProblem, openBucketStore } from './bucket-store';
import { cloudRunsQuery, FIELD, httpGet, type FetchContext } from './index';

export function artifactReachableCheck(source: DbtConfigSource, ctx: FetchContext): ConnectionCheck {
  if (isBucketSource(source)) return bucketReachableCheck(source, ctx);
  switch (source.dbtConfigType) {
    case 'local': {
      const file = path.resolve(ctx.step.configDir, source.dbtManifestFilePath);
      return {
        name: `read access to the manifest ${file}`,
        run: async () => {
          try {
            const st = await fs.stat(file);
            if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
            await fs.access(file, fs.constants.R_OK);
            return `${st.size} bytes`;
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
            throw new ConnectionCheckFailure(`${FIELD}.dbtManifestFilePath`, `cannot read ${file} (${code}); point it at dbt's target/manifest.json`);
          }
        },
      };
    }
    case 'http':
      return {
        name: `HEAD ${source.dbtManifestHttpPath}`,
        run: async () => {
          const url = source.dbtManifestHttpPath;
          let res: Response;
          try {
            res = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(ctx.timeoutMs) });
          } catch (err) {
            const e = err as Error & { cause?: { code?: string } };
            throw new ConnectionCheckFailure(`${FIELD}.dbtManifestHttpPath`, `HEAD ${url} failed: ${e.cause?.code ?? e.message}`);
          }
          // Some servers do not answer HEAD: only a clear "not there" or "not allowed" fails.
          if (res.status === 404 || res.status === 401 || res.status === 403 || res.status === 410) {
            throw new ConnectionCheckFailure(`${FIELD}.dbtManifestHttpPath`, `HEAD ${url} → ${res.status}`);
          }
          return `HTTP ${res.status}`;
        },
      };
    case 'cloud': {
      const { base, headers, params, runsUrl } = cloudRunsQuery(source);
      return {
        name: `find the latest successful run of dbt Cloud account ${String(source.dbtCloudAccountId)} at ${base}`,
        run: async () => {
          ctx.step.masker.add(source.dbtCloudAuthToken);
          let text: string;
          try {
            text = (await httpGet(runsUrl, ctx, headers))!;
          } catch (err) {
            throw new ConnectionCheckFailure(`${FIELD}.dbtCloudAuthToken / dbtCloudAccountId / dbtCloudUrl`, (err as Error).message);
          }
          let runs: unknown;
          try {
            runs = (JSON.parse(text) as { data?: unknown }).data;
          } catch {
            throw new ConnectionCheckFailure(`${FIELD}.dbtCloudUrl`, `${base} did not answer JSON: is it the dbt Cloud URL?`);
          }
          const run = Array.isArray(runs) ? (runs[0] as { id?: unknown } | undefined) : undefined;
          if (!run || (typeof run.id !== 'number' && typeof run.id !== 'string')) {
            const scope = params.has('job_definition_id') || params.has('project_id') ? 'dbtCloudJobId / dbtCloudProjectId' : 'dbtCloudAccountId';
            throw new ConnectionCheckFailure(`${FIELD}.${scope}`, 'no successful run: run the job once, or check the ids');
          }
          return `run ${String(run.id)}`;
        },
      };
    }
  }
}

/** One listing page of the bucket (or of the buckets) through the store plugin. */
function bucketReachableCheck(source: BucketDbtConfigSource, ctx: FetchContext): ConnectionCheck {
  const type = source.dbtConfigType;
  const scheme = bucketScheme(type, ctx);
  const bucket = source.dbtPrefixConfig?.dbtBucketName;
  const prefix = (source.dbtPrefixConfig?.dbtObjectPrefix ?? '').replace(/^\/+/, '');
  return {
    name: bucket ? `list one page of ${scheme}://${bucket}/${prefix}` : `list the ${type} buckets (one page)`,
    run: async () => {
      let store;
      try {
        store = await openBucketStore(source, ctx);
      } catch (err) {
        if (err instanceof BucketStoreProblem) throw new ConnectionCheckFailure(`${FIELD}.${err.field}`, err.message);
        throw err;
      }
      try {
        if (bucket) {
          for await (const _ of store.listObjects(bucket, prefix, ctx.step.signal)) return 'reachable';
          throw new ConnectionCheckFailure(`${FIELD}.dbtPrefixConfig`, `nothing under ${scheme}://${bucket}/${prefix}: no manifest.json can be there`);
        }
        for await (const _ of store.listBuckets()) return 'reachable';
        return 'reachable; no bucket visible to these credentials';
      } catch (err) {
        if (err instanceof ConnectionCheckFailure) throw err;
        const e = err as { code?: string; message?: string };
        const field = e.code === 'NotFound' ? `${FIELD}.dbtPrefixConfig.dbtBucketName` : `${FIELD}.dbtSecurityConfig`;
        throw new ConnectionCheckFailure(field, e.message ?? String(err));
      } finally {
        await store.close?.().catch(() => undefined);
      }
    },
  };
}
