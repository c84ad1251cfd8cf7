import { plugin } from './plugin';

export { plugin };
export default plugin;
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
export * from './status';
