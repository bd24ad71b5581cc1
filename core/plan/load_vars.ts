import { parse } from "yaml";
import { error, type Diagnostic } from "../config/diagnostics.ts";
import { describe } from "../config/explain_schema.ts";
import { loadSourceFile, type SourceFile } from "../config/source_file.ts";
import { subjectAtPath } from "../config/yaml_locate.ts";

/** Reads a YAML file that must hold one mapping of variables (`--vars FILE`, `include_vars`). */
export function loadVarsFile(path: string): { vars?: Record<string, unknown>; file?: SourceFile; diagnostics: Diagnostic[] } {
  const { file, diagnostics } = loadSourceFile(path);
  if (!file || diagnostics.length > 0) return { file, diagnostics };
  const value = file.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    const message = `Vars file "${file.display}" must hold a mapping of variables, got ${describe(value)}`;
    return { file, diagnostics: [error("MC1305", message, subjectAtPath(file, []))] };
  }
  return { vars: value as Record<string, unknown>, file, diagnostics: [] };
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/**
 * `--var name=value`. The value is read as a YAML scalar, so `port=8080` is a number and
 * `debug=true` a boolean; quote it (`name='"8080"'`) to keep a string.
 */
export function parseVarAssignment(text: string): { name: string; value: unknown } | Diagnostic {
  const match = ASSIGNMENT.exec(text);
  if (!match) return error("MC1401", `Invalid --var "${text}": expected NAME=VALUE with NAME made of letters, digits and _`);
  const raw = match[2]!;
  let value: unknown = raw;
  try {
    const parsed: unknown = parse(raw);
    if (parsed === null || typeof parsed !== "object") value = parsed ?? "";
  } catch {
    value = raw;
  }
  return { name: match[1]!, value };
}
