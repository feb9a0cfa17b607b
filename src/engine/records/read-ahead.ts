/**
 * Pipelining of a paged read: page n+1 is requested as soon as page n is handed out, so the source reads
 * while the caller maps, writes and commits page n. Exactly one page ahead (memory stays bounded by two
 * pages); a read that fails ahead surfaces only when the caller asks for that page, i.e. after page n was
 * committed, so a retry resumes after the last committed page as before.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  let done = false;
  try {
    for (;;) {
      const r = await next;
      if (r.done) {
        done = true;
        return;
      }
      next = it.next();
      next.catch(() => undefined); // settled when awaited above; not an unhandled rejection meanwhile
      yield r.value;
    }
  } finally {
    // the caller stopped early (an error, an abort): let the read in flight settle, then close the source
    if (!done) {
      await next.catch(() => undefined);
      await it.return?.();
    }
  }
}
