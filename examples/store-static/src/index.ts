export { plugin, staticStoreFactory } from './plugin';
export { StaticFileStore, type StaticStoreOptions } from './store';
export * from './config';
