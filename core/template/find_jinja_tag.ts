import { TemplateSyntaxError } from "./errors.ts";

// `{{#x}}` contains "{#", hence the lookbehind; a closing "%}" or "#}" is required so that shell
// text such as `${#array[@]}` is not mistaken for a comment.
const JINJA_TAG = /(?<!\{)\{%-?\s*(\w*)([^]*?)-?%\}|(?<!\{)\{#[^]*?#\}/;
const ELSE_TAG = /\{%-?\s*else\s*-?%\}/;

/** The first Jinja block tag or comment in `source`, as the error `validate` reports for it. */
export function findJinjaTag(source: string): TemplateSyntaxError | undefined {
  const match = JINJA_TAG.exec(source);
  if (!match) return undefined;
  if (match[0].startsWith("{#")) return new TemplateSyntaxError("Jinja comments are not supported", match.index, "Write comments as {{! comment }}");
  const keyword = match[1] ?? "";
  const rest = match[2] ?? "";
  const hasElse = ELSE_TAG.test(source);
  return new TemplateSyntaxError(`Jinja tag "{% ${keyword} %}" is not supported`, match.index, hintFor(keyword, rest.trim(), hasElse));
}

/** The mustache for the tag: a section's tag takes the same expression as the Jinja condition. */
function hintFor(keyword: string, rest: string, hasElse: boolean): string {
  switch (keyword) {
    case "if":
    case "elif":
    case "else":
    case "endif": {
      const condition = (keyword === "if" && rest) || "x";
      const negated = /^not\s+(.+)$/.exec(condition)?.[1];
      const [kind, open, shut, name] = negated ? ["an inverted section", "^", "#", negated] : ["a section", "#", "^", condition];
      const otherwise = hasElse && keyword === "if" ? `, and for {% else %} {{${shut}${name}}}...{{/${name}}}` : "";
      return `Use ${kind}, {{${open}${name}}}...{{/${name}}}${otherwise}, or a when: on the step`;
    }
    case "for":
    case "endfor": {
      const loop = keyword === "for" ? /^(\w+)\s+in\s+(.+)$/.exec(rest) : null;
      if (!loop) return "Use a section, {{#xs}}{{.}}{{/xs}}, or with_items on the step";
      const [, item, list] = loop;
      return `Use a section, {{#${list}}}...{{/${list}}} with {{ ${item} }} written {{.}} inside, or with_items on the step`;
    }
    case "set":
      return "Set variables with a vars: step";
    default:
      return "Use mustache tags: {{ value }} and {{#section}}...{{/section}}";
  }
}
