import { dirname, extname } from "node:path";
import { error, formatDiagnostic, type Diagnostic } from "../config/diagnostics.ts";
import { parseYamlText, readTextFile, type SourceFile, type TextFile } from "../config/source_file.ts";
import { readIniInventory } from "./ini_inventory.ts";
import type { Inventory } from "./inventory.ts";
import { InventoryDraft } from "./inventory_draft.ts";
import { resolveInventory } from "./resolve_inventory.ts";
import { readYamlInventory } from "./yaml_inventory.ts";

/** Every problem found in an inventory, located; the message lists them one per line. */
export class InventoryError extends Error {
  override name = "InventoryError";
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
  }
}

const YAML_EXTENSIONS = [".yml", ".yaml", ".json"];

/**
 * Loads an Ansible inventory file, YAML or INI, chosen as Ansible chooses: `.yml`, `.yaml` and
 * `.json` are YAML; a file without an extension is YAML when it parses to a mapping and INI
 * otherwise; any other extension is INI. `group_vars/` and `host_vars/` beside it are read too.
 * Throws an InventoryError holding every problem found.
 */
export function loadInventory(path: string): Inventory {
  const { file, diagnostics } = readTextFile(path, "an inventory");
  if (!file) throw new InventoryError(diagnostics);
  const start = { file: file.display, line: 1, col: 1 };
  if (file.text.trim() === "") throw new InventoryError([error("MC1002", `Inventory "${file.display}" is empty: expected groups and hosts`, start)]);
  if (file.text.startsWith("#!")) {
    throw new InventoryError([error("MC3001", `Inventory "${file.display}" is a script: dynamic inventories are not supported; save its output with "ansible-inventory -i ${file.display} --list -y" and use that file`, start)]);
  }

  const draft = new InventoryDraft();
  const yaml = yamlSource(file);
  if (yaml && yaml.diagnostics.length > 0) throw new InventoryError(yaml.diagnostics);
  if (yaml) readYamlInventory(yaml.file, draft);
  else readIniInventory(file, draft);
  if (draft.diagnostics.length > 0) throw new InventoryError(unique(draft.diagnostics).sort(byPosition));

  const resolved = resolveInventory(draft, dirname(file.path));
  if (resolved.diagnostics.length > 0) throw new InventoryError(unique(resolved.diagnostics));
  return { path: file.path, hosts: resolved.hosts };
}

/** The parsed YAML when the file is a YAML inventory, undefined when it is INI. */
function yamlSource(file: TextFile): { file: SourceFile; diagnostics: Diagnostic[] } | undefined {
  const extension = extname(file.path).toLowerCase();
  if (YAML_EXTENSIONS.includes(extension)) return parseYamlText(file);
  if (extension !== "") return undefined;
  const parsed = parseYamlText(file);
  const value = parsed.file.value;
  const isMapping = parsed.diagnostics.length === 0 && value !== null && typeof value === "object" && !Array.isArray(value);
  return isMapping ? parsed : undefined;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.subject?.line ?? 0) - (b.subject?.line ?? 0) || (a.subject?.col ?? 0) - (b.subject?.col ?? 0);
}

function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code} ${formatDiagnostic(d)}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}
