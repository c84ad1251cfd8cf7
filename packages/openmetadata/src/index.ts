// Public types use Node's (streams, env); @types/node is a dependency, so say so in the .d.ts.
/// <reference types="node" preserve="true" />
import { plugin } from './plugin';

export { plugin };
export * from './auth';
export * from './catalog';
export * from './client';
export * from './compat/dialect';
export * from './compat/server-versions';
export * from './config';
export * from './connection-check';
export * from './errors';
export * from './mark-deleted';
export * from './quality-writer';
export * from './retry';
export * from './sink';
export * from './sink-factory';
export * from './status';
