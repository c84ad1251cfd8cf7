/**
 * Waits for the next record or the run's stop signal, whichever comes first. `Promise.race` against
 * one promise that lives as long as the run would add a reaction to that promise per record, and
 * each reaction keeps its record reachable until the run ends: memory growing with the catalog.
 * Here only the wait in progress is known to the signal's listener.
 */
export interface StopRace {
  /** `pending`'s outcome, or `'stopped'` as soon as the signal aborts (also when it already has). */
  next<T>(pending: Promise<T>): Promise<T | 'stopped'>;
  /** Removes the listener from the signal. */
  dispose(): void;
}

export function stopRace(signal: AbortSignal): StopRace {
  let wake: ((value: 'stopped') => void) | undefined;
  const onAbort = (): void => wake?.('stopped');
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    next<T>(pending: Promise<T>): Promise<T | 'stopped'> {
      if (signal.aborted) return Promise.resolve('stopped');
      return new Promise<T | 'stopped'>((resolve, reject) => {
        wake = resolve;
        // A later wait may have taken the listener already: only this wait's own is let go.
        const release = (): void => {
          if (wake === resolve) wake = undefined;
        };
        pending.then(
          (value) => {
            release();
            resolve(value);
          },
          (err: unknown) => {
            release();
            reject(err);
          },
        );
      });
    },
    dispose(): void {
      wake = undefined;
      signal.removeEventListener('abort', onAbort);
    },
  };
}
