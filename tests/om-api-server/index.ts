export { OmApiServer, startOmApiServer, type Fault, type OmApiServerOptions, type RequestLogEntry } from './server';
export { CatalogStore, ROUTES, type EntityKind, type StoredEntity } from './store';
export { GovernanceStore, type PrincipalEntity } from './governance';
export { applyPatch, type PatchOperation } from './patch';
