// Public types use Node's (streams, env); @types/node is a dependency, so say so in the .d.ts.
/// <reference types="node" preserve="true" />
import { plugin } from './plugin';

export { plugin };
export * from './config';
export * from './status';
export * from './naming';
export { DbtPlanner } from './planner';
export { parameterValue } from './test-planner';
export { DbtSource, dbtSourceFactory } from './source';
export { fetchArtifacts, ArtifactFetchError, type ArtifactSet, type FetchResult } from './fetch';
export { parseManifest, parseModelRef, ArtifactError, MAX_SUPPORTED_MANIFEST_VERSION, type DbtNode, type DbtTest, type DbtColumn, type ParsedManifest } from './artifacts/manifest';
export { parseCatalog, type ParsedCatalog, type CatalogTable, type CatalogColumn } from './artifacts/catalog';
export { parseRunResults, mergeRunResults, testCaseStatusOf, type ParsedRunResults, type NodeResult } from './artifacts/run-results';
export { columnTypeOf } from './artifacts/types';
export { dbtProjectWorkflowConfig, fromDbtEnvVars } from './project';
