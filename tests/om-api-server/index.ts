export { OmApiServer, startOmApiServer, type Fault, type OmApiServerOptions, type RequestLogEntry } from './server';
export { CatalogStore, ROUTES, type EntityKind, type StoredEntity } from './store';
export { GovernanceStore, type PrincipalEntity } from './governance';
export { applyPatch, type PatchOperation } from './patch';
export { contractFor, schemaDir, type BodyKind } from './contract';
export { VERSION_DELTAS } from './versions';

/**
 * The server versions every end-to-end test runs against: the oldest supported (the 1.2 schemas as
 * they are) and the newest supported (1.2 plus every delta in versions.ts).
 */
export const IMPERSONATED_VERSIONS = ['1.2.0', '2.0.7'] as const;
