/**
 * The `s3Config` configSource of a Datalake connection: OpenMetadata's `{securityConfig: awsCredentials}`
 * plus a few om-ingest options next to `securityConfig` (documented in the README).
 */
import { awsCredentialsSchema, awsRetrySchemaProperties, type AwsCredentialsConfig, type RetryMode } from '@om/aws';
import type { JsonSchema } from '@om/core';

/** S3 storage classes whose objects cannot be read without a restore. */
export const S3_COLD_STORAGE_CLASSES: readonly string[] = ['GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR'];

export const s3ConfigSchema: JsonSchema = {
  type: 'object',
  title: 's3Config',
  description: 'S3 storage for the Datalake source: securityConfig holds OpenMetadata awsCredentials',
  required: ['securityConfig'],
  additionalProperties: false,
  properties: {
    securityConfig: awsCredentialsSchema,
    skipColdStorage: {
      type: 'boolean',
      description: `om-ingest: leave out objects in ${S3_COLD_STORAGE_CLASSES.join(', ')} (they cannot be read without a restore); default false`,
    },
    ...awsRetrySchemaProperties,
  },
};

export interface S3StoreConfig {
  securityConfig: AwsCredentialsConfig;
  skipColdStorage?: boolean;
  maxAttempts?: number;
  retryMode?: RetryMode;
  connectTimeoutSeconds?: number;
  readTimeoutSeconds?: number;
}

/** The validated configSource as typed options (validation already ran against `s3ConfigSchema`). */
export function parseS3Config(configSource: Record<string, unknown>): S3StoreConfig {
  const securityConfig = (configSource.securityConfig ?? {}) as AwsCredentialsConfig;
  return {
    securityConfig,
    ...(configSource.skipColdStorage === true ? { skipColdStorage: true } : {}),
    ...(typeof configSource.maxAttempts === 'number' ? { maxAttempts: configSource.maxAttempts } : {}),
    ...(typeof configSource.retryMode === 'string' ? { retryMode: configSource.retryMode as RetryMode } : {}),
    ...(typeof configSource.connectTimeoutSeconds === 'number' ? { connectTimeoutSeconds: configSource.connectTimeoutSeconds } : {}),
    ...(typeof configSource.readTimeoutSeconds === 'number' ? { readTimeoutSeconds: configSource.readTimeoutSeconds } : {}),
  };
}
