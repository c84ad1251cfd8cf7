/**
 * The `metadata-rest` sink's connection checks (the CLI's `test-connection`): the server answers
 * its version, the version is supported, the credentials are accepted. The sink itself runs the
 * same calls in `prepare()`; these report each one separately and never write.
 */
import { ConfigError, ConnectionCheckFailure, type ConnectionCheck, type StepContext } from '@om/core';
import { createAuthProvider } from './auth';
import { OpenMetadataClient } from './client';

const SERVER_PATH = 'workflowConfig.openMetadataServerConfig';

export async function metadataRestConnectionChecks(context: StepContext): Promise<ConnectionCheck[]> {
  const serverConfig = context.workflowConfig.workflowConfig?.openMetadataServerConfig;
  if (!serverConfig) {
    throw ConfigError.single(SERVER_PATH, 'is required when sink.type is "metadata-rest"', 'add workflowConfig.openMetadataServerConfig: {hostPort: ..., authProvider: openmetadata, securityConfig: {jwtToken: ...}}');
  }
  let client: OpenMetadataClient | undefined;
  // One attempt per call: a check says what is wrong now, it does not wait for the server.
  const connect = async (): Promise<OpenMetadataClient> => {
    if (client) return client;
    const auth = await createAuthProvider(serverConfig, { masker: context.masker, logger: context.logger, container: context.container });
    client = new OpenMetadataClient({ serverConfig, auth, masker: context.masker, logger: context.logger, signal: context.signal, retry: { maxRetries: 0 }, maxSockets: 2 });
    return client;
  };
  const closeAfter = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      client?.close();
      throw err;
    }
  };
  return [
    {
      name: `GET ${serverConfig.hostPort.replace(/\/+$/, '')}/v1/system/version`,
      run: () =>
        closeAfter(async () => {
          const c = await connect();
          try {
            return serverConfig.enableVersionValidation === false ? `OpenMetadata ${await c.serverVersion()}` : `OpenMetadata ${await c.validateVersion()}, supported`;
          } catch (err) {
            throw new ConnectionCheckFailure(`${SERVER_PATH}.hostPort`, (err as Error).message);
          }
        }),
    },
    {
      name: 'GET /v1/services/databaseServices?limit=1 (the credentials are accepted)',
      run: () =>
        closeAfter(async () => {
          const c = await connect();
          try {
            await c.checkAccess();
          } catch (err) {
            throw new ConnectionCheckFailure(`${SERVER_PATH}.securityConfig`, (err as Error).message);
          } finally {
            c.close();
          }
        }),
    },
  ];
}
