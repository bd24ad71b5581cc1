import { ExpressionSyntaxError } from "./errors.ts";

export interface Token {
  kind: "number" | "string" | "name" | "op" | "end";
  /** The decoded string for strings, the text otherwise. */
  value: string;
  offset: number;
  end: number;
}

const OPERATORS_2 = new Set(["||", "&&", "!=", "==", "<=", ">=", "**", "??"]);
const OPERATORS_1 = new Set([..."()[],.|!=<>+-*/%?:"]);
const ESCAPES = new Map([["n", "\n"], ["t", "\t"], ["r", "\r"], ["\\", "\\"], ['"', '"'], ["'", "'"]]);

/** Splits an expression into tokens, ending with an `end` token at the source length. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const [value, end] = readString(source, i);
      tokens.push({ kind: "string", value, offset: i, end });
      i = end;
    } else if (isDigit(c)) {
      // After a dot only an integer can follow, so `a.0.1` is two steps, not the number 0.1.
      const afterDot = tokens.at(-1)?.value === "." && tokens.at(-1)?.kind === "op";
      let end = skipDigits(source, i);
      if (!afterDot && source[end] === "." && isDigit(source[end + 1] ?? "")) end = skipDigits(source, end + 1);
      tokens.push({ kind: "number", value: source.slice(i, end), offset: i, end });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      let end = i + 1;
      while (end < source.length && /\w/.test(source[end]!)) end++;
      tokens.push({ kind: "name", value: source.slice(i, end), offset: i, end });
      i = end;
    } else if (OPERATORS_2.has(source.slice(i, i + 2))) {
      tokens.push({ kind: "op", value: source.slice(i, i + 2), offset: i, end: i + 2 });
      i += 2;
    } else if (OPERATORS_1.has(c)) {
      tokens.push({ kind: "op", value: c, offset: i, end: i + 1 });
      i++;
    } else {
      const hint = c === "{" ? "Write the expression without {{ }}" : undefined;
      throw new ExpressionSyntaxError(`Unexpected character "${c}"`, i, hint);
    }
  }
  tokens.push({ kind: "end", value: "", offset: source.length, end: source.length });
  return tokens;
}

function readString(source: string, start: number): [string, number] {
  const quote = source[start];
  let value = "";
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i]!;
    if (c === quote) return [value, i + 1];
    if (c === "\\" && i + 1 < source.length) {
      const next = source[++i]!;
      // Unknown escapes stay as written, so regular expressions like "\d+" need no doubling.
      value += ESCAPES.get(next) ?? `\\${next}`;
    } else {
      value += c;
    }
  }
  throw new ExpressionSyntaxError("Unterminated string", start, `Close it with ${quote}`);
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function skipDigits(source: string, i: number): number {
  while (isDigit(source[i] ?? "")) i++;
  return i;
}
