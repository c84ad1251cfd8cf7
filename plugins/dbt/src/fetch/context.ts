import type { StepContext } from '@om/core';

/** What fetching artifacts needs of the run. */
export interface FetchContext {
  step: Pick<StepContext, 'configDir' | 'container' | 'logger' | 'masker' | 'signal'> & Partial<StepContext>;
  timeoutMs: number;
}
