export { plugin } from './plugin';
export { SampleSource } from './source';
export * from './config';
