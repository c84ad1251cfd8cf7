import { OmError } from '@om/core';

/**
 * The server answered with an error status. `message` holds the method, the path and the server's
 * own `{code, message}` text — never request headers or the axios config (they carry the token).
 */
export class OpenMetadataApiError extends OmError {
  constructor(
    message: string,
    readonly status: number,
    readonly method: string,
    readonly path: string,
    /** The server's `message` field, when the body had one. */
    readonly serverMessage: string | undefined,
    /** The server's `code` field, when the body had one. */
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

/** 401/403: the credentials were refused. */
export class OpenMetadataAuthError extends OpenMetadataApiError {}

/** No answer: connection refused or reset, DNS failure, timeout (after the retries). */
export class OpenMetadataConnectionError extends OmError {
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    /** Node/axios error code such as ECONNREFUSED, ECONNRESET, ECONNABORTED. */
    readonly errorCode: string | undefined,
  ) {
    super(message);
  }
}

/** The server's version is outside what this client speaks. */
export class VersionMismatchError extends OmError {
  constructor(
    message: string,
    readonly serverVersion: string,
  ) {
    super(message);
  }
}
