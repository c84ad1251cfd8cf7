/** Sorting AWS SDK v3 errors into the few cases a connector reacts to differently. */

export type AwsErrorKind = 'AccessDenied' | 'NotFound' | 'Throttled' | 'Other';

export interface ClassifiedAwsError {
  kind: AwsErrorKind;
  /** The service's error code (`AccessDeniedException`, `ResourceNotFoundException`...) or the JS error name. */
  code: string;
  /** HTTP status, when a response was received. */
  status?: number;
  /** The service's message, without the SDK's stack. */
  message: string;
  /** True when the credentials themselves are missing, invalid or expired (a subset of AccessDenied). */
  credentials: boolean;
}

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
  'Forbidden',
  'AllAccessDisabled',
]);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'CredentialsProviderError',
]);
const NOT_FOUND = new Set([
  'ResourceNotFoundException',
  'TableNotFoundException',
  'NoSuchBucket',
  'NoSuchKey',
  'NotFound',
  'NoSuchEntity',
]);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'TransactionInProgressException',
  'LimitExceededException',
  'BandwidthLimitExceeded',
]);

/** Node socket error codes, kept as the error's code even when the SDK names the error otherwise. */
const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/** Classifies any thrown value from an AWS SDK v3 call (service errors, credential errors, others). */
export function classifyAwsError(err: unknown): ClassifiedAwsError {
  const e = (err ?? {}) as {
    name?: unknown;
    Code?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $response?: { statusCode?: unknown };
  };
  // The SDK renames a reset socket to `TimeoutError`; the Node code says what really happened.
  // Node's words for a reset client request are "socket hang up", whatever code survived wrapping.
  const nodeCode =
    typeof e.code === 'string' && NETWORK_CODES.has(e.code)
      ? e.code
      : typeof e.message === 'string' && /socket hang up/i.test(e.message)
        ? 'ECONNRESET'
        : undefined;
  const rawCode = nodeCode ?? [e.name, e.Code, e.code].find((c) => typeof c === 'string' && c && c !== 'Error');
  // Some services prefix the code with a namespace: `com.amazonaws.dynamodb.v20120810#AccessDeniedException`.
  const code = typeof rawCode === 'string' ? rawCode.replace(/^.*#/, '') : err instanceof Error ? err.name : 'Error';
  const statusRaw = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const status = typeof statusRaw === 'number' ? statusRaw : undefined;
  // The SDK wraps throwables that are no Error of this realm as "AWS SDK error wrapper for <text>".
  const message = ((typeof e.message === 'string' && e.message) || (typeof err === 'string' ? err : code)).replace(/^AWS SDK error wrapper for /, '');
  const credentials = BAD_CREDENTIALS.has(code);
  let kind: AwsErrorKind = 'Other';
  if (DENIED.has(code) || credentials) kind = 'AccessDenied';
  else if (NOT_FOUND.has(code)) kind = 'NotFound';
  else if (THROTTLED.has(code)) kind = 'Throttled';
  else if (status === 403 || status === 401) kind = 'AccessDenied';
  else if (status === 404) kind = 'NotFound';
  else if (status === 429) kind = 'Throttled';
  return { kind, code, ...(status !== undefined ? { status } : {}), message: firstLine(message), credentials };
}

export function isAccessDenied(err: unknown): boolean {
  return classifyAwsError(err).kind === 'AccessDenied';
}

export function isNotFound(err: unknown): boolean {
  return classifyAwsError(err).kind === 'NotFound';
}

export function isThrottled(err: unknown): boolean {
  return classifyAwsError(err).kind === 'Throttled';
}

/**
 * One line for users: `<action> on <resource> failed: <kind words> (<code>): <message>`, plus a hint
 * for credential and permission problems. Never contains a stack.
 */
export function describeAwsError(err: unknown, action: string, resource?: string, permission?: string): string {
  const c = classifyAwsError(err);
  const where = resource ? `${action} on ${resource}` : action;
  switch (c.kind) {
    case 'AccessDenied':
      if (c.credentials) {
        return `${where} failed: the AWS credentials were rejected or not found (${c.code}): ${c.message}. Check awsAccessKeyId/awsSecretAccessKey/awsSessionToken, profileName or the default credential chain`;
      }
      return `${where} was denied (${c.code}): ${c.message}.${permission ? ` Grant ${permission} to the identity used` : ' Check the IAM permissions of the identity used'}`;
    case 'NotFound':
      return `${where} failed: not found (${c.code}): ${c.message}`;
    case 'Throttled':
      return `${where} was throttled after all retries (${c.code}): ${c.message}. Raise maxAttempts or use retryMode adaptive`;
    default: {
      const network = networkWords(c);
      if (network) return `${where} failed: ${network}`;
      return `${where} failed (${c.code}${c.status !== undefined ? `, HTTP ${c.status}` : ''}): ${c.message}`;
    }
  }
}

/** Plain words for connection failures (after the SDK's retries), or undefined for other errors. */
function networkWords(c: ClassifiedAwsError): string | undefined {
  if (c.status !== undefined) return undefined;
  switch (c.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return `the connection was reset by the server or a proxy on every attempt (${c.code})`;
    case 'ECONNREFUSED':
      return `the connection was refused (${c.code}); check the endpoint (endPointURL) and that the service is reachable`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host was not found (${c.code}); check the region and endPointURL`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `the network cannot reach the endpoint (${c.code})`;
    case 'ETIMEDOUT':
    case 'TimeoutError':
      if (/without establishing a connection/i.test(c.message)) {
        return `no connection within the connect timeout on every attempt (${c.code}); raise connectTimeoutSeconds or check the endpoint`;
      }
      return `no answer within the read timeout on every attempt (${c.code}); raise readTimeoutSeconds if the service is only slow`;
    default:
      return undefined;
  }
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0].trim();
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}
