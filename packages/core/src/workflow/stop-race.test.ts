import { stopRace } from './stop-race';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

describe('stopRace', () => {
  it('passes on what the wait delivers, value or error', async () => {
    const race = stopRace(new AbortController().signal);
    await expect(race.next(Promise.resolve(42))).resolves.toBe(42);
    await expect(race.next(Promise.reject(new Error('read failed')))).rejects.toThrow('read failed');
    race.dispose();
  });

  it('ends a wait that never settles when the signal aborts', async () => {
    const abort = new AbortController();
    const race = stopRace(abort.signal);
    const waiting = race.next(never<number>());
    abort.abort();
    await expect(waiting).resolves.toBe('stopped');
  });

  it('answers stopped at once for a signal that already aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(stopRace(abort.signal).next(never())).resolves.toBe('stopped');
  });

  it('still stops the wait in progress after many settled ones', async () => {
    const abort = new AbortController();
    const race = stopRace(abort.signal);
    for (let i = 0; i < 1000; i++) expect(await race.next(Promise.resolve(i))).toBe(i);
    // The next wait starts before the last one's bookkeeping could run.
    const last = race.next(Promise.resolve('last'));
    const stuck = race.next(never<string>());
    await expect(last).resolves.toBe('last');
    abort.abort();
    await expect(stuck).resolves.toBe('stopped');
  });

  it('leaves no listener on the signal once disposed', async () => {
    const abort = new AbortController();
    const race = stopRace(abort.signal);
    const removed = jest.spyOn(abort.signal, 'removeEventListener');
    race.dispose();
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
  });
});
