import { describeValue } from "./describe_value.ts";
import { Missing } from "./missing.ts";
import { readUnknown, Unknown } from "./unknown.ts";

const ABSENT: unique symbol = Symbol("absent");

/**
 * `base[key]`, or a Missing for `path` when there is no such member. Vars objects may be chained
 * with Object.create, so inherited members count, but never those of Object.prototype. Any
 * member of an Unknown is that Unknown, and every Unknown read is recorded.
 */
export function member(base: unknown, key: unknown, path: string): unknown {
  if (base instanceof Missing) {
    base.consumed = true;
    return new Missing(path);
  }
  if (base instanceof Unknown) return readUnknown(base);
  const value = typeof base === "object" && base !== null ? lookup(base, indexKey(key)) : ABSENT;
  if (value instanceof Unknown) return readUnknown(value);
  return value === ABSENT ? new Missing(path) : value;
}

/** Whether `map` has `key` as a member, by the same rule as {@link member}. */
export function hasMember(map: object, key: unknown): boolean {
  return lookup(map, indexKey(key)) !== ABSENT;
}

function indexKey(key: unknown): string {
  if (typeof key === "string" || typeof key === "number") return String(key);
  throw new TypeError(`Cannot use ${describeValue(key)} as a key`);
}

function lookup(object: object, key: string): unknown {
  for (let o: object | null = object; o !== null && o !== Object.prototype && o !== Array.prototype; o = Object.getPrototypeOf(o)) {
    if (Object.hasOwn(o, key)) return (o as Record<string, unknown>)[key];
  }
  return ABSENT;
}
