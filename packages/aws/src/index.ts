// The AWS SDK prints a multi-line Node 22 advisory on every run under Node 20, which om-ingest
// supports; the README says so once instead. Set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
  DEFAULT_CONNECT_TIMEOUT_SECONDS,
  DEFAULT_READ_TIMEOUT_SECONDS,
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
