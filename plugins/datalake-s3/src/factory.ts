import { S3Client } from '@aws-sdk/client-s3';
import { buildAwsClientConfig } from '@om/aws';
import { adapterReporting, type ObjectStoreContext, type ObjectStoreFactory } from '@om/object-store';
import { parseS3Config, S3_COLD_STORAGE_CLASSES } from './config';
import { RangedReadHandler } from './request-handler';
import { S3ObjectStore } from './store';

const CONFIG_PATH = 'source.serviceConnection.config.configSource.securityConfig';

/** Builds the S3 client for a validated `s3Config` (credentials via @om/aws) and wraps it in the store. */
export function createS3ObjectStore(
  configSource: Record<string, unknown>,
  context?: Pick<ObjectStoreContext, 'logger' | 'masker'> & { signal?: AbortSignal },
): S3ObjectStore {
  const config = parseS3Config(configSource);
  const resolved = buildAwsClientConfig(config.securityConfig, {
    ...(config.maxAttempts !== undefined ? { maxAttempts: config.maxAttempts } : {}),
    ...(config.retryMode !== undefined ? { retryMode: config.retryMode } : {}),
    ...(config.connectTimeoutSeconds !== undefined ? { connectTimeoutSeconds: config.connectTimeoutSeconds } : {}),
    ...(config.readTimeoutSeconds !== undefined ? { readTimeoutSeconds: config.readTimeoutSeconds } : {}),
    configPath: CONFIG_PATH,
  });
  const client = new S3Client({
    ...resolved.config,
    requestHandler: new RangedReadHandler(resolved.config.requestHandler),
    // Custom endpoints (MinIO, LocalStack, emulators) rarely resolve virtual-hosted bucket names.
    forcePathStyle: resolved.config.endpoint !== undefined,
    // Reading only: checksums on every request add work and break some S3-compatible servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  context?.logger.debug(`S3 object store: ${resolved.summary}${config.skipColdStorage ? ', skipping cold storage' : ''}`);
  return new S3ObjectStore(client, {
    ...(config.skipColdStorage ? { skipColdStorage: true } : {}),
    ...(context?.signal ? { signal: context.signal } : {}),
    readTimeoutMs: resolved.config.requestHandler.socketTimeout,
    ...adapterReporting(context, (bucket, prefix, count) => `S3: left out ${count} object(s) in cold storage (${S3_COLD_STORAGE_CLASSES.join(', ')}) under s3://${bucket}/${prefix}`),
  });
}

export const s3ObjectStoreFactory: ObjectStoreFactory = {
  create: (configSource, context) => createS3ObjectStore(configSource, context),
};
