import type { ValuePath } from "./explain_schema.ts";

/** Deeper than this, a config is an attack or a mistake; every walker below stays far from the stack's end. */
export const MAX_NESTING_DEPTH = 100;
/**
 * Values that YAML aliases may add to a document beyond what is written. Both parsers share an
 * aliased node instead of copying it, but every consumer (rendering, the plan, JSON) expands it:
 * "billion laughs" is a few hundred bytes of text and 10^9 values.
 */
export const MAX_ALIAS_EXPANSION = 1_000_000;

export interface ValueProblem {
  path: ValuePath;
  message: string;
}

/** The first reason a parsed document cannot be walked safely: a cycle, too deep, or aliases that expand too far. */
export function findUnboundedValue(value: unknown): ValueProblem | undefined {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  /** Keys from the root to the node being visited; copied only when a problem is found. */
  const path: (string | number)[] = [];
  let expansion = 0;

  /** The number of values in `node` once aliases are expanded. */
  function visit(node: object): number {
    const known = sizes.get(node);
    if (known !== undefined) {
      expansion += known;
      if (expansion > MAX_ALIAS_EXPANSION) {
        throw new BoundsProblem([...path], `YAML aliases expand the document by more than ${MAX_ALIAS_EXPANSION.toLocaleString("en")} values`);
      }
      return known;
    }
    if (open.has(node)) throw new BoundsProblem([...path], "YAML alias refers to a node that contains it: the value would be infinite");
    if (path.length > MAX_NESTING_DEPTH) throw new BoundsProblem([...path], `Values nest deeper than ${MAX_NESTING_DEPTH} levels`);
    open.add(node);
    let size = 1;
    const child = (key: string | number, item: unknown) => {
      if (item === null || typeof item !== "object") return void size++;
      path.push(key);
      size += visit(item);
      path.pop();
    };
    if (Array.isArray(node)) node.forEach((item, index) => child(index, item));
    else for (const key in node) child(key, (node as Record<string, unknown>)[key]);
    open.delete(node);
    sizes.set(node, size);
    return size;
  }

  if (value === null || typeof value !== "object") return undefined;
  try {
    visit(value);
    return undefined;
  } catch (e) {
    if (e instanceof BoundsProblem) return { path: e.path, message: e.message };
    throw e;
  }
}

class BoundsProblem extends Error {
  constructor(readonly path: ValuePath, message: string) {
    super(message);
  }
}
