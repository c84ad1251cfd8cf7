/** Building the `metadata-rest` sink from its config (no I/O), and its connection for `prepare()`. */
import { ConfigError, type StepContext, type StepFactory } from '@om/core';
import { createAuthProvider } from './auth';
import { OpenMetadataClient, type OpenMetadataClientOptions } from './client';
import { DEFAULT_TABLE_CONCURRENCY, type MetadataRestSinkConfig } from './config';
import { MetadataRestSink } from './sink';

export const metadataRestSinkFactory: StepFactory<MetadataRestSink> = {
  /** Checks the config and builds the sink; nothing is contacted until the workflow calls `prepare()`. */
  create(context) {
    const serverConfig = context.workflowConfig.workflowConfig?.openMetadataServerConfig;
    if (!serverConfig) {
      throw ConfigError.single(
        'workflowConfig.openMetadataServerConfig',
        'is required when sink.type is "metadata-rest" (it says which OpenMetadata server to write to)',
        'add workflowConfig.openMetadataServerConfig: {hostPort: "http://localhost:8585/api", authProvider: openmetadata, securityConfig: {jwtToken: "${OM_JWT}"}}',
      );
    }
    const config = (context.stepConfig.config ?? {}) as MetadataRestSinkConfig;
    return new MetadataRestSink(config, context, () => connectSink(context, serverConfig, config));
  },
};

type ServerConfig = NonNullable<StepContext['workflowConfig']['workflowConfig']['openMetadataServerConfig']>;

/** The sink's connection: as many sockets as tables in flight need, and the sink's retry tuning. */
function connectSink(context: StepContext, serverConfig: ServerConfig, config: MetadataRestSinkConfig): Promise<OpenMetadataClient> {
  return connectOpenMetadata(context, serverConfig, {
    maxSockets: Math.max(8, (config.tableConcurrency ?? DEFAULT_TABLE_CONCURRENCY) * 2),
    retry: {
      ...(config.retry?.baseDelayMs !== undefined ? { baseDelayMs: config.retry.baseDelayMs } : {}),
      ...(config.retry?.maxDelayMs !== undefined ? { maxDelayMs: config.retry.maxDelayMs } : {}),
      ...(config.retry?.maxRetryAfterSeconds !== undefined ? { maxRetryAfterMs: config.retry.maxRetryAfterSeconds * 1000 } : {}),
    },
  });
}

/**
 * A step's connection to OpenMetadata (the sink's, the dbt source's reads): the auth provider, the
 * version check, then an access check; the client is closed when one of them fails.
 */
export async function connectOpenMetadata(
  context: Pick<StepContext, 'masker' | 'logger' | 'container' | 'signal'>,
  serverConfig: ServerConfig,
  options: Pick<OpenMetadataClientOptions, 'maxSockets' | 'retry'> = {},
): Promise<OpenMetadataClient> {
  const auth = await createAuthProvider(serverConfig, { masker: context.masker, logger: context.logger, container: context.container });
  const client = await OpenMetadataClient.connect({ serverConfig, auth, masker: context.masker, logger: context.logger, signal: context.signal, ...options });
  try {
    await client.checkAccess();
  } catch (err) {
    client.close();
    throw err;
  }
  if (client.knownServerVersion) context.logger.info(`Connected to OpenMetadata ${client.knownServerVersion} at ${serverConfig.hostPort}`);
  return client;
}
