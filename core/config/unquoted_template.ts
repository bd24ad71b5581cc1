import { Lexer } from "yaml";

/** Lexer tokens that mark a node without standing for any character of the source. */
const ZERO_WIDTH = new Set(["\x02", "\x18", "\x1f"]);

/** `{{` where it may start a plain value: after `:`, `-`, `?`, `[`, `,` or `{`. Cheap to test before lexing. */
const MAY_START_VALUE = /(^|[:\-?[,{])[ \t]*\{\{/m;

export interface UnquotedTemplate {
  /** Offset of the `{{`. */
  offset: number;
  /** The whole value, quoted as it should be written. */
  quoted: string;
}

/**
 * The first `{{` outside quotes, comments and block scalars: YAML reads it as a mapping inside a
 * mapping, which is a syntax error in a flow collection (`{ path: ./{{ x }} }`) and a mapping
 * where a string was meant at the start of a value (`name: {{ x }}`). `afterSyntaxError` says the
 * file did not parse; otherwise only a `{{` that starts a value is looked for.
 */
export function findUnquotedTemplate(text: string, afterSyntaxError: boolean): UnquotedTemplate | undefined {
  if (!text.includes("{{") || (!afterSyntaxError && !MAY_START_VALUE.test(text))) return undefined;
  const tokens = [...new Lexer().lex(text)];
  let offset = 0;
  let flowDepth = 0;
  let previous: { token: string; offset: number } | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (ZERO_WIDTH.has(token)) continue;
    if (token === "{" && tokens[i + 1] === "{") {
      const adjacentScalar = previous && previous.offset + previous.token.length === offset && !/^[\s"'{[,:]/.test(previous.token);
      const start = adjacentScalar ? previous!.offset : offset;
      return { offset, quoted: quote(valueText(text, start, offset, flowDepth > 0)) };
    }
    if (token === "{" || token === "[") flowDepth++;
    else if (token === "}" || token === "]") flowDepth = Math.max(0, flowDepth - 1);
    previous = { token, offset };
    offset += token.length;
  }
  return undefined;
}

/** The value around the `{{` at `open`: to the end of its line, or in a flow collection to the next `,`, `}` or `]`. */
function valueText(text: string, start: number, open: number, inFlow: boolean): string {
  const close = text.indexOf("}}", open);
  const lineEnd = text.indexOf("\n", open) === -1 ? text.length : text.indexOf("\n", open);
  const afterTag = close === -1 || close > lineEnd ? lineEnd : close + 2;
  const rest = text.slice(afterTag, lineEnd);
  const end = inFlow ? rest.search(/[,}\]]|$/) : rest.search(/\s#|$/);
  return text.slice(start, afterTag + end).trim();
}

function quote(value: string): string {
  return value.includes('"') ? `'${value.replaceAll("'", "''")}'` : `"${value}"`;
}
