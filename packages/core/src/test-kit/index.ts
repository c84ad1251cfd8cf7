/** `@om/core/test-kit`: conformance checks for plugin authors, usable from any test runner. */
export { checkPluginDescriptor, checkSourceConformance, type SourceConformanceOptions, type SourceConformanceResult } from './source-conformance';
