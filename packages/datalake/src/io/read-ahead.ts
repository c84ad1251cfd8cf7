/**
 * Reads ahead of a consumer: the reads of a split pass's next parts start while the current part is
 * handed out and decoded, so the round trips to a remote store overlap the decoding instead of
 * adding to it. What is read ahead and not yet taken is bounded in bytes (memory stays flat).
 */

export interface ReadAheadLimits {
  /** Bytes read (or being read) and not yet taken by the consumer; one read always goes ahead. */
  maxBytes: number;
  /** Reads in flight or done and not yet taken. */
  maxReads: number;
}

/**
 * Bytes a split pass reads ahead of its consumer: three CSV parts, or one Parquet part (a row group's
 * columns of one thread). Each part read ahead is a buffer held on top of the parts the threads are
 * decoding; a Parquet profile from S3 peaked one part higher with room for two.
 */
export const READ_AHEAD: ReadAheadLimits = { maxBytes: 6 * 1024 * 1024, maxReads: 4 };
/** A store whose ranged reads are whole local reads has no round trip to hide: one read goes ahead. */
export const LOCAL_READ_AHEAD: ReadAheadLimits = { maxBytes: 1, maxReads: 1 };

/** The read-ahead a split pass over `store` uses. */
export function readAheadFor(store: { wholeRangedReads?: boolean }): ReadAheadLimits {
  return store.wholeRangedReads ? LOCAL_READ_AHEAD : READ_AHEAD;
}

/**
 * `read(job)` for each job, in order, with later jobs' reads started while earlier results wait to
 * be taken, within `limits`. Results come out in job order. A failed read fails the iteration when
 * its turn comes; returning early leaves the reads in flight to finish unobserved.
 */
export async function* readAhead<J, R>(
  jobs: Iterable<J>,
  bytesOf: (job: J) => number,
  read: (job: J) => Promise<R>,
  limits: ReadAheadLimits = READ_AHEAD,
): AsyncGenerator<R> {
  const source = jobs[Symbol.iterator]();
  const queue: { bytes: number; result: Promise<R> }[] = [];
  let queued = 0;
  let peeked: { job: J; bytes: number } | undefined;
  let exhausted = false;
  const peek = (): { job: J; bytes: number } | undefined => {
    if (!peeked && !exhausted) {
      const next = source.next();
      if (next.done) exhausted = true;
      else peeked = { job: next.value, bytes: bytesOf(next.value) };
    }
    return peeked;
  };
  const fill = (): void => {
    for (let next = peek(); next; next = peek()) {
      // Past the budget only when nothing is queued (a job larger than the budget still runs).
      if (queue.length > 0 && (queue.length >= limits.maxReads || queued + next.bytes > limits.maxBytes)) return;
      peeked = undefined;
      const result = read(next.job);
      // Observed when taken; until then (or when never taken) a failure must not be unhandled.
      result.catch(() => undefined);
      queue.push({ bytes: next.bytes, result });
      queued += next.bytes;
    }
  };
  fill();
  while (queue.length > 0) {
    const head = queue[0];
    const value = await head.result;
    queue.shift();
    queued -= head.bytes;
    fill();
    yield value;
  }
}
