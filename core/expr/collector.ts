/**
 * A slot that collects what a synchronous evaluation comes across (undefined values, unknown
 * values). Evaluation is synchronous, so one slot is enough; `track` saves the previous list, so
 * nested evaluations each get their own.
 */
export function collector<T>(): { note(item: T): void; track<R>(work: () => R): { value: R; items: T[] } } {
  let current: T[] | undefined;
  return {
    note: (item) => void current?.push(item),
    track: (work) => {
      const outer = current;
      const items: T[] = [];
      current = items;
      try {
        return { value: work(), items };
      } finally {
        current = outer;
      }
    },
  };
}
