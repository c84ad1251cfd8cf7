import { classifyAwsError, describeAwsError } from './errors';

/** Errors shaped as the AWS SDK v3 throws them (a name, a message and `$metadata`). */
function serviceError(name: string, status: number, message = 'message'): Error {
  const err = new Error(message) as Error & { $metadata: { httpStatusCode: number } };
  err.name = name;
  err.$metadata = { httpStatusCode: status };
  return err;
}

describe('classifyAwsError', () => {
  it.each([
    ['AccessDeniedException', 400, 'AccessDenied'],
    ['AccessDenied', 403, 'AccessDenied'],
    ['UnrecognizedClientException', 400, 'AccessDenied'],
    ['ResourceNotFoundException', 400, 'NotFound'],
    ['NoSuchBucket', 404, 'NotFound'],
    ['ProvisionedThroughputExceededException', 400, 'Throttled'],
    ['ThrottlingException', 400, 'Throttled'],
    ['SlowDown', 503, 'Throttled'],
    ['ValidationException', 400, 'Other'],
    ['InternalServerError', 500, 'Other'],
    ['UnknownError', 403, 'AccessDenied'],
    ['UnknownError', 404, 'NotFound'],
    ['UnknownError', 429, 'Throttled'],
  ])('%s (HTTP %d) → %s', (name, status, kind) => {
    expect(classifyAwsError(serviceError(name, status)).kind).toBe(kind);
  });

  it('strips a namespace from the code and flags credential problems', () => {
    const c = classifyAwsError(serviceError('com.amazonaws.dynamodb.v20120810#ExpiredTokenException', 400, 'expired'));
    expect(c).toEqual({ kind: 'AccessDenied', code: 'ExpiredTokenException', status: 400, message: 'expired', credentials: true });
  });

  it('handles non-SDK errors', () => {
    expect(classifyAwsError(new TypeError('boom'))).toMatchObject({ kind: 'Other', code: 'TypeError', message: 'boom' });
    expect(classifyAwsError('text')).toMatchObject({ kind: 'Other', message: 'text' });
    expect(classifyAwsError(undefined).kind).toBe('Other');
  });

  it('describes errors in one line with what to do', () => {
    expect(describeAwsError(serviceError('AccessDeniedException', 400, 'not authorized'), 'Scan', 'table orders', 'dynamodb:Scan')).toBe(
      'Scan on table orders was denied (AccessDeniedException): not authorized. Grant dynamodb:Scan to the identity used',
    );
    expect(describeAwsError(serviceError('UnrecognizedClientException', 400, 'bad token\n  at stack'), 'ListTables')).toMatch(
      /^ListTables failed: the AWS credentials were rejected or not found \(UnrecognizedClientException\): bad token\. Check/,
    );
  });
});

describe('connection failures after the retries', () => {
  it('names a reset socket as a reset, even though the SDK calls it TimeoutError', () => {
    const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    expect(describeAwsError(reset, 'GetObject', 's3://b/k')).toBe('GetObject on s3://b/k failed: the connection was reset by the server or a proxy on every attempt (ECONNRESET)');
  });

  it('names an idle socket as a read timeout and a missing connection as a connect timeout', () => {
    const idle = Object.assign(new Error('the request socket timed out after 300 ms of inactivity'), { name: 'TimeoutError' });
    expect(describeAwsError(idle, 'Scan', 'table t')).toMatch(/no answer within the read timeout .*readTimeoutSeconds/);
    const connect = Object.assign(new Error('Socket timed out without establishing a connection within 1000 ms'), { name: 'TimeoutError' });
    expect(describeAwsError(connect, 'Scan', 'table t')).toMatch(/no connection within the connect timeout .*connectTimeoutSeconds/);
  });
});
