import type { Capability } from '@om/core';

/** `objectStore:<kind>`. */
export function objectStoreCapability(kind: string): Capability {
  return `objectStore:${kind}`;
}

/** The store kind of an `objectStore:<kind>` capability, else undefined. */
export function storeKindOfCapability(capability: string): string | undefined {
  return capability.startsWith('objectStore:') ? capability.slice('objectStore:'.length) : undefined;
}

