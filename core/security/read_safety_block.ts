import { SafetyBlock } from "../config/safety_schema.ts";
import { error, type Diagnostic, type DiagnosticCode } from "../config/diagnostics.ts";
import { explainSchema, type ValuePath } from "../config/explain_schema.ts";
import type { SourceFile } from "../config/source_file.ts";
import { fileThroughKey, subjectAtPath } from "../config/yaml_locate.ts";
import { resolvePath } from "../plan/resolve_paths.ts";
import { DANGER_CATEGORIES } from "./danger_categories.ts";
import { NO_POLICY, type RuleSource, type SafetyPolicy } from "./safety_policy.ts";

/**
 * Reads the `safety:` block at `path` of `file`: its shape, its categories, its workspace
 * entries rendered by `render` (which throws on a template it cannot render now) and resolved
 * against the file's directory. Every problem is a diagnostic at its place in the file.
 */
export function readSafetyBlock(
  file: SourceFile, path: ValuePath, value: unknown, origin: RuleSource["origin"], render: (text: string) => string,
): { policy: SafetyPolicy; diagnostics: Diagnostic[] } {
  const located = path[0] === "safety" ? fileThroughKey(file, "safety") : file;
  const at = (p: ValuePath, atKey = false) => subjectAtPath(located, [...path, ...p], atKey);
  const fail = (code: DiagnosticCode, message: string, p: ValuePath, atKey = false) => error(code, message, at(p, atKey));
  const problems = explainSchema(SafetyBlock, value, []);
  if (problems.length > 0) {
    return { policy: NO_POLICY, diagnostics: problems.map((p) => fail("MC1601", `safety${p.path.map((k) => `.${k}`).join("")}: ${p.message}`, p.path, p.atKey)) };
  }
  const block = value as SafetyBlock;
  const diagnostics: Diagnostic[] = [];
  const source = (p: ValuePath): RuleSource => {
    const subject = at(p);
    return { origin, file: file.path, line: subject.line, col: subject.col };
  };
  const policy: SafetyPolicy = {
    deny: (block.commands?.deny ?? []).map((pattern, i) => ({ pattern, from: source(["commands", "deny", i]) })),
    allow: block.commands?.allow ? [{ patterns: block.commands.allow, from: source(["commands", "allow"]) }] : [],
    workspaces: [],
    confirm: [],
  };
  if (block.workspace) {
    const paths = block.workspace.flatMap((entry, i) => {
      let rendered: string;
      try {
        rendered = entry.includes("{{") ? render(entry) : entry;
      } catch (e) {
        diagnostics.push(fail("MC1602", `safety.workspace[${i}]: ${e instanceof Error ? e.message : String(e)}`, ["workspace", i]));
        return [];
      }
      if (rendered.trim() === "") {
        diagnostics.push(fail("MC1602", `safety.workspace[${i}]: "${entry}" renders empty: a workspace must name a directory`, ["workspace", i]));
        return [];
      }
      return [resolvePath(rendered, file.path)];
    });
    policy.workspaces.push({ paths, from: source(["workspace"]) });
  }
  for (const [i, category] of (block.confirm ?? []).entries()) {
    if (DANGER_CATEGORIES.some((c) => c.name === category)) policy.confirm.push({ category, from: source(["confirm", i]) });
    else diagnostics.push(fail("MC1603", `safety.confirm[${i}]: unknown danger category "${category}" (known: ${DANGER_CATEGORIES.map((c) => c.name).join(", ")})`, ["confirm", i]));
  }
  return { policy, diagnostics };
}
