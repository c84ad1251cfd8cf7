import { adapterReporting, anySignal, storeErrorOf, withoutColdStorage, wrapUnlessAborted } from './adapter';
import { ObjectStoreError, type ObjectInfo } from './contract';
import { all } from './testing';

async function* listing(): AsyncGenerator<ObjectInfo> {
  yield { key: 'a', size: 1, storageClass: 'STANDARD' };
  yield { key: 'b', size: 1, storageClass: 'GLACIER' };
  yield { key: 'c', size: 1 };
  yield { key: 'd', size: 1, storageClass: 'GLACIER' };
}

describe('store adapter helpers', () => {
  it('leave out cold objects only when asked, and report the count once per listing', async () => {
    const reports: string[] = [];
    const onColdSkipped = (bucket: string, prefix: string, count: number) => reports.push(`${bucket}/${prefix}:${count}`);
    expect((await all(withoutColdStorage(listing(), ['GLACIER'], { onColdSkipped }, 'b', 'p/'))).map((o) => o.key)).toEqual(['a', 'b', 'c', 'd']);
    expect(reports).toEqual([]);
    expect((await all(withoutColdStorage(listing(), ['GLACIER'], { skipColdStorage: true, onColdSkipped }, 'b', 'p/'))).map((o) => o.key)).toEqual(['a', 'c']);
    expect(reports).toEqual(['b/p/:2']);
  });

  it('redact with the run masker, then the store scrubber; aborts pass through', () => {
    const reporting = adapterReporting(
      { masker: { redact: (t: string) => t.replace('hunter2', '******') }, logger: { info: () => undefined } } as never,
      () => '',
    );
    const err = storeErrorOf({ code: 'AccessDenied', message: 'denied for hunter2 sig=abc', bucket: 'b', key: 'k' }, (t) => t.replace(/sig=\w+/, 'sig=***'), reporting.redact);
    expect(err).toBeInstanceOf(ObjectStoreError);
    expect(err.message).toBe('denied for ****** sig=***');
    expect([err.code, err.bucket, err.key, err.userError, err.kind]).toEqual(['AccessDenied', 'b', 'k', true, 'user']);
    expect(storeErrorOf({ code: 'Throttled', message: 'slow' }, (t) => t).userError).toBe(false);
    const abort = Object.assign(new Error('stop'), { name: 'AbortError' });
    expect(wrapUnlessAborted(abort, () => err)).toBe(abort);
    expect(wrapUnlessAborted(new Error('x'), () => err)).toBe(err);
  });

  it('join the run signal with a caller signal', () => {
    const run = new AbortController();
    const mine = new AbortController();
    expect(anySignal(undefined, undefined)).toBeUndefined();
    expect(anySignal(run.signal, undefined)).toBe(run.signal);
    const both = anySignal(run.signal, mine.signal)!;
    mine.abort();
    expect(both.aborted).toBe(true);
  });
});
