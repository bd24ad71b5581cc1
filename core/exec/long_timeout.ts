/** The longest delay setTimeout takes; past it the runtime fires the timer at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `callback` after `ms`, however long (a 600h timeout waits 600h); returns a function that cancels it. */
export function setLongTimeout(callback: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const arm = (remaining: number) => {
    timer = setTimeout(() => (remaining > MAX_TIMER_MS ? arm(remaining - MAX_TIMER_MS) : callback()), Math.min(remaining, MAX_TIMER_MS));
  };
  arm(ms);
  return () => clearTimeout(timer);
}
