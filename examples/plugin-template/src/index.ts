export { plugin, plugin as default } from './plugin';
export { SampleSource } from './source';
export * from './config';
