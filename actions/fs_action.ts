import { describeFsError } from "../core/config/source_file.ts";
import { ActionError, MissingInputError, type ActionContext, type ActionSpec, type Change } from "../core/exec/action.ts";

/**
 * What a file-system action found, decided once from the machine as it is: the change (what a
 * dry-run shows) and, when there is one, the work that makes it.
 */
export interface Decision {
  change: Change;
  /** Returns false when it found nothing to do after all (a download the server says is not modified). */
  make?: () => Promise<boolean | void> | boolean | void;
}

export type Decide<Args> = (ctx: ActionContext, args: Args) => Promise<Decision>;

/**
 * `check` and `apply` from one `decide`: check returns its change; apply decides again (the
 * machine may have moved since) and does the work, so the preview and the run share every rule.
 */
export function fsBehaviour<Args>(decide: Decide<Args>): Pick<ActionSpec<Args>, "check" | "apply"> {
  return {
    check: async (ctx, args) => (await decide(ctx, args)).change,
    apply: async (ctx, args) => {
      const decision = await decide(ctx, args);
      if (!decision.make) return { changed: false };
      return { changed: (await decision.make()) !== false };
    },
  };
}

export function none(reason: string): Decision {
  return { change: { kind: "none", reason } };
}

/** Runs a file-system call; a system error becomes `Cannot <doing> "<path>": <reason>`. */
export function fsTry<T>(doing: string, path: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw fsFailure(doing, path, e);
  }
}

export async function fsTryAsync<T>(doing: string, path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw fsFailure(doing, path, e);
  }
}

/**
 * Reads `input`, which the step needs but does not make (a source file, an archive): when it
 * does not exist the failure is a MissingInputError, which a dry-run matches against what
 * earlier steps create. Other failures are as `fsTry`'s.
 */
export function inputTry<T>(doing: string, path: string, work: () => T, input = path): T {
  try {
    return work();
  } catch (e) {
    const failure = fsFailure(doing, path, e);
    throw (e as NodeJS.ErrnoException).code === "ENOENT" ? new MissingInputError(input, failure.message) : failure;
  }
}

export function fsFailure(doing: string, path: string, e: unknown): ActionError {
  if (e instanceof ActionError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const kind = code === "EACCES" || code === "EPERM" ? "permission_denied" : "io";
  const reason = code === "EEXIST" ? "it already exists"
    : code === "ENOTEMPTY" ? "the directory is not empty"
    : code === "ELOOP" ? "it is a symbolic link (follow: true acts on what it points at)"
    : describeFsError(e);
  return new ActionError(kind, `Cannot ${doing} "${path}": ${reason}`);
}

/** Turns a lookup that throws a plain message (unknown user, bad mode) into a validation failure. */
export function invalid<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw e instanceof ActionError ? e : new ActionError("validation", e instanceof Error ? e.message : String(e));
  }
}
