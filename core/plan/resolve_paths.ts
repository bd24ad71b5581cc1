import { dirname, isAbsolute, resolve } from "node:path";
import type { ActionSpec } from "../../actions/action.ts";

/** `~/x` is under the home directory; a relative path is under the directory of the declaring file. */
export function resolvePath(path: string, declaringFile: string): string {
  // An empty path stays empty, so an action can refuse it instead of acting on the config's directory.
  if (path === "") return path;
  if (path === "~" || path.startsWith("~/")) return resolve(process.env.HOME ?? "/", path.slice(2));
  return isAbsolute(path) ? path : resolve(dirname(declaringFile), path);
}

/** The action's path fields resolved; one still holding a template is left for run time. */
export function resolvePathFields(action: ActionSpec, args: unknown, declaringFile: string): unknown {
  if (!action.pathFields || !args || typeof args !== "object") return args;
  const out = { ...(args as Record<string, unknown>) };
  for (const key of action.pathFields) {
    const value = out[key];
    if (typeof value === "string" && !value.includes("{{")) out[key] = resolvePath(value, declaringFile);
  }
  return out;
}
