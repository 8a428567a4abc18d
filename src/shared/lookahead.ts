/**
 * `map` over `source`, one item ahead: while the consumer works on an item, the
 * next one is already being read and mapped (its I/O overlaps the consumer's).
 * At most two mapped items exist at a time. An error of the source or of `map`
 * reaches the consumer in order, after the items before it.
 */
export async function* lookahead<T, U>(
  source: AsyncIterable<T>,
  map: (item: T) => Promise<U>,
): AsyncGenerator<U> {
  const iterator = source[Symbol.asyncIterator]();
  const step = async (): Promise<{ readonly done: true } | { readonly done: false; readonly value: U }> => {
    const next = await iterator.next();
    return next.done ? { done: true } : { done: false, value: await map(next.value) };
  };
  let pending = step();
  let finished = false;
  try {
    for (;;) {
      const current = await pending;
      if (current.done) {
        finished = true;
        return;
      }
      pending = step();
      // Awaited on the next turn; until then a rejection must not count as unhandled.
      pending.catch(() => undefined);
      yield current.value;
    }
  } finally {
    // The consumer stopped early (or an error ended the loop): let the source clean up.
    if (!finished) await iterator.return?.(undefined);
  }
}
