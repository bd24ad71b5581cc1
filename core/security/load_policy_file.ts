import { error, type Diagnostic } from "../config/diagnostics.ts";
import { describe } from "../config/explain_schema.ts";
import { loadSourceFile } from "../config/source_file.ts";
import { subjectAtPath } from "../config/yaml_locate.ts";
import type { Vars } from "../expr/compile_expression.ts";
import { parseTemplate } from "../template/parse_template.ts";
import { readSafetyBlock } from "./read_safety_block.ts";
import { NO_POLICY, type SafetyPolicy } from "./safety_policy.ts";

/**
 * Reads a machine policy file (`--policy`, MOONCAKE_POLICY): a mapping whose one key is
 * `safety:`, the block a config may have. It is read bounded, like a config; every problem is a
 * diagnostic at its place. Its workspace templates see the facts only: the config's variables
 * must not move a boundary the machine sets.
 */
export function loadPolicyFile(path: string, facts: Vars): { policy: SafetyPolicy; diagnostics: Diagnostic[] } {
  const loaded = loadSourceFile(path);
  if (!loaded.file || loaded.diagnostics.length > 0) return { policy: NO_POLICY, diagnostics: loaded.diagnostics };
  const file = loaded.file;
  const value = file.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { policy: NO_POLICY, diagnostics: [error("MC1601", `A policy file is a mapping with "safety:", got ${describe(value)}`, subjectAtPath(file, []))] };
  }
  const extra = Object.keys(value).filter((k) => k !== "safety");
  if (extra.length > 0) {
    return { policy: NO_POLICY, diagnostics: extra.map((k) => error("MC1601", `Unknown key "${k}" in a policy file: it holds only "safety:"`, subjectAtPath(file, [k], true))) };
  }
  if (!("safety" in value)) return { policy: NO_POLICY, diagnostics: [error("MC1601", 'A policy file is a mapping with "safety:"', subjectAtPath(file, []))] };
  return readSafetyBlock(file, ["safety"], (value as { safety: unknown }).safety, "policy", (text) => parseTemplate(text).render(facts));
}
