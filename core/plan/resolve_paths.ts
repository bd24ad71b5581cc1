import { dirname, isAbsolute, resolve } from "node:path";
import type { ActionSpec } from "../exec/action.ts";

/** `~/x` is under the home directory; a relative path is under the directory of the declaring file. */
export function resolvePath(path: string, declaringFile: string): string {
  // An empty path stays empty, so an action can refuse it instead of acting on the config's directory.
  if (path === "") return path;
  if (path === "~" || path.startsWith("~/")) return resolve(process.env.HOME ?? "/", path.slice(2));
  return isAbsolute(path) ? path : resolve(dirname(declaringFile), path);
}

/** The action's path fields resolved (`file.path` names a nested field); one still holding a template is left for run time. */
export function resolvePathFields(action: ActionSpec, args: unknown, declaringFile: string): unknown {
  let out = args;
  for (const field of action.pathFields ?? []) out = resolveAt(out, field.split("."), declaringFile);
  return out;
}

function resolveAt(value: unknown, keys: readonly string[], declaringFile: string): unknown {
  if (keys.length === 0) return typeof value === "string" && !value.includes("{{") ? resolvePath(value, declaringFile) : value;
  if (!value || typeof value !== "object" || !(keys[0]! in value)) return value;
  const record = value as Record<string, unknown>;
  return { ...record, [keys[0]!]: resolveAt(record[keys[0]!], keys.slice(1), declaringFile) };
}

/** The string values of the action's path fields in `args`, as the step names them. */
export function pathFieldValues(action: ActionSpec, args: unknown): string[] {
  return (action.pathFields ?? []).flatMap((field) => {
    let value = args;
    for (const key of field.split(".")) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    return typeof value === "string" && value !== "" ? [value] : [];
  });
}
