/**
 * Authentication against OpenMetadata. A provider turns `openMetadataServerConfig` into request
 * headers. `openmetadata` (a bot's JWT) and `no-auth` are built in; others (custom OIDC client
 * credentials, Google, Okta, Auth0, Azure) come from plugins that bind an {@link AuthProviderFactory}
 * to `capabilityToken('authProvider:<name>')`, or from `registerAuthProvider` in an embedding app.
 */
import { capabilityToken, OmError, type Capability, type Logger, type OpenMetadataServerConfig, type SecretMasker, type StepContext } from '@om/core';

/** tsyringe types, taken through @om/core so this package needs no tsyringe of its own. */
type DependencyContainer = StepContext['container'];
type InjectionToken = ReturnType<typeof capabilityToken>;

export interface AuthProvider {
  /** The `authProvider` name, for messages. */
  readonly name: string;
  /** Headers for one request (usually `Authorization: Bearer …`); cache tokens, this is called per request. */
  headers(): Promise<Record<string, string>>;
  /**
   * Called once after a 401. A provider that can refresh its token does so and returns true to
   * have the request retried once; the built-in JWT provider returns false.
   */
  refresh?(): Promise<boolean>;
  /** A hint appended to 401/403 errors, e.g. which config field holds the credentials. */
  readonly credentialsHint?: string;
}

export interface AuthProviderContext {
  serverConfig: OpenMetadataServerConfig;
  /** Register every secret (tokens, client secrets) here so no log line or error shows it. */
  masker: SecretMasker;
  logger: Logger;
}

export interface AuthProviderFactory {
  create(context: AuthProviderContext): AuthProvider | Promise<AuthProvider>;
}

/** The DI token a plugin binds its factory to: `capabilityToken('authProvider:<name>')`. */
export function authProviderToken(name: string): InjectionToken {
  return capabilityToken(`authProvider:${name}` as Capability);
}

export class AuthConfigError extends OmError {}

/** Bearer token from `securityConfig.jwtToken` (an OpenMetadata bot token). */
export const openMetadataJwtAuth: AuthProviderFactory = {
  create({ serverConfig, masker, logger }) {
    const token = (serverConfig.securityConfig as { jwtToken?: unknown } | undefined)?.jwtToken;
    if (typeof token !== 'string' || token.trim() === '') {
      throw new AuthConfigError(
        'workflowConfig.openMetadataServerConfig.securityConfig.jwtToken is required for authProvider "openmetadata" ' +
          '(copy the ingestion bot token from Settings → Bots in OpenMetadata)',
      );
    }
    masker.add(token);
    const expiry = jwtExpiry(token);
    if (expiry !== undefined && expiry < Date.now()) {
      logger.warn(`The OpenMetadata JWT in securityConfig.jwtToken expired at ${new Date(expiry).toISOString()}; requests will be refused (401)`);
    }
    const headers = { Authorization: `Bearer ${token.trim()}` };
    return {
      name: 'openmetadata',
      credentialsHint: 'check workflowConfig.openMetadataServerConfig.securityConfig.jwtToken (the bot token may be revoked or expired)',
      headers: async () => headers,
    };
  },
};

export const noAuth: AuthProviderFactory = {
  create: () => ({ name: 'no-auth', headers: async () => ({}), credentialsHint: 'the server requires authentication: set authProvider: openmetadata and securityConfig.jwtToken' }),
};

/** Named auth provider factories known without a container (built-ins and programmatic additions). */
export class AuthProviderRegistry {
  private readonly factories = new Map<string, AuthProviderFactory>();

  register(name: string, factory: AuthProviderFactory): this {
    this.factories.set(name, factory);
    return this;
  }

  get(name: string): AuthProviderFactory | undefined {
    return this.factories.get(name);
  }

  names(): string[] {
    return [...this.factories.keys()].sort();
  }
}

/** The process-wide registry holding `openmetadata` and `no-auth`. */
export const authProviders = new AuthProviderRegistry().register('openmetadata', openMetadataJwtAuth).register('no-auth', noAuth);

export function registerAuthProvider(name: string, factory: AuthProviderFactory): void {
  authProviders.register(name, factory);
}

/** `authProvider` as configured, defaulting to `openmetadata` when a JWT is given and `no-auth` otherwise. */
export function authProviderName(serverConfig: OpenMetadataServerConfig): string {
  if (serverConfig.authProvider) return serverConfig.authProvider;
  const token = (serverConfig.securityConfig as { jwtToken?: unknown } | undefined)?.jwtToken;
  return typeof token === 'string' && token ? 'openmetadata' : 'no-auth';
}

export interface CreateAuthProviderOptions {
  masker: SecretMasker;
  logger: Logger;
  /** Where plugins bound their factories (a step's container). */
  container?: DependencyContainer;
  registry?: AuthProviderRegistry;
}

/** Finds the factory for the configured `authProvider` (registry first, then plugins) and creates the provider. */
export async function createAuthProvider(serverConfig: OpenMetadataServerConfig, options: CreateAuthProviderOptions): Promise<AuthProvider> {
  const name = authProviderName(serverConfig);
  const registry = options.registry ?? authProviders;
  let factory = registry.get(name);
  if (!factory && options.container?.isRegistered(authProviderToken(name), true)) {
    factory = options.container.resolve(authProviderToken(name)) as AuthProviderFactory;
  }
  if (!factory) {
    throw new AuthConfigError(
      `authProvider "${name}" is not available: built in are ${registry.names().join(', ')}. ` +
        `Install a plugin that provides authProvider:${name}, or use authProvider: openmetadata with a bot JWT in securityConfig.jwtToken`,
    );
  }
  return factory.create({ serverConfig, masker: options.masker, logger: options.logger });
}

/** `exp` of a JWT in ms, or undefined when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
