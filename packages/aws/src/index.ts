export {
  awsCredentialsSchema,
  awsRetrySchemaProperties,
  DEFAULT_ASSUME_ROLE_SESSION_NAME,
  type AwsCredentialsConfig,
  type JsonSchema,
} from './schema';
export {
  buildAwsClientConfig,
  AwsConfigError,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_MODE,
  type AwsClientConfig,
  type AwsClientOptions,
  type AssumeRoleParams,
  type CredentialSource,
  type ResolvedAwsClientConfig,
  type RetryMode,
} from './client-config';
export {
  classifyAwsError,
  describeAwsError,
  isAccessDenied,
  isNotFound,
  isThrottled,
  type AwsErrorKind,
  type ClassifiedAwsError,
} from './errors';
