import * as v8 from 'node:v8';

/**
 * Keeps V8's young generation at the size it starts with, for the whole process. V8 doubles it
 * (up to 32 MB) each time enough objects have outlived its collections, which every long run does:
 * the main thread of a run that profiles or streams gigabytes then carries 32 MB of young
 * generation, mostly dead objects, at its peak; kept small, they are collected sooner. A process
 * owner calls it once at start-up, before loading the rest (module loading alone grows it): the
 * `metadata` CLI does, through `@om/core/runtime`; a scheduler that runs workflows in its own
 * long-lived process decides for itself. It changes a V8 flag of the process
 * (`--semi-space-growth-factor=1`), worker threads included.
 */
export function holdYoungGeneration(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
