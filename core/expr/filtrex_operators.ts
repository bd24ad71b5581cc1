import type { Operators } from "filtrex";
import { describeValue } from "./describe_value.ts";

type Arithmetic = (a: number, b: number) => number;

/**
 * Replaces filtrex's operators to name the values in type errors
 * ("Cannot compare string "a" with number 1") and to compare strings with strings.
 */
export const FILTREX_OPERATORS: Operators & { mod: Arithmetic } = {
  "+": (a, b) => {
    if (isScalar(a) && isScalar(b)) return typeof a === "number" && typeof b === "number" ? a + b : `${a}${b}`;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    throw cannot("add", a, b);
  },
  "-": (...operands: unknown[]) => {
    const [a, b] = operands;
    if (operands.length === 1) {
      if (typeof a === "number") return -a;
      throw new TypeError(`Cannot negate ${describeValue(a)}`);
    }
    return arithmetic("subtract", (x, y) => x - y)(a, b);
  },
  "*": arithmetic("multiply", (a, b) => a * b),
  "/": arithmetic("divide", (a, b) => a / b),
  "^": arithmetic("raise", (a, b) => a ** b),
  // A modulo with the sign of the dividend, as in expr-lang and JavaScript.
  mod: arithmetic("take the remainder of", (a, b) => a % b),
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": comparison((a, b) => a < b),
  "<=": comparison((a, b) => a <= b),
  ">": comparison((a, b) => a > b),
  ">=": comparison((a, b) => a >= b),
};

function isScalar(v: unknown): v is string | number {
  return typeof v === "string" || typeof v === "number";
}

function cannot(verb: string, a: unknown, b: unknown): TypeError {
  return new TypeError(`Cannot ${verb} ${describeValue(a)} and ${describeValue(b)}`);
}

function arithmetic(verb: string, apply: Arithmetic): (a: unknown, b: unknown) => number {
  return (a, b) => {
    if (typeof a === "number" && typeof b === "number") return apply(a, b);
    throw cannot(verb, a, b);
  };
}

function comparison(apply: (a: number | string, b: number | string) => boolean): (a: unknown, b: unknown) => boolean {
  return (a, b) => {
    if ((typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string")) return apply(a, b);
    throw new TypeError(`Cannot compare ${describeValue(a)} with ${describeValue(b)}`);
  };
}
