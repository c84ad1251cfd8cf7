/**
 * A workflow config as a user writes it: the local `lake/` folder (or the `configSource` given, as
 * YAML lines indented under it) → the OpenMetadata API test server.
 */
import type { OmApiServer } from '../om-api-server';

export function localLakeToOmYaml(server: OmApiServer, token: string, options: { serviceName: string; bucketName?: string; configSource?: string }): string {
  return `
source:
  type: datalake
  serviceName: ${options.serviceName}
  serviceConnection:
    config:
      type: Datalake
      configSource:
${options.configSource ?? '        root: lake'}
      bucketName: "${options.bucketName ?? ''}"
  sourceConfig:
    config:
      type: DatabaseMetadata
      markDeletedTables: true
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  loggerLevel: WARN
  openMetadataServerConfig:
    hostPort: ${server.hostPort}
    authProvider: openmetadata
    securityConfig:
      jwtToken: ${token}
`;
}
