import { closeSync, openSync, statSync, writeSync } from "node:fs";

export interface FetchOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  /** Attempts after the first, for network errors, timeouts and 5xx answers. */
  retries: number;
  signal: AbortSignal;
  /** Sent as If-Modified-Since: a 304 answer leaves the file alone. */
  modifiedSince?: Date;
}

export type FetchResult = { status: "downloaded"; lastModified?: Date } | { status: "not_modified" };

/** A failed download, with whether it was the time limit. */
export class FetchError extends Error {
  constructor(message: string, readonly timedOut: boolean) {
    super(message);
  }
}

/**
 * Streams `url` into `path`. A failed attempt is retried; when the server honours Range
 * requests, the retry resumes after the bytes already written instead of starting over.
 */
export async function fetchToFile(url: string, path: string, options: FetchOptions): Promise<FetchResult> {
  let lastError: FetchError | undefined;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0) await sleep(Math.min(200 * attempt, 2000), options.signal);
    if (options.signal.aborted) throw new FetchError("interrupted", false);
    try {
      return await fetchOnce(url, path, options);
    } catch (e) {
      lastError = e instanceof FetchError ? e : new FetchError(e instanceof Error ? e.message : String(e), false);
      if (e instanceof PermanentError) throw lastError;
    }
  }
  throw lastError!;
}

class PermanentError extends FetchError {}

async function fetchOnce(url: string, path: string, options: FetchOptions): Promise<FetchResult> {
  const have = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  const headers: Record<string, string> = { ...options.headers };
  if (have > 0) headers.Range = `bytes=${have}-`;
  else if (options.modifiedSince) headers["If-Modified-Since"] = options.modifiedSince.toUTCString();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  try {
    const response = await fetch(url, { headers, signal, redirect: "follow" });
    if (response.status === 304) return { status: "not_modified" };
    if (response.status >= 500) throw new FetchError(`the server answered ${response.status} ${response.statusText}`.trim(), false);
    if (response.status !== 200 && response.status !== 206) throw new PermanentError(`the server answered ${response.status} ${response.statusText}`.trim(), false);
    const fd = openSync(path, response.status === 206 && have > 0 ? "a" : "w", 0o600);
    try {
      if (response.body) for await (const chunk of response.body) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    const lastModified = response.headers.get("last-modified");
    return { status: "downloaded", ...(lastModified && !Number.isNaN(Date.parse(lastModified)) ? { lastModified: new Date(lastModified) } : {}) };
  } catch (e) {
    if (e instanceof FetchError) throw e;
    if (timeout.aborted) throw new FetchError(`no complete answer within ${options.timeoutMs / 1000} s`, true);
    throw new FetchError(e instanceof Error ? e.message : String(e), false);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
