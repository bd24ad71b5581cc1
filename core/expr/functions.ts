import { homedir } from "node:os";
import { basename, dirname } from "node:path";
import { describeValue } from "./describe_value.ts";
import { consumeMissing, Missing } from "./missing.ts";
import { stringify } from "./stringify.ts";

type Fn = (...args: never[]) => unknown;

/**
 * Every function an expression can call, and every template filter: `v | f(a)` is `f(v, a)`.
 * Only `default`, `coalesce`, `is_defined` and `empty` accept undefined variables.
 */
export const FUNCTIONS: Readonly<Record<string, Fn>> = {
  len: (v: unknown) => size("len", v),
  length: (v: unknown) => size("length", v),
  lower: (s: unknown) => str("lower", s).toLowerCase(),
  upper: (s: unknown) => str("upper", s).toUpperCase(),
  title: (s: unknown) => str("title", s).replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()),
  trim: (s: unknown) => str("trim", s).trim(),
  split: (s: unknown, sep?: unknown) => {
    const text = str("split", s);
    if (sep !== undefined) return text.split(str("split", sep));
    return text.trim() === "" ? [] : text.trim().split(/\s+/);
  },
  join: (v: unknown, sep: unknown = "") => list("join", v).map(stringify).join(str("join", sep)),
  replace: (s: unknown, old: unknown, by: unknown) => str("replace", s).replaceAll(str("replace", old), str("replace", by)),
  // "" counts as unset too, so `env("PORT") | default("8080")` works.
  default: (v: unknown, fallback: unknown) => (consumeMissing(v) || v === null || v === undefined || v === "" ? fallback : v),
  empty: (v: unknown) => consumeMissing(v) || isEmpty(v),
  first: (v: unknown) => sequence("first", v)[0] ?? null,
  last: (v: unknown) => sequence("last", v).at(-1) ?? null,
  env: (name: unknown) => environment(str("env", name)) ?? "",
  has_env: (name: unknown) => environment(str("has_env", name)) !== undefined,
  // Ansible's way to read the environment, which the original's presets use for $HOME.
  lookup: (kind: unknown, name: unknown) => {
    if (kind !== "env") throw new TypeError(`lookup() reads only "env", as in lookup("env", "HOME"), got ${described(kind)}`);
    return environment(str("lookup", name)) ?? "";
  },
  coalesce: (...values: unknown[]) => {
    const found = values.filter((v) => !consumeMissing(v) && v !== null && v !== undefined);
    return found[0] ?? null;
  },
  ternary: (condition: unknown, yes: unknown, no: unknown) => (boolean("ternary", condition) ? yes : no),
  is_defined: (v: unknown) => !consumeMissing(v),
  basename: (p: unknown) => basename(str("basename", p)),
  dirname: (p: unknown) => dirname(str("dirname", p)),
  expanduser: (p: unknown) => {
    const path = str("expanduser", p);
    const home = process.env.HOME ?? homedir();
    return path === "~" || path.startsWith("~/") ? home + path.slice(1) : path;
  },
  ljust: (s: unknown, width: unknown, fill: unknown = " ") => str("ljust", s).padEnd(num("ljust", width), str("ljust", fill)),
  rjust: (s: unknown, width: unknown, fill: unknown = " ") => str("rjust", s).padStart(num("rjust", width), str("rjust", fill)),
  int: (v: unknown) => toInt("int", v),
  // pongo2's name for `int`, found in older configs.
  integer: (v: unknown) => toInt("integer", v),
  float: (v: unknown) => toNumber("float", v),
  string: (v: unknown) => stringify(v),
  bool: (v: unknown) => {
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v !== 0;
    if (v === null) return false;
    return ["true", "yes", "1", "on"].includes(str("bool", v).trim().toLowerCase());
  },
  tojson: (v: unknown) => JSON.stringify(v) ?? "null",
  b64encode: (s: unknown) => Buffer.from(str("b64encode", s), "utf8").toString("base64"),
  b64decode: (s: unknown) => Buffer.from(str("b64decode", s), "base64").toString("utf8"),
  has: (s: unknown, sub: unknown) => str("has", s).includes(str("has", sub)),
  includes: (v: unknown, item: unknown) => list("includes", v).includes(item),
  starts_with: (s: unknown, prefix: unknown) => str("starts_with", s).startsWith(str("starts_with", prefix)),
  ends_with: (s: unknown, suffix: unknown) => str("ends_with", s).endsWith(str("ends_with", suffix)),
  regex_match: (s: unknown, pattern: unknown) => regex(str("regex_match", pattern)).test(str("regex_match", s)),
  // Ansible's filter: every match is replaced, and \1 in the replacement is the first group.
  regex_replace: (s: unknown, pattern: unknown, by: unknown = "") => {
    const replacement = str("regex_replace", by).replaceAll("$", "$$$$").replace(/\\(\d)/g, "$$$1");
    return str("regex_replace", s).replace(regex(str("regex_replace", pattern), "g"), replacement);
  },
  min: (...values: unknown[]) => Math.min(...numbers("min", values)),
  max: (...values: unknown[]) => Math.max(...numbers("max", values)),
  abs: (x: unknown) => Math.abs(num("abs", x)),
  floor: (x: unknown) => Math.floor(num("floor", x)),
  ceil: (x: unknown) => Math.ceil(num("ceil", x)),
  round: (x: unknown, digits: unknown = 0) => {
    const scale = 10 ** num("round", digits);
    return Math.round(num("round", x) * scale) / scale;
  },
  pow: (x: unknown, y: unknown) => num("pow", x) ** num("pow", y),
  sqrt: (x: unknown) => Math.sqrt(num("sqrt", x)),
  is_string: (v: unknown) => typeof v === "string",
  is_number: (v: unknown) => typeof v === "number",
  is_bool: (v: unknown) => typeof v === "boolean",
  is_array: (v: unknown) => Array.isArray(v),
  is_map: (v: unknown) => isMap(v),
  keys: (v: unknown) => Object.keys(map("keys", v)),
  values: (v: unknown) => Object.values(map("values", v)),
};

// process.env inherits Object.prototype, so `env("toString")` must not find a function.
function environment(name: string): string | undefined {
  return Object.hasOwn(process.env, name) ? process.env[name] : undefined;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Missing);
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  return isMap(v) && Object.keys(v).length === 0;
}

function expected(fn: string, what: string, v: unknown): TypeError {
  return new TypeError(`${fn}() expects ${what}, got ${described(v)}`);
}

function described(v: unknown): string {
  return v === undefined ? "nothing" : describeValue(v);
}

function str(fn: string, v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw expected(fn, "a string", v);
}

function num(fn: string, v: unknown): number {
  if (typeof v === "number") return v;
  throw expected(fn, "a number", v);
}

function boolean(fn: string, v: unknown): boolean {
  if (typeof v === "boolean") return v;
  throw expected(fn, "true or false", v);
}

function list(fn: string, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  throw expected(fn, "a list", v);
}

function map(fn: string, v: unknown): Record<string, unknown> {
  if (isMap(v)) return v;
  throw expected(fn, "a map", v);
}

function sequence(fn: string, v: unknown): readonly unknown[] {
  if (typeof v === "string") return [...v];
  return list(fn, v);
}

function size(fn: string, v: unknown): number {
  if (typeof v === "string" || Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  throw expected(fn, "a string, list or map", v);
}

/** `min(1, 2)` and `min([1, 2])` both work. */
function numbers(fn: string, values: unknown[]): number[] {
  const all = values.length === 1 && Array.isArray(values[0]) ? values[0] : values;
  if (all.length === 0) throw expected(fn, "at least one number", undefined);
  return all.map((v) => num(fn, v));
}

function toNumber(fn: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  throw expected(fn, "a number or numeric string", v);
}

function toInt(fn: string, v: unknown): number {
  return Math.trunc(toNumber(fn, v));
}

const regexCache = new Map<string, RegExp>();

function regex(pattern: string, flags = ""): RegExp {
  const key = `${flags}/${pattern}`;
  let compiled = regexCache.get(key);
  if (!compiled) {
    try {
      compiled = new RegExp(pattern, flags);
    } catch {
      throw new SyntaxError(`Invalid regular expression ${JSON.stringify(pattern)}`);
    }
    regexCache.set(key, compiled);
  }
  return compiled;
}
