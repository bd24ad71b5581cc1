import type { ValuePath } from "../config/explain_schema.ts";
import type { SourceFile } from "../config/source_file.ts";
import { subjectAtPath } from "../config/yaml_locate.ts";
import type { SourcePosition } from "./plan.ts";

/**
 * The layers a config or the command line sets variables in, lowest precedence first: config
 * vars (top-level and `vars` steps) < `include_vars` < CLI (`--vars` files, then `--var`) <
 * `--secret-vars`. Within a layer the later setting wins.
 */
export const VARIABLE_LAYERS = ["config", "include_vars", "cli", "secret"] as const;
export type VariableLayer = (typeof VARIABLE_LAYERS)[number];

/**
 * Where a value was written: a key of a YAML document, or a `--var`. Only the document and the
 * key's path are kept; the line is looked up when someone asks (`settingPosition`), so
 * recording costs the normal compile nothing but this object.
 */
export type SettingOrigin =
  | { kind: "config_vars" | "vars_step" | "vars_file" | "secret_vars"; file: SourceFile; path: ValuePath }
  | { kind: "include_vars"; file: SourceFile; path: ValuePath; includedAt: SourcePosition }
  | { kind: "var_option"; text: string };

/** One value given to a variable, in the order the compiler set them. */
export interface VariableSetting {
  name: string;
  value: unknown;
  layer: VariableLayer;
  origin: SettingOrigin;
}

/** The settings of a vars file given on the command line (`--vars`, `--secret-vars`): one per top-level key. */
export function varsFileSettings(file: SourceFile, vars: Readonly<Record<string, unknown>>, kind: "vars_file" | "secret_vars"): VariableSetting[] {
  const layer = kind === "vars_file" ? "cli" : "secret";
  return Object.entries(vars).map(([name, value]) => ({ name, value, layer, origin: { kind, file, path: [name] } }));
}

/** Where a setting's key is written; undefined for a `--var`. */
export function settingPosition(origin: SettingOrigin): SourcePosition | undefined {
  if (origin.kind === "var_option") return undefined;
  const { line, col } = subjectAtPath(origin.file, origin.path, true);
  return { file: origin.file.path, line, col };
}

/**
 * The settings of `name` that a run sees, the winner first: higher layers before lower ones,
 * and within a layer the later setting before the earlier one.
 */
export function settingsByPrecedence(settings: readonly VariableSetting[], name: string): VariableSetting[] {
  const rank = (s: VariableSetting) => VARIABLE_LAYERS.indexOf(s.layer);
  return settings
    .map((setting, order) => ({ setting, order }))
    .filter(({ setting }) => setting.name === name)
    .sort((a, b) => rank(b.setting) - rank(a.setting) || b.order - a.order)
    .map(({ setting }) => setting);
}
