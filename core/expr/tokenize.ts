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
/**
 * A variable name: words of letters, digits and _, each with a letter or _, joined by - without
 * spaces (`my-tool_check`, `1password-cli_check`), as the original's presets name registered
 * results. A - followed by a number, or with a space beside it, subtracts.
 */
const NAME = /\d*[A-Za-z_]\w*(?:-\d*[A-Za-z_]\w*)*/y;
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
    } else if (/\w/.test(c)) {
      const member = afterDot(tokens);
      const end = member ? skipWord(source, i) : nameEnd(source, i);
      if (isDigit(c) && end === undefined) {
        let numberEnd = skipDigits(source, i);
        if (!member && source[numberEnd] === "." && isDigit(source[numberEnd + 1] ?? "")) numberEnd = skipDigits(source, numberEnd + 1);
        tokens.push({ kind: "number", value: source.slice(i, numberEnd), offset: i, end: numberEnd });
        i = numberEnd;
      } else {
        tokens.push({ kind: "name", value: source.slice(i, end), offset: i, end: end! });
        i = end!;
      }
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

/** After a dot only an integer or a key follows, so `a.0.1` is two steps, not the number 0.1. */
function afterDot(tokens: Token[]): boolean {
  return tokens.at(-1)?.value === "." && tokens.at(-1)?.kind === "op";
}

/** The end of the variable name at `start`, if one starts there. */
function nameEnd(source: string, start: number): number | undefined {
  NAME.lastIndex = start;
  return NAME.exec(source) ? NAME.lastIndex : undefined;
}

/** After a dot: a key of word characters, or an index (undefined: read as a number). */
function skipWord(source: string, start: number): number | undefined {
  if (isDigit(source[start]!)) return undefined;
  let end = start;
  while (end < source.length && /\w/.test(source[end]!)) end++;
  return end;
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function skipDigits(source: string, i: number): number {
  while (isDigit(source[i] ?? "")) i++;
  return i;
}
