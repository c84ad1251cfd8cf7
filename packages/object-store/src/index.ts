// Public types use Node's (streams); say so in the .d.ts.
/// <reference types="node" preserve="true" />
export * from './contract';
export { collectStream, destroyStream, emptyStream, readsInto, type IntoReadable } from './streams';
export { Http1Agent, SocketBody, type Http1AgentOptions, type Http1AgentRequest, type Http1Response } from './http/agent';
export { HttpProtocolError } from './http/framing';
export { objectStoreToken, objectStoreCapability, storeKindOfCapability, boundShapes, BOUND_SHAPES, type ObjectStoreToken, type PluginContainer } from './tokens';
export {
  FIRST_PARTY_SHAPES,
  LOCAL_STORE_KIND,
  storeShapes,
  installedStoreShapes,
  selectStoreKind,
  schemeOf,
  isShape,
  type ConfigSourceShape,
  type StoreShapes,
} from './shapes';
export {
  withoutColdStorage,
  adapterReporting,
  storeErrorOf,
  isAbortError,
  wrapUnlessAborted,
  anySignal,
  firstLine,
  type ColdStorageOptions,
  type ClassifiedError,
} from './adapter';
export { checkedReads, READ_RESUMES, DEFAULT_BODY_IDLE_MS, type CheckedReadOptions } from './checked-reads';
export { defineStorePlugin, type StorePluginOptions } from './plugin';
