/** Runs `fn` over `items` with at most `width` in flight, in order of start; deterministic. */
export async function slidingWindow<T, R>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, () => lane()));
  return results;
}
