import { TemplateSyntaxError } from "./errors.ts";

// `{{#x}}` contains "{#", hence the lookbehind; a closing "%}" or "#}" is required so that shell
// text such as `${#array[@]}` is not mistaken for a comment.
const JINJA_TAG = /(?<!\{)\{%-?\s*(\w*)([^]*?)-?%\}|(?<!\{)\{#[^]*?#\}/;
const NAME = /^\s*([A-Za-z_][\w.]*)\s*$/;

/** The first Jinja block tag or comment in `source`, as the error `validate` reports for it. */
export function findJinjaTag(source: string): TemplateSyntaxError | undefined {
  const match = JINJA_TAG.exec(source);
  if (!match) return undefined;
  if (match[0].startsWith("{#")) return new TemplateSyntaxError("Jinja comments are not supported", match.index, "Write comments as {{! comment }}");
  const keyword = match[1] ?? "";
  const rest = match[2] ?? "";
  return new TemplateSyntaxError(`Jinja tag "{% ${keyword} %}" is not supported`, match.index, hintFor(keyword, rest));
}

function hintFor(keyword: string, rest: string): string {
  switch (keyword) {
    case "if":
    case "elif":
    case "else":
    case "endif": {
      const name = (keyword === "if" && NAME.exec(rest)?.[1]) || "x";
      return `Use a section, {{#${name}}}...{{/${name}}}, or a when: on the step`;
    }
    case "for":
    case "endfor": {
      const list = (keyword === "for" && /\bin\s+([A-Za-z_][\w.]*)\s*$/.exec(rest)?.[1]) || "xs";
      return `Use a section, {{#${list}}}{{.}}{{/${list}}}, or with_items on the step`;
    }
    case "set":
      return "Set variables with a vars: step";
    default:
      return "Use mustache tags: {{ value }} and {{#section}}...{{/section}}";
  }
}
