/** The conformance kit and store test helpers moved to `@om/object-store/testing`; re-exported for compatibility. */
export {
  describeObjectStoreConformance,
  CountingObjectStore,
  all,
  listAll,
  storeError,
  type ConformanceFixture,
  type ConformanceOptions,
  type ReadCounters,
} from '@om/object-store/testing';
