/**
 * OpenMetadata's `security/credentials/awsCredentials.json`, as a JSON Schema for core's ajv.
 * Secret fields carry `"secret": true` (core's keyword) so their values are masked everywhere.
 */

/** A JSON Schema object (same shape as @om/core's `JsonSchema`; this package has no core dependency). */
export type JsonSchema = Record<string, unknown>;

/** The default STS session name, as OpenMetadata's Python client uses. */
export const DEFAULT_ASSUME_ROLE_SESSION_NAME = 'OpenMetadataSession';

const optionalString = (description: string, extra: Record<string, unknown> = {}): JsonSchema => ({
  type: ['string', 'null'],
  description,
  ...extra,
});

export const awsCredentialsSchema: JsonSchema = {
  type: 'object',
  title: 'AWS credentials',
  description: 'OpenMetadata awsCredentials: static keys, a profile, an assumed role, or the default AWS credential chain',
  required: ['awsRegion'],
  additionalProperties: false,
  properties: {
    awsAccessKeyId: optionalString('AWS access key id; give it with awsSecretAccessKey, or leave both out for the default chain'),
    awsSecretAccessKey: optionalString('AWS secret access key', { format: 'password', secret: true }),
    awsRegion: { type: 'string', minLength: 1, description: 'AWS region, e.g. us-east-1' },
    awsSessionToken: optionalString('session token for temporary credentials', { secret: true }),
    endPointURL: optionalString('custom endpoint (LocalStack, MinIO, DynamoDB Local, VPC endpoint)', { format: 'uri' }),
    profileName: optionalString('named profile from ~/.aws/credentials and ~/.aws/config'),
    assumeRoleArn: optionalString('ARN of a role to assume through STS before calling the service'),
    assumeRoleSessionName: optionalString('STS session name when assuming a role', {
      default: DEFAULT_ASSUME_ROLE_SESSION_NAME,
    }),
    assumeRoleSourceIdentity: optionalString('source identity passed to STS AssumeRole'),
  },
  // Static keys come in pairs (what buildAwsClientConfig refuses at run time, found at validation).
  allOf: [
    {
      if: { required: ['awsAccessKeyId'], properties: { awsAccessKeyId: { type: 'string', minLength: 1 } } },
      then: { required: ['awsSecretAccessKey'], properties: { awsSecretAccessKey: { type: 'string', minLength: 1 } } },
    },
    {
      if: { required: ['awsSecretAccessKey'], properties: { awsSecretAccessKey: { type: 'string', minLength: 1 } } },
      then: { required: ['awsAccessKeyId'], properties: { awsAccessKeyId: { type: 'string', minLength: 1 } } },
    },
    {
      if: { required: ['awsSessionToken'], properties: { awsSessionToken: { type: 'string', minLength: 1 } } },
      then: { required: ['awsAccessKeyId', 'awsSecretAccessKey'] },
    },
  ],
};

/** The parsed `awsCredentials` object. Optional fields may be null or empty in YAML; both mean "not set". */
export interface AwsCredentialsConfig {
  awsAccessKeyId?: string | null;
  awsSecretAccessKey?: string | null;
  awsRegion: string;
  awsSessionToken?: string | null;
  endPointURL?: string | null;
  profileName?: string | null;
  assumeRoleArn?: string | null;
  assumeRoleSessionName?: string | null;
  assumeRoleSourceIdentity?: string | null;
}

/** Retry settings shared by the AWS plugins (om-ingest extension; not part of awsCredentials). */
export const awsRetrySchemaProperties: Record<string, JsonSchema> = {
  maxAttempts: {
    type: 'integer',
    minimum: 1,
    maximum: 20,
    description: 'om-ingest: AWS SDK attempts per request, the first one included (default 5)',
  },
  retryMode: {
    type: 'string',
    enum: ['standard', 'adaptive'],
    description: 'om-ingest: AWS SDK retry mode: standard (exponential backoff) or adaptive (also rate-limits the client when throttled); default standard',
  },
  connectTimeoutSeconds: {
    type: 'number',
    exclusiveMinimum: 0,
    maximum: 600,
    description: 'om-ingest: seconds to wait for a TCP/TLS connection before the attempt fails and is retried (default 10)',
  },
  readTimeoutSeconds: {
    type: 'number',
    exclusiveMinimum: 0,
    maximum: 3600,
    description:
      'om-ingest: seconds without a byte from the server (before the answer or inside its body) before the attempt fails and is retried (default 60, as boto3)',
  },
};
