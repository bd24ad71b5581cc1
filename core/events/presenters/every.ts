/** A repeating timer that does not keep the process alive; presenters take it as an option so tests can tick by hand. */
export type Every = (ms: number, tick: () => void) => { stop(): void };

export const every: Every = (ms, tick) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};
