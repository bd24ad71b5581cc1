import { closeSync, constants, fsyncSync, lstatSync } from "node:fs";
import { describeFsError } from "../config/source_file.ts";
import { createExclusive, openNoFollow } from "./no_follow.ts";
import { writeAll } from "./write_all.ts";

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

/** A failed download, with whether it was the time limit, or writing the file rather than fetching it. */
export class FetchError extends Error {
  constructor(message: string, readonly timedOut: boolean, readonly writing = false) {
    super(message);
  }
}

/**
 * Streams `url` into `path`, a temporary file of the caller's that this creates (never through
 * a link). A failed attempt is retried; when the server honours Range requests, the retry
 * resumes after the bytes already written instead of starting over. Every byte is written and
 * synced to disk, and a body shorter or longer than its Content-Length is a failed attempt; a
 * write that fails (a full disk) fails at once, `writing` set.
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
  const existing = lstatSync(path, { throwIfNoEntry: false });
  const have = existing?.size ?? 0;
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
    const resume = response.status === 206 && have > 0;
    const fd = existing ? openNoFollow(path, constants.O_WRONLY | (resume ? constants.O_APPEND : constants.O_TRUNC)) : createExclusive(path);
    let received = 0;
    try {
      if (response.body) {
        for await (const chunk of response.body) {
          writeTo(fd, chunk);
          received += chunk.byteLength;
        }
      }
      writeTo(fd, undefined);
    } finally {
      closeSync(fd);
    }
    const announced = announcedLength(response);
    if (announced !== undefined && received !== announced) throw new FetchError(`the server sent ${received} bytes of the ${announced} it announced`, false);
    const lastModified = response.headers.get("last-modified");
    return { status: "downloaded", ...(lastModified && !Number.isNaN(Date.parse(lastModified)) ? { lastModified: new Date(lastModified) } : {}) };
  } catch (e) {
    if (e instanceof FetchError) throw e;
    if (timeout.aborted) throw new FetchError(`no complete answer within ${options.timeoutMs / 1000} s`, true);
    throw new FetchError(e instanceof Error ? e.message : String(e), false);
  }
}

/** Writes a chunk, or syncs the file when there is none; a failure is not worth retrying. */
function writeTo(fd: number, chunk: Uint8Array | undefined): void {
  try {
    if (chunk) writeAll(fd, chunk);
    else fsyncSync(fd);
  } catch (e) {
    throw new PermanentError(describeFsError(e), false, true);
  }
}

/** The body length the server announced, when the body is not re-encoded on the way (fetch inflates gzip). */
function announcedLength(response: Response): number | undefined {
  const length = response.headers.get("content-length");
  const encoding = response.headers.get("content-encoding");
  if (length === null || !/^\d+$/.test(length) || (encoding !== null && encoding !== "identity")) return undefined;
  return Number(length);
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
