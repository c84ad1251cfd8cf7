export { describeObjectStoreConformance, type ConformanceFixture, type ConformanceOptions } from './conformance';
export { CountingObjectStore, type ReadCounters } from './counting-store';
export { all, listAll, storeError } from './store-helpers';
export { globalRunner, type TestRunner, type TestBody } from './runner';
