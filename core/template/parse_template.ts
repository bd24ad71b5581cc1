import Mustache from "mustache";
import { compileExpression, ExpressionSyntaxError, type Expression, type Vars } from "../expr/compile_expression.ts";
import { stringify } from "../expr/stringify.ts";
import { KNOWN_AFTER_RUN, readUnknown, Unknown, UnknownValueError } from "../expr/unknown.ts";
import { TemplateSyntaxError } from "./errors.ts";
import { findJinjaTag } from "./find_jinja_tag.ts";
import { secretReadsOf } from "./secret_reads.ts";
import { stringValues } from "../security/redactor.ts";

export { TemplateSyntaxError } from "./errors.ts";

export interface Template {
  readonly source: string;
  /** No tags at all: render returns the source. */
  readonly isStatic: boolean;
  /** Root names read by every tag and section, unique and sorted. */
  readonly references: readonly string[];
  /** Throws UndefinedVariableError or ExpressionError; a tag or section that reads an Unknown renders as KNOWN_AFTER_RUN. */
  render(vars: Vars): string;
}

/** Parses (once per source) a mustache template whose tags are expressions: `{{ port | default(8080) }}`. */
export function parseTemplate(source: string): Template {
  return cached(source);
}

/**
 * Renders `source`, except that a source which is exactly one tag yields the tag's value as is:
 * `"{{ pkgs }}"` gives the list itself, `"{{ port }}"` the number.
 */
export function renderValue(source: string, vars: Vars): unknown {
  const template = cached(source);
  return template.valueTag ? template.valueTag.evaluate(vars) : template.render(vars);
}

/**
 * Renders a field of an action's arguments: a source that is exactly one tag giving a list or a
 * map yields it as is (`pull: "{{ models }}"` is the list), as Ansible does; anything else
 * renders as text, so `mode: "{{ m }}"` stays the string the field expects.
 */
export function renderField(source: string, vars: Vars): unknown {
  const template = cached(source);
  if (template.valueTag) {
    let value: unknown;
    try {
      value = template.valueTag.evaluate(vars);
    } catch (e) {
      if (!(e instanceof UnknownValueError)) throw e;
    }
    if (Array.isArray(value) || (typeof value === "object" && value !== null && !(value instanceof Unknown))) {
      const secret = secretReadsOf(vars, template.references);
      if (secret) for (const text of [stringify(value), ...stringValues(value)]) secret.note(text);
      return value;
    }
  }
  return template.render(vars);
}

type Node =
  | string
  | { kind: "value"; expression: Expression }
  | { kind: "dot" }
  | { kind: "section"; expression: Expression; inverted: boolean; body: Node[] };

/** The part of the view a section pushed: names to resolve and what `{{.}}` prints. */
interface Scope {
  vars: Vars;
  dot: unknown;
}

class ParsedTemplate implements Template {
  readonly isStatic: boolean;
  readonly references: readonly string[];
  /** Set when the whole (trimmed) source is one value tag; see renderValue. */
  readonly valueTag: Expression | undefined;
  private readonly nodes: Node[];

  constructor(readonly source: string) {
    const jinja = findJinjaTag(source);
    if (jinja) throw jinja;
    const tokens = mustacheTokens(source);
    const references = new Set<string>();
    this.nodes = compileNodes(source, tokens, references, 0);
    this.references = [...references].sort();
    this.isStatic = tokens.every((t) => t[0] === "text");
    const significant = tokens.filter((t) => t[0] !== "text" || t[1].trim() !== "");
    const onlyTag = significant.length === 1 ? this.nodes.find((n) => typeof n !== "string") : undefined;
    this.valueTag = onlyTag?.kind === "value" ? onlyTag.expression : undefined;
  }

  render(vars: Vars): string {
    if (this.isStatic) return this.source;
    const out: string[] = [];
    renderNodes(this.nodes, { vars, dot: undefined }, out);
    const text = out.join("");
    // The whole of what a template made of a secret is secret, not only the secret's own text.
    secretReadsOf(vars, this.references)?.note(text);
    return text;
  }
}

const cache = new Map<string, ParsedTemplate>();

function cached(source: string): ParsedTemplate {
  let template = cache.get(source);
  if (!template) {
    template = new ParsedTemplate(source);
    cache.set(source, template);
  }
  return template;
}

/** mustache.js tokens: [type, value, start, end] and, for sections, [..., children, bodyEnd]. */
type Token = [type: string, value: string, start: number, end: number, children?: Token[]];

function mustacheTokens(source: string): Token[] {
  try {
    return Mustache.parse(source) as Token[];
  } catch (e) {
    throw mustacheError(source, (e as Error).message);
  }
}

function compileNodes(source: string, tokens: Token[], references: Set<string>, depth: number): Node[] {
  const nodes: Node[] = [];
  for (const [type, value, start, , children] of tokens) {
    if (type === "text") {
      nodes.push(value);
    } else if (type === "name" || type === "&") {
      if (value.trim() === ".") {
        if (depth === 0) throw new TemplateSyntaxError(`Tag "{{.}}" is only valid inside a section`, start, "Use it as {{#list}}{{.}}{{/list}}");
        nodes.push({ kind: "dot" });
      } else {
        nodes.push({ kind: "value", expression: compileTag(source, value, start, references) });
      }
    } else if (type === "#" || type === "^") {
      const expression = compileTag(source, value, start, references);
      const body = compileNodes(source, children ?? [], references, depth + 1);
      nodes.push({ kind: "section", expression, inverted: type === "^", body });
    } else if (type === ">") {
      throw new TemplateSyntaxError("Partials are not supported", start, "Put the text in the template itself");
    }
    // Comments ("!") and delimiter changes ("=") render nothing.
  }
  return nodes;
}

function compileTag(source: string, content: string, tagStart: number, references: Set<string>): Expression {
  try {
    const expression = compileExpression(content);
    for (const name of expression.references) references.add(name);
    return expression;
  } catch (e) {
    if (!(e instanceof ExpressionSyntaxError)) throw e;
    const contentStart = content === "" ? tagStart : source.indexOf(content, tagStart);
    throw new TemplateSyntaxError(e.message, contentStart + e.offset, e.hint);
  }
}

function renderNodes(nodes: readonly Node[], scope: Scope, out: string[]): void {
  for (const node of nodes) {
    if (typeof node === "string") out.push(node);
    else if (node.kind === "dot") out.push(stringify(scope.dot));
    else knownAfterRun(out, () => (node.kind === "value" ? renderValueTag(node.expression, scope, out) : renderSection(node, scope, out)));
  }
}

/**
 * A tag's text; when it read a secret, that text is reported as secret too (an upper-cased or
 * encoded secret, a piece of one). Numbers and booleans (a length, a comparison) tell little and
 * would hide every equal number of the output, so they are not.
 */
function renderValueTag(expression: Expression, scope: Scope, out: string[]): void {
  const value = expression.evaluate(scope.vars);
  const text = stringify(value);
  out.push(text);
  if (typeof value === "string" || (typeof value === "object" && value !== null)) secretReadsOf(scope.vars, expression.references)?.note(text);
}

/** Runs one tag or section; when it reads an Unknown, the text says so, and whoever tracks unknowns learns of it. */
function knownAfterRun(out: string[], render: () => void): void {
  const mark = out.length;
  try {
    render();
  } catch (e) {
    if (!(e instanceof UnknownValueError)) throw e;
    out.length = mark;
    out.push(KNOWN_AFTER_RUN);
    readUnknown(e.unknown);
  }
}

/** Mustache section rules: a list repeats the body per element, a map or other truthy value renders it once. */
function renderSection(node: Extract<Node, { kind: "section" }>, scope: Scope, out: string[]): void {
  const value = node.expression.evaluate(scope.vars);
  const secret = secretReadsOf(scope.vars, node.expression.references);
  // What a section over a secret renders is secret: each element's part, and the whole.
  const body = (inner: Scope) => {
    const mark = out.length;
    renderNodes(node.body, inner, out);
    secret?.note(out.slice(mark).join(""));
  };
  const mark = out.length;
  if (node.inverted) {
    if (isFalsy(value)) body(scope);
  } else if (Array.isArray(value)) {
    for (const element of value) body(push(scope, element));
  } else if (!isFalsy(value)) {
    body(push(scope, value));
  }
  secret?.note(out.slice(mark).join(""));
}

function isFalsy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object" && value !== null) return Object.keys(value).length === 0;
  return !value;
}

/** A map's fields become names over the outer ones; any value becomes `{{.}}`. */
function push(scope: Scope, value: unknown): Scope {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { vars: scope.vars, dot: value };
  const vars = Object.create(scope.vars) as Record<string, unknown>;
  // defineProperty, not assignment, so a "__proto__" key is a plain field.
  for (const [key, field] of Object.entries(value)) {
    Object.defineProperty(vars, key, { value: field, enumerable: true, writable: true, configurable: true });
  }
  return { vars, dot: value };
}

/** Turns mustache.js's messages ("Unclosed tag at 12") into errors that point at the opening tag. */
function mustacheError(source: string, message: string): TemplateSyntaxError {
  const [, kind, name, at] = /^(Unclosed tag|Unopened section|Unclosed section)(?: "(.*)")? at (\d+)/.exec(message) ?? [];
  const offset = Number(at ?? 0);
  if (kind === "Unclosed tag") return new TemplateSyntaxError("Tag is not closed", unclosedTagStart(source), "Close it with }}");
  if (kind === "Unopened section") return new TemplateSyntaxError(`Section "${name}" is closed but never opened`, offset);
  if (kind === "Unclosed section" && offset < source.length) {
    return new TemplateSyntaxError(`Section "${name}" is closed by a different tag`, offset, `Close it with {{/${name}}}`);
  }
  if (kind === "Unclosed section") {
    return new TemplateSyntaxError(`Section "${name}" is not closed`, sectionStart(source, name ?? ""), `Close it with {{/${name}}}`);
  }
  return new TemplateSyntaxError(message, 0);
}

function unclosedTagStart(source: string): number {
  for (let open = source.indexOf("{{"); open >= 0; ) {
    const close = source.indexOf("}}", open + 2);
    if (close < 0) return open;
    open = source.indexOf("{{", close + 2);
  }
  return 0;
}

/** The last opening tag of section `name`, which is the one left unclosed. */
function sectionStart(source: string, name: string): number {
  let start = 0;
  for (const match of source.matchAll(/\{\{\s*[#^]\s*([^}]*?)\s*\}\}/g)) {
    if (match[1] === name) start = match.index;
  }
  return start;
}
