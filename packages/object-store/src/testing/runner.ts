/**
 * The test functions the conformance kit needs, typed here so that the published types carry no
 * test runner's globals. Under Jest (or Vitest with globals) they are found on `globalThis`;
 * with `node:test`, pass `{describe, it, before: beforeAll, after: afterAll}` as `options.runner`.
 */
export type TestBody = () => unknown;

export interface TestRunner {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: TestBody, timeoutMs?: number): unknown;
  beforeAll(body: TestBody, timeoutMs?: number): unknown;
  afterAll(body: TestBody, timeoutMs?: number): unknown;
}

/** The runner's functions from the globals, or a clear error naming what to pass instead. */
export function globalRunner(): TestRunner {
  const g = globalThis as unknown as Partial<TestRunner>;
  const missing = (['describe', 'it', 'beforeAll', 'afterAll'] as const).filter((name) => typeof g[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(
      `describeObjectStoreConformance: no global ${missing.join(', ')}; run it under Jest or Vitest (globals), or pass options.runner = {describe, it, beforeAll, afterAll} from your test runner`,
    );
  }
  return g as TestRunner;
}
