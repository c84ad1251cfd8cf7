/**
 * Runs tasks with at most `limit` in flight and yields their results in the order the tasks came.
 * When the task source throws, the tasks already started are still yielded, then the error is
 * rethrown (so a listing that dies part-way still delivers what it listed).
 */
export async function* runOrdered<T>(source: AsyncIterable<() => Promise<T>>, limit: number): AsyncGenerator<T> {
  const queue: Promise<T>[] = [];
  const it = source[Symbol.asyncIterator]();
  let done = false;
  let error: { err: unknown } | undefined;
  try {
    for (;;) {
      while (!done && queue.length < limit) {
        try {
          const r = await it.next();
          if (r.done) {
            done = true;
            break;
          }
          const p = r.value();
          p.catch(() => undefined);
          queue.push(p);
        } catch (err) {
          error = { err };
          done = true;
        }
      }
      const head = queue.shift();
      if (!head) break;
      yield await head;
    }
  } finally {
    if (!done) await it.return?.();
  }
  if (error) throw error.err;
}
