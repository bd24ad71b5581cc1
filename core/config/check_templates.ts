import { error, type Diagnostic } from "./diagnostics.ts";
import type { SourceFile } from "./source_file.ts";
import type { ValuePath } from "./explain_schema.ts";
import { subjectInScalar } from "./yaml_locate.ts";
import { compileExpression, ExpressionSyntaxError, unwrapTag } from "../expr/compile_expression.ts";
import { parseTemplate, TemplateSyntaxError } from "../template/parse_template.ts";

/** Step fields that hold an expression rather than a template. */
const EXPRESSION_FIELDS = new Set(["when", "changed_when", "failed_when", "with_items", "assert.expr"]);
/** Step fields that are never rendered. */
const LITERAL_FIELDS = new Set(["register", "tags"]);

/**
 * Parses every rendered field of a step (or of a `vars` mapping, with `prefix` ["vars"]), so a
 * bad template or expression is reported by `validate` at its own line and column instead of
 * failing in the middle of a run. `at` is the path of `fields` in the file.
 */
export function checkTemplates(file: SourceFile, at: ValuePath, fields: Readonly<Record<string, unknown>>, prefix: readonly string[] = []): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (prefix.length === 0 && LITERAL_FIELDS.has(key)) continue;
    visitStrings(value, [key], (text, path) => {
      const field = fieldName([...prefix, ...path]);
      const problem = EXPRESSION_FIELDS.has(field) && typeof path.at(-1) === "string" ? checkExpression(text) : checkTemplate(text);
      if (!problem) return;
      const hint = problem.hint ? `; ${problem.hint.charAt(0).toLowerCase()}${problem.hint.slice(1)}` : "";
      const message = `${problem.kind} in "${[...prefix, ...path].join(".")}": ${problem.message}${hint}`;
      diagnostics.push(error(problem.code, message, subjectInScalar(file, [...at, ...path], problem.offset)));
    });
  }
  return diagnostics;
}

interface Problem {
  code: "MC1201" | "MC1202";
  kind: string;
  message: string;
  offset: number;
  hint?: string;
}

function checkExpression(text: string): Problem | undefined {
  const inner = unwrapTag(text);
  try {
    compileExpression(inner);
    return undefined;
  } catch (e) {
    if (!(e instanceof ExpressionSyntaxError)) throw e;
    const shift = inner === text ? 0 : text.indexOf(inner);
    return { code: "MC1202", kind: "Expression error", message: e.message, offset: shift + e.offset, hint: e.hint };
  }
}

function checkTemplate(text: string): Problem | undefined {
  if (!text.includes("{{") && !text.includes("{%") && !text.includes("{#")) return undefined;
  try {
    parseTemplate(text);
    return undefined;
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    return { code: "MC1201", kind: "Template error", message: e.message, offset: e.offset, hint: e.hint };
  }
}

/** `["shell", "cmd"]` -> "shell.cmd"; list indexes are dropped so `with_items[2]` is "with_items". */
function fieldName(path: readonly (string | number)[]): string {
  return path.filter((p) => typeof p === "string").join(".");
}

function visitStrings(value: unknown, path: (string | number)[], visit: (text: string, path: (string | number)[]) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => visitStrings(item, [...path, i], visit));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) visitStrings(v, [...path, k], visit);
  }
}
