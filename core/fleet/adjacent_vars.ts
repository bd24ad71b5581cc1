import { readdirSync } from "node:fs";
import { extname, join } from "node:path";
import { error, type Diagnostic } from "../config/diagnostics.ts";
import { describe } from "../config/explain_schema.ts";
import { describeFsError, displayPath, parseYamlText, readTextFile } from "../config/source_file.ts";
import { subjectAtPath } from "../config/yaml_locate.ts";
import { statIfExists } from "../fs/stat_if_exists.ts";
import { refusedVariableReason } from "./connection_vars.ts";
import type { VarMap } from "./inventory_draft.ts";

const EXTENSIONS = ["", ".yml", ".yaml", ".json"];
/** How deep a `group_vars/<name>/` folder is searched: links may make it endless. */
const MAX_DEPTH = 8;

/**
 * The variables `group_vars/<name>` or `host_vars/<name>` beside the inventory give, as
 * Ansible's host_group_vars plugin finds them: the first of `<name>`, `<name>.yml`,
 * `<name>.yaml`, `<name>.json` that exists; when it is a folder, every file in it (recursively,
 * in name order, skipping hidden files, `~` backups and other extensions), later files winning.
 */
export function adjacentVars(folder: string, name: string): { vars: VarMap; diagnostics: Diagnostic[] } {
  const vars: VarMap = new Map();
  const diagnostics: Diagnostic[] = [];
  let paths: string[];
  try {
    paths = varsFiles(folder, name);
  } catch (e) {
    const path = (e as NodeJS.ErrnoException).path ?? join(folder, name);
    return { vars, diagnostics: [error("MC3008", `Cannot read "${displayPath(path)}": ${describeFsError(e)}`)] };
  }
  for (const path of paths) {
    const { file, diagnostics: readProblems } = readTextFile(path, "a vars file");
    diagnostics.push(...readProblems);
    if (!file || file.text.trim() === "") continue;
    const parsed = parseYamlText(file);
    diagnostics.push(...parsed.diagnostics);
    const value = parsed.file.value;
    if (parsed.diagnostics.length > 0 || value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) {
      diagnostics.push(error("MC3008", `Vars file "${file.display}" must hold a mapping of variables, got ${describe(value)}`, subjectAtPath(parsed.file, [])));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const locate = () => subjectAtPath(parsed.file, [key], true);
      const refused = refusedVariableReason(key, item);
      if (refused) diagnostics.push(error("MC3006", refused, locate()));
      else vars.set(key, { value: item, locate });
    }
  }
  return { vars, diagnostics };
}

function varsFiles(folder: string, name: string): string[] {
  for (const extension of EXTENSIONS) {
    const path = join(folder, name + extension);
    const stat = statIfExists(path);
    if (!stat) continue;
    return stat.isDirectory() ? filesBelow(path, 0) : [path];
  }
  return [];
}

function filesBelow(dir: string, depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".") || name.endsWith("~")) continue;
    const path = join(dir, name);
    const extension = extname(name);
    const stat = statIfExists(path);
    if (stat?.isDirectory() && !extension) out.push(...filesBelow(path, depth + 1));
    else if (stat && !stat.isDirectory() && EXTENSIONS.includes(extension)) out.push(path);
  }
  return out;
}
