/**
 * The `gcsConfig` configSource of a Datalake connection: OpenMetadata's
 * `{securityConfig: gcpCredentials}` with `gcpConfig` as service-account values, a credentials file
 * path, external-account (workload identity federation) values or application default credentials,
 * plus a few om-ingest options next to `securityConfig` (documented in the README).
 */
import { createPrivateKey } from 'node:crypto';
import { OmError, type JsonSchema } from '@om/core';

/** GCS storage classes left out by `skipColdStorage`. */
export const GCS_COLD_STORAGE_CLASSES: readonly string[] = ['COLDLINE', 'ARCHIVE'];

const str = (description: string, extra: Record<string, unknown> = {}): JsonSchema => ({ type: ['string', 'null'], description, ...extra });

const projectIdSchema: JsonSchema = {
  description: 'a project id, or a list of them (one Database per project)',
  anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }, { type: 'null' }],
  errorMessage: 'projectId must be a project id or a list of project ids',
};

/** One object schema for every object form of gcpConfig; which form it is follows from `type` and the keys present. */
const gcpConfigObjectSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: str('service_account (default), gcp_credential_path, gcp_adc or external_account'),
    projectId: projectIdSchema,
    privateKeyId: str('service account private key id'),
    privateKey: str('service account private key (PEM)', {
      format: 'password',
      secret: true,
      // The PEM markers only (the key itself is checked when the client is built).
      pattern: 'BEGIN [A-Z ]*PRIVATE KEY',
      errorMessage: 'is not a PEM private key: copy private_key from the service account JSON key file (it starts with -----BEGIN PRIVATE KEY-----)',
    }),
    clientEmail: str('service account e-mail'),
    clientId: str('service account client id'),
    authUri: str('OAuth auth URI'),
    tokenUri: str('OAuth token URI'),
    authProviderX509CertUrl: str('auth provider x509 cert URL'),
    clientX509CertUrl: str('client x509 cert URL'),
    path: str('path of a credentials JSON file (type gcp_credential_path); relative to the config file', { omPath: true }),
    externalType: str('external_account (workload identity federation)'),
    audience: str('external account audience'),
    subjectTokenType: str('external account subject token type'),
    tokenURL: str('external account STS token URL'),
    credentialSource: { type: 'object', description: 'external account credential source (file, url or environment)' },
  },
  allOf: [
    { if: { properties: { type: { const: 'gcp_credential_path' } }, required: ['type'] }, then: { required: ['path'] } },
    { if: { required: ['privateKey'], properties: { privateKey: { type: 'string', minLength: 1 } } }, then: { required: ['clientEmail'] } },
  ],
};

export const gcpCredentialsSchema: JsonSchema = {
  type: 'object',
  title: 'GCP credentials',
  description: 'OpenMetadata gcpCredentials: service-account values, a credentials file path, external account values or application default credentials',
  required: ['gcpConfig'],
  additionalProperties: false,
  properties: {
    gcpConfig: {
      anyOf: [{ type: 'string', minLength: 1, description: 'path of a credentials JSON file, relative to the config file', omPath: true }, gcpConfigObjectSchema],
      errorMessage: 'gcpConfig must be service-account values, {type: gcp_credential_path, path}, {type: gcp_adc, projectId}, external account values, or a file path',
    },
    gcpImpersonateServiceAccount: {
      type: 'object',
      additionalProperties: false,
      properties: {
        impersonateServiceAccount: str('service account e-mail to impersonate'),
        lifetime: { type: 'integer', minimum: 1, description: 'token lifetime in seconds (default 3600)' },
      },
    },
  },
};

export const gcsConfigSchema: JsonSchema = {
  type: 'object',
  title: 'gcsConfig',
  description: 'Google Cloud Storage for the Datalake source: securityConfig holds OpenMetadata gcpCredentials',
  required: ['securityConfig'],
  additionalProperties: false,
  properties: {
    securityConfig: gcpCredentialsSchema,
    skipColdStorage: { type: 'boolean', description: `om-ingest: leave out ${GCS_COLD_STORAGE_CLASSES.join(' and ')} objects; default false` },
    apiEndpoint: {
      type: 'string',
      format: 'uri',
      description: 'om-ingest: JSON API endpoint (private endpoints, emulators); STORAGE_EMULATOR_HOST also works and wins',
    },
    maxAttempts: { type: 'integer', minimum: 1, maximum: 20, description: 'om-ingest: attempts per request, the first one included (default 4)' },
    maxRetryDelayMs: { type: 'integer', minimum: 1, maximum: 600000, description: 'om-ingest: longest wait between retries in milliseconds (default 64000)' },
    readTimeoutSeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 3600,
      description: 'om-ingest: seconds to wait for an answer, or for the next bytes of a body, before the attempt fails and is retried (default 60)',
    },
  },
};

export interface GcpValues {
  type?: string | null;
  projectId?: string | string[] | null;
  privateKeyId?: string | null;
  privateKey?: string | null;
  clientEmail?: string | null;
  clientId?: string | null;
  authUri?: string | null;
  tokenUri?: string | null;
  authProviderX509CertUrl?: string | null;
  clientX509CertUrl?: string | null;
  path?: string | null;
  externalType?: string | null;
  audience?: string | null;
  subjectTokenType?: string | null;
  tokenURL?: string | null;
  credentialSource?: Record<string, unknown> | null;
}

export interface GcsStoreConfig {
  gcpConfig: string | GcpValues;
  impersonate?: { impersonateServiceAccount?: string | null; lifetime?: number };
  skipColdStorage?: boolean;
  apiEndpoint?: string;
  maxAttempts?: number;
  maxRetryDelayMs?: number;
  readTimeoutSeconds?: number;
}

/** Missing or contradictory GCS credential settings; a user mistake (no stack trace). */
export class GcsConfigError extends OmError {}

export function parseGcsConfig(configSource: Record<string, unknown>): GcsStoreConfig {
  const sec = (configSource.securityConfig ?? {}) as { gcpConfig?: string | GcpValues; gcpImpersonateServiceAccount?: GcsStoreConfig['impersonate'] };
  return {
    gcpConfig: sec.gcpConfig ?? {},
    ...(sec.gcpImpersonateServiceAccount ? { impersonate: sec.gcpImpersonateServiceAccount } : {}),
    ...(configSource.skipColdStorage === true ? { skipColdStorage: true } : {}),
    ...(typeof configSource.apiEndpoint === 'string' ? { apiEndpoint: configSource.apiEndpoint } : {}),
    ...(typeof configSource.maxAttempts === 'number' ? { maxAttempts: configSource.maxAttempts } : {}),
    ...(typeof configSource.maxRetryDelayMs === 'number' ? { maxRetryDelayMs: configSource.maxRetryDelayMs } : {}),
    ...(typeof configSource.readTimeoutSeconds === 'number' ? { readTimeoutSeconds: configSource.readTimeoutSeconds } : {}),
  };
}

function present(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** The project ids of the config, in order (OpenMetadata: one Database per project). */
export function projectIdsOf(gcpConfig: string | GcpValues): string[] {
  if (typeof gcpConfig === 'string') return [];
  const p = gcpConfig.projectId;
  if (Array.isArray(p)) return p.filter(present).map((s) => s.trim());
  return present(p) ? [p.trim()] : [];
}

/** How the Storage client authenticates. Credentials are built in memory: nothing is written to disk. */
export type GcsAuth =
  | { kind: 'serviceAccount'; credentials: { type: 'service_account'; client_email: string; private_key: string; private_key_id?: string; client_id?: string; token_uri?: string }; clientEmail: string }
  | { kind: 'keyFile'; keyFilename: string }
  | { kind: 'externalAccount'; credentials: Record<string, unknown> }
  | { kind: 'adc' };

const AT = 'source.serviceConnection.config.configSource.securityConfig.gcpConfig';

export function resolveGcsAuth(gcpConfig: string | GcpValues): GcsAuth {
  if (typeof gcpConfig === 'string') return { kind: 'keyFile', keyFilename: gcpConfig.trim() };
  const type = (gcpConfig.type ?? '').trim();
  if (type === 'gcp_credential_path') {
    if (!present(gcpConfig.path)) throw new GcsConfigError(`${AT}.path is required with type gcp_credential_path`);
    return { kind: 'keyFile', keyFilename: gcpConfig.path.trim() };
  }
  if (type === 'gcp_adc') return { kind: 'adc' };
  if (type === 'external_account' || gcpConfig.externalType === 'external_account') {
    const missing = (['audience', 'subjectTokenType', 'tokenURL'] as const).filter((k) => !present(gcpConfig[k]));
    if (missing.length > 0 || !gcpConfig.credentialSource) {
      throw new GcsConfigError(`${AT}: an external account needs ${[...missing, ...(gcpConfig.credentialSource ? [] : ['credentialSource'])].join(', ')}`);
    }
    return {
      kind: 'externalAccount',
      credentials: {
        type: 'external_account',
        audience: gcpConfig.audience,
        subject_token_type: gcpConfig.subjectTokenType,
        token_url: gcpConfig.tokenURL,
        credential_source: gcpConfig.credentialSource,
      },
    };
  }
  if (present(gcpConfig.privateKey)) {
    if (!present(gcpConfig.clientEmail)) throw new GcsConfigError(`${AT}.clientEmail is required with privateKey`);
    // YAML and environment variables often carry the PEM with literal "\n".
    const privateKey = gcpConfig.privateKey.includes('\\n') ? gcpConfig.privateKey.replace(/\\n/g, '\n') : gcpConfig.privateKey;
    try {
      createPrivateKey(privateKey);
    } catch {
      throw new GcsConfigError(`${AT}.privateKey is not a valid PEM private key (copy private_key from the service account's JSON key file)`);
    }
    return {
      kind: 'serviceAccount',
      clientEmail: gcpConfig.clientEmail.trim(),
      credentials: {
        type: 'service_account',
        client_email: gcpConfig.clientEmail.trim(),
        private_key: privateKey,
        ...(present(gcpConfig.privateKeyId) ? { private_key_id: gcpConfig.privateKeyId.trim() } : {}),
        ...(present(gcpConfig.clientId) ? { client_id: gcpConfig.clientId.trim() } : {}),
        ...(present(gcpConfig.tokenUri) ? { token_uri: gcpConfig.tokenUri.trim() } : {}),
      },
    };
  }
  if (type && type !== 'service_account') {
    throw new GcsConfigError(`${AT}.type "${type}" is not one of service_account, gcp_credential_path, gcp_adc, external_account`);
  }
  // Values without a key (only projectId): use application default credentials for those projects.
  return { kind: 'adc' };
}

export function describeAuth(auth: GcsAuth): string {
  switch (auth.kind) {
    case 'serviceAccount':
      return `service account ${auth.clientEmail} (in memory)`;
    case 'keyFile':
      return `credentials file ${auth.keyFilename}`;
    case 'externalAccount':
      return 'external account (workload identity federation)';
    default:
      return 'application default credentials';
  }
}
