import { Type, type Static } from "@sinclair/typebox";
import { displayPath } from "../fs/display_path.ts";

/** Where a rule is written: the machine's --policy file, or a config's `safety:` block. */
export const RuleSource = Type.Object({
  origin: Type.Union([Type.Literal("policy"), Type.Literal("config")]),
  file: Type.String(),
  line: Type.Integer(),
  col: Type.Integer(),
});
export type RuleSource = Static<typeof RuleSource>;

/**
 * The safety rules in force, each with where it is written. Combining two policies is
 * concatenation, which can only tighten: every deny pattern refuses, every allow list and every
 * workspace must let a step through, every confirmation adds up.
 */
export const SafetyPolicy = Type.Object({
  deny: Type.Array(Type.Object({ pattern: Type.String(), from: RuleSource })),
  allow: Type.Array(Type.Object({ patterns: Type.Array(Type.String()), from: RuleSource })),
  /** Absolute paths, templates rendered. */
  workspaces: Type.Array(Type.Object({ paths: Type.Array(Type.String()), from: RuleSource })),
  confirm: Type.Array(Type.Object({ category: Type.String(), from: RuleSource })),
});
export type SafetyPolicy = Static<typeof SafetyPolicy>;

export const NO_POLICY: SafetyPolicy = { deny: [], allow: [], workspaces: [], confirm: [] };

export function combinePolicies(...policies: readonly SafetyPolicy[]): SafetyPolicy {
  return {
    deny: policies.flatMap((p) => p.deny),
    allow: policies.flatMap((p) => p.allow),
    workspaces: policies.flatMap((p) => p.workspaces),
    confirm: policies.flatMap((p) => p.confirm),
  };
}

/** `the --policy file policy.yml:3:9`, `the safety block of site.yml:4:5`. */
export function describeSource(from: RuleSource): string {
  let described = descriptions.get(from);
  if (described === undefined) {
    const at = `${displayPath(from.file)}:${from.line}:${from.col}`;
    descriptions.set(from, (described = from.origin === "policy" ? `the --policy file ${at}` : `the safety block of ${at}`));
  }
  return described;
}

/** Every step is judged by the same few rules: each says where it comes from once. */
const descriptions = new WeakMap<RuleSource, string>();
