import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { error, type Diagnostic, type Subject } from "../config/diagnostics.ts";
import { describe } from "../config/explain_schema.ts";
import { loadSourceFile, type SourceFile } from "../config/source_file.ts";

/** A parameter a preset declares (the original mooncake's format). */
export interface PresetParameter {
  type?: string;
  required?: boolean;
  default?: unknown;
  enum?: unknown[];
  description?: string;
}

export interface PresetDefinition {
  name: string;
  description: string;
  version: string;
  parameters: Record<string, PresetParameter>;
  /** The preset.yml (or <name>.yml) that holds its steps. */
  file: SourceFile;
}

/** Presets built into the binary; written to a cache folder the first time one is used, so its files have real paths. */
export interface EmbeddedPresets {
  names(): readonly string[];
  /** The folder holding the preset's files, or undefined when no preset has that name. */
  folder(name: string): string | undefined;
}

/** Where presets are looked for, in order, before the embedded ones. */
export function presetSearchPath(configDir: string, env: Readonly<Record<string, string | undefined>> = process.env, home = homedir()): string[] {
  return [
    join(configDir, "presets"),
    ...(env.MOONCAKE_PRESETS_PATH ?? "").split(delimiter).filter(Boolean),
    join(home, ".mooncake", "presets"),
  ];
}

/** Where a preset was found: its file, and whether it is one built into the binary. */
export interface PresetLocation {
  path: string;
  embedded: boolean;
}

/** The preset file for `name`: `<dir>/<name>/preset.yml` or `<dir>/<name>.yml` in the first folder that has one, else the embedded preset. */
export function locatePreset(name: string, dirs: readonly string[], embedded: EmbeddedPresets): PresetLocation | undefined {
  for (const dir of dirs) {
    for (const path of [join(dir, name, "preset.yml"), join(dir, `${name}.yml`)]) if (existsSync(path)) return { path, embedded: false };
  }
  const folder = embedded.folder(name);
  return folder === undefined ? undefined : { path: join(folder, "preset.yml"), embedded: true };
}

const PRESET_NAME = /^[a-z0-9][a-z0-9_.-]*$/i;

/** Reads a preset file's declaration; its `steps` are read by the compiler like an included file's. */
export function readPresetDefinition(path: string, name: string): { definition?: PresetDefinition; diagnostics: Diagnostic[] } {
  const loaded = loadSourceFile(path);
  if (!loaded.file) return { diagnostics: loaded.diagnostics };
  const file = loaded.file;
  const at = (line = 1): Subject => ({ file: file.display, line, col: 1 });
  const value = file.value as Record<string, unknown> | null;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { diagnostics: [error("MC1501", `Preset "${name}": expected a mapping with name, parameters and steps, got ${describe(value)}`, at())] };
  }
  const diagnostics: Diagnostic[] = [];
  if (value.name !== undefined && value.name !== name) {
    diagnostics.push(error("MC1501", `Preset "${name}": its file says name "${String(value.name)}"; the name must match the folder it is used by`, at()));
  }
  const parameters: Record<string, PresetParameter> = {};
  const declared = value.parameters ?? {};
  if (typeof declared !== "object" || Array.isArray(declared) || declared === null) {
    diagnostics.push(error("MC1501", `Preset "${name}": parameters must be a mapping, got ${describe(declared)}`, at()));
  } else {
    for (const [key, spec] of Object.entries(declared)) {
      parameters[key] = spec && typeof spec === "object" && !Array.isArray(spec) ? (spec as PresetParameter) : { default: spec };
    }
  }
  return {
    ...(diagnostics.length ? {} : {
      definition: { name, description: String(value.description ?? ""), version: String(value.version ?? ""), parameters, file },
    }),
    diagnostics,
  };
}

/**
 * The `parameters` a preset's steps see: the values given with `with:`, defaults for the rest.
 * A missing required parameter, an unknown one, a wrong type or a value outside `enum` is a
 * diagnostic at the `with:` of the step that uses the preset.
 */
export function bindParameters(definition: PresetDefinition, given: Readonly<Record<string, unknown>>, at: (key?: string) => Subject): { parameters: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const parameters: Record<string, unknown> = {};
  const diagnostics: Diagnostic[] = [];
  const fail = (key: string | undefined, message: string) => diagnostics.push(error("MC1502", `Preset "${definition.name}": ${message}`, at(key)));
  for (const key of Object.keys(given)) {
    if (!(key in definition.parameters)) fail(key, `unknown parameter "${key}" (it has ${Object.keys(definition.parameters).join(", ") || "none"})`);
  }
  for (const [key, spec] of Object.entries(definition.parameters)) {
    const value = key in given ? given[key] : spec.default;
    if (value === undefined) {
      if (spec.required) fail(undefined, `parameter "${key}" is required${spec.description ? ` (${spec.description})` : ""}`);
      continue;
    }
    const isTemplate = typeof value === "string" && value.includes("{{");
    if (!isTemplate && spec.type && !hasType(value, spec.type)) fail(key, `parameter "${key}" must be ${spec.type}, got ${describe(value)}`);
    else if (!isTemplate && spec.enum && !spec.enum.some((allowed) => Bun.deepEquals(allowed, value))) {
      fail(key, `parameter "${key}" must be one of ${spec.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${JSON.stringify(value)}`);
    }
    parameters[key] = value;
  }
  return { parameters, diagnostics };
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string": return typeof value === "string";
    case "bool": case "boolean": return typeof value === "boolean";
    case "int": case "integer": return Number.isInteger(value);
    case "number": case "float": return typeof value === "number";
    case "array": case "list": return Array.isArray(value);
    case "object": case "map": case "dict": return value !== null && typeof value === "object" && !Array.isArray(value);
    default: return true;
  }
}

export interface PresetSummary {
  name: string;
  description: string;
  version: string;
  /** The file it comes from, or "embedded". */
  source: string;
}

/** Every preset visible from `dirs` and the embedded ones, the first of each name winning. */
export function listPresets(dirs: readonly string[], embedded: EmbeddedPresets): { presets: PresetSummary[]; diagnostics: Diagnostic[] } {
  const names = new Set<string>();
  for (const dir of dirs) {
    for (const entry of existsSync(dir) ? readdirSync(dir) : []) names.add(entry.replace(/\.yml$/, ""));
  }
  const presets: PresetSummary[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of new Set([...names, ...embedded.names()])) {
    const location = PRESET_NAME.test(name) ? locatePreset(name, dirs, embedded) : undefined;
    if (!location) continue;
    const read = readPresetDefinition(location.path, name);
    diagnostics.push(...read.diagnostics);
    if (read.definition) {
      const { description, version } = read.definition;
      presets.push({ name, description, version, source: location.embedded ? "embedded" : location.path });
    }
  }
  return { presets: presets.sort((a, b) => a.name.localeCompare(b.name)), diagnostics };
}
