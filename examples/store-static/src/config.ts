/** The `configSource` this store handles: `{staticBaseUrl: "http://host/lake/"}` (one folder per bucket below it). */
import { OmError, type JsonSchema } from '@om/core';
import type { ConfigSourceShape } from '@om/object-store';

/** The same shape as `om.declares` in package.json (which is what the CLI reads before importing). */
export const STATIC_STORE_SHAPE: ConfigSourceShape = {
  keys: ['staticBaseUrl'],
  scheme: 'http',
  hint: 'staticBaseUrl for a static HTTP file server',
  example: 'static files: {staticBaseUrl: http://host/lake/}',
};

export const staticConfigSchema: JsonSchema = {
  type: 'object',
  title: 'staticConfig',
  required: ['staticBaseUrl'],
  additionalProperties: false,
  properties: {
    // Not OpenMetadata fields: marked so they stay out of the service connection sent to the server.
    staticBaseUrl: { type: 'string', pattern: '^https?://', omExtension: true, description: 'URL of the folder whose sub-folders are the buckets' },
    readTimeoutSeconds: { type: 'number', exclusiveMinimum: 0, omExtension: true, description: 'longest wait for an answer (default 30)' },
  },
};

export interface StaticStoreConfig {
  baseUrl: string;
  readTimeoutMs: number;
}

/** The configSource as options; its schema checked a Datalake configSource, but dbt hands one over unchecked. */
export function parseStaticConfig(configSource: Record<string, unknown>): StaticStoreConfig {
  const base = configSource.staticBaseUrl;
  if (typeof base !== 'string' || !/^https?:\/\//.test(base)) {
    throw new OmError(`staticBaseUrl must be the http(s) URL of the folder whose sub-folders are the buckets (got ${JSON.stringify(base)})`);
  }
  return {
    baseUrl: base.endsWith('/') ? base : `${base}/`,
    readTimeoutMs: Math.round((typeof configSource.readTimeoutSeconds === 'number' ? configSource.readTimeoutSeconds : 30) * 1000),
  };
}
