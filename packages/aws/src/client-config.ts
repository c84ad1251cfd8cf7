/**
 * Turns an `awsCredentials` config into AWS SDK v3 client config. The one place where om-ingest
 * decides which credentials an AWS client uses:
 *
 * 1. `awsAccessKeyId` + `awsSecretAccessKey` (+ `awsSessionToken`) → static credentials;
 * 2. else `profileName` → that profile of the shared config/credentials files (`fromIni`);
 * 3. else the SDK's default chain (environment, SSO, web identity, ECS/EC2 metadata...).
 *
 * With `assumeRoleArn`, the credentials above are only used to call STS AssumeRole, and the
 * client uses the temporary credentials of the role (refreshed before they expire).
 */
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { DEFAULT_ASSUME_ROLE_SESSION_NAME, type AwsCredentialsConfig } from './schema';
import { OmError } from '@om/core/errors';

export type RetryMode = 'standard' | 'adaptive';

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_RETRY_MODE: RetryMode = 'standard';
/** boto3's defaults: 60 s read timeout; a shorter connect timeout, since a refused or lost SYN shows early. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
export const DEFAULT_READ_TIMEOUT_SECONDS = 60;

/** Raised for contradictory credential settings; a user mistake (no stack trace is shown). */
export class AwsConfigError extends OmError {}

export interface AwsClientOptions {
  /** Attempts per request, the first one included (default 5). */
  maxAttempts?: number;
  /** SDK retry mode (default standard). */
  retryMode?: RetryMode;
  /** Seconds to wait for a connection (default 10). */
  connectTimeoutSeconds?: number;
  /** Seconds without a byte from the server, before the answer or inside its body (default 60). */
  readTimeoutSeconds?: number;
  /**
   * Endpoint of STS for assume role. Default: the regional AWS STS endpoint (not `endPointURL`,
   * which belongs to the target service). Set it for private STS endpoints and local emulators.
   */
  stsEndpoint?: string;
  /** JSON pointer-ish path of the credentials in the config, for error messages. */
  configPath?: string;
}

/** Config accepted by every AWS SDK v3 client constructor (`new DynamoDBClient(config)`). */
export interface AwsClientConfig {
  region: string;
  /** The custom endpoint; S3 callers should also set `forcePathStyle: true` when it is present. */
  endpoint?: string;
  /** Absent → the SDK's default credential chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts: number;
  retryMode: RetryMode;
  /**
   * Options of the SDK's Node HTTP handler: without them a request that never answers waits
   * forever. `socketTimeout` is an idle timeout, so it also ends a body that stops half-way.
   */
  requestHandler: { connectionTimeout: number; socketTimeout: number };
}

export type CredentialSource = 'static' | 'profile' | 'default';

export interface AssumeRoleParams {
  RoleArn: string;
  RoleSessionName: string;
  SourceIdentity?: string;
}

export interface ResolvedAwsClientConfig {
  config: AwsClientConfig;
  /** Where the base credentials come from (with assume role: the credentials that call STS). */
  credentialSource: CredentialSource;
  /** The profile used, when `credentialSource` is `profile`. */
  profile?: string;
  /** The STS AssumeRole parameters, when a role is assumed. */
  assumeRole?: AssumeRoleParams;
  /** A secret-free one-line description for logs, e.g. `region us-east-1, static keys, assume role arn:...`. */
  summary: string;
}

function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Builds the SDK client config for an `awsCredentials` object. Throws AwsConfigError on contradictions. */
export function buildAwsClientConfig(aws: AwsCredentialsConfig, options: AwsClientOptions = {}): ResolvedAwsClientConfig {
  const at = options.configPath ? `${options.configPath}.` : '';
  if (!aws || typeof aws !== 'object' || !present(aws.awsRegion)) {
    throw new AwsConfigError(`${at}awsRegion is required (e.g. us-east-1)`);
  }
  const hasKeyId = present(aws.awsAccessKeyId);
  const hasSecret = present(aws.awsSecretAccessKey);
  if (hasKeyId !== hasSecret) {
    const missing = hasKeyId ? 'awsSecretAccessKey' : 'awsAccessKeyId';
    throw new AwsConfigError(
      `${at}${missing} is missing: give awsAccessKeyId and awsSecretAccessKey together, or leave both out to use profileName or the default AWS credential chain`,
    );
  }
  if (present(aws.awsSessionToken) && !hasKeyId) {
    throw new AwsConfigError(`${at}awsSessionToken needs awsAccessKeyId and awsSecretAccessKey (the temporary credentials it belongs to)`);
  }
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new AwsConfigError(`maxAttempts must be a whole number of at least 1 (got ${String(options.maxAttempts)})`);
  }
  const retryMode = options.retryMode ?? DEFAULT_RETRY_MODE;
  if (retryMode !== 'standard' && retryMode !== 'adaptive') {
    throw new AwsConfigError(`retryMode must be "standard" or "adaptive" (got ${JSON.stringify(retryMode)})`);
  }
  const connectTimeout = timeoutOption(options.connectTimeoutSeconds, DEFAULT_CONNECT_TIMEOUT_SECONDS, 'connectTimeoutSeconds');
  const readTimeout = timeoutOption(options.readTimeoutSeconds, DEFAULT_READ_TIMEOUT_SECONDS, 'readTimeoutSeconds');
  const region = aws.awsRegion.trim();

  let credentialSource: CredentialSource;
  let base: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  let profile: string | undefined;
  if (hasKeyId) {
    credentialSource = 'static';
    base = {
      accessKeyId: aws.awsAccessKeyId!.trim(),
      secretAccessKey: aws.awsSecretAccessKey!.trim(),
      ...(present(aws.awsSessionToken) ? { sessionToken: aws.awsSessionToken.trim() } : {}),
    };
  } else if (present(aws.profileName)) {
    credentialSource = 'profile';
    profile = aws.profileName.trim();
    base = fromIni({ profile });
  } else {
    credentialSource = 'default';
    base = undefined;
  }

  let credentials = base;
  let assumeRole: AssumeRoleParams | undefined;
  if (present(aws.assumeRoleArn)) {
    assumeRole = {
      RoleArn: aws.assumeRoleArn.trim(),
      RoleSessionName: present(aws.assumeRoleSessionName) ? aws.assumeRoleSessionName.trim() : DEFAULT_ASSUME_ROLE_SESSION_NAME,
      ...(present(aws.assumeRoleSourceIdentity) ? { SourceIdentity: aws.assumeRoleSourceIdentity.trim() } : {}),
    };
    credentials = fromTemporaryCredentials({
      params: { ...assumeRole },
      ...(base ? { masterCredentials: base } : {}),
      clientConfig: {
        region,
        maxAttempts,
        retryMode,
        requestHandler: { connectionTimeout: connectTimeout, socketTimeout: readTimeout },
        ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}),
      },
    });
  }

  const config: AwsClientConfig = {
    region,
    ...(present(aws.endPointURL) ? { endpoint: aws.endPointURL.trim() } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts,
    retryMode,
    requestHandler: { connectionTimeout: connectTimeout, socketTimeout: readTimeout },
  };
  const parts = [`region ${region}`];
  if (config.endpoint) parts.push(`endpoint ${config.endpoint}`);
  parts.push(
    credentialSource === 'static'
      ? `static keys${present(aws.awsSessionToken) ? ' with session token' : ''}`
      : credentialSource === 'profile'
        ? `profile ${profile}`
        : 'default credential chain',
  );
  if (assumeRole) parts.push(`assume role ${assumeRole.RoleArn} (session ${assumeRole.RoleSessionName})`);
  parts.push(`retries ${retryMode}, ${maxAttempts} attempts, timeouts connect ${connectTimeout / 1000} s / read ${readTimeout / 1000} s`);
  return {
    config,
    credentialSource,
    ...(profile ? { profile } : {}),
    ...(assumeRole ? { assumeRole } : {}),
    summary: parts.join(', '),
  };
}

/** A timeout in seconds as milliseconds; throws AwsConfigError when it is not a positive number. */
function timeoutOption(value: number | undefined, fallback: number, name: string): number {
  const seconds = value ?? fallback;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new AwsConfigError(`${name} must be a number of seconds above 0 (got ${String(value)})`);
  }
  return Math.round(seconds * 1000);
}
