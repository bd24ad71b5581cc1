import { error } from "../config/diagnostics.ts";
import { describe, type ValuePath } from "../config/explain_schema.ts";
import type { SourceFile } from "../config/source_file.ts";
import { subjectAtPath } from "../config/yaml_locate.ts";
import { closestMatch } from "../config/closest_match.ts";
import { expandHostPattern } from "./host_pattern.ts";
import type { GroupDraft, InventoryDraft } from "./inventory_draft.ts";

const GROUP_KEYS = ["hosts", "vars", "children"];

/**
 * Reads a YAML inventory into `draft` as Ansible's yaml plugin does: each top-level key is a
 * group (usually `all`), a group holds `hosts` (host pattern -> its variables), `vars` and
 * `children` (group name -> group, recursively); a section may be empty, or a single name.
 */
export function readYamlInventory(file: SourceFile, draft: InventoryDraft): void {
  const value = file.value;
  const at = (path: ValuePath, atKey = false) => () => subjectAtPath(file, path, atKey);
  if (!isMapping(value)) {
    draft.diagnostics.push(error("MC3001", `A YAML inventory must be a mapping of groups (such as "all:"), got ${describe(value)}`, at([])()));
    return;
  }

  const readGroup = (group: GroupDraft, data: unknown, path: ValuePath): void => {
    if (data === null || data === undefined) return;
    if (!isMapping(data)) {
      draft.diagnostics.push(error("MC3001", `Group "${group.name}" must be a mapping with hosts, vars or children, got ${describe(data)}`, at(path)()));
      return;
    }
    for (const [key, section] of Object.entries(data)) {
      if (!GROUP_KEYS.includes(key)) {
        draft.diagnostics.push(error("MC3001", unknownKeyMessage(group.name, key), at([...path, key], true)()));
        continue;
      }
      const entries = sectionEntries(section);
      if (!entries) {
        draft.diagnostics.push(error("MC3001", `"${key}" of group "${group.name}" must be a mapping, got ${describe(section)}`, at([...path, key])()));
        continue;
      }
      for (const [name, item] of entries) {
        const itemPath = [...path, key, name];
        if (key === "vars") draft.setVar(group, name, item, at(itemPath, true));
        else if (key === "children") {
          const child = draft.group(name, at(itemPath, true));
          if (!child) continue;
          draft.addChild(group, name, at(itemPath, true));
          readGroup(child, item, itemPath);
        } else readHosts(group, name, item, itemPath);
      }
    }
  };

  const readHosts = (group: GroupDraft, pattern: string, vars: unknown, path: ValuePath): void => {
    if (vars !== null && vars !== undefined && !isMapping(vars)) {
      draft.diagnostics.push(error("MC3001", `Host "${pattern}" must map to its variables (or nothing), got ${describe(vars)}`, at(path)()));
      return;
    }
    let expanded;
    try {
      expanded = expandHostPattern(pattern);
    } catch (e) {
      draft.diagnostics.push(error("MC3003", `Invalid host pattern "${pattern}": ${(e as Error).message}`, at(path, true)()));
      return;
    }
    for (const name of expanded.hosts) {
      const host = draft.addHost(name, group, at(path, true));
      if (!host) continue;
      if (expanded.port !== undefined) draft.setVar(host, "ansible_port", expanded.port, at(path, true));
      for (const [key, value] of Object.entries(vars ?? {})) draft.setVar(host, key, value, at([...path, key], true));
    }
  };

  for (const [name, data] of Object.entries(value)) {
    const group = draft.group(name, at([name], true));
    if (group) readGroup(group, data, [name]);
  }
}

/** A section's entries; Ansible also takes a single name (`hosts: web1`) for `{web1: null}`. */
function sectionEntries(section: unknown): [string, unknown][] | undefined {
  if (section === null || section === undefined) return [];
  if (typeof section === "string") return [[section, null]];
  return isMapping(section) ? Object.entries(section) : undefined;
}

function unknownKeyMessage(group: string, key: string): string {
  const suggestion = closestMatch(key, GROUP_KEYS);
  if (suggestion) return `Unknown key "${key}" in group "${group}": did you mean "${suggestion}"?`;
  return `Unknown key "${key}" in group "${group}": a group holds hosts, vars and children; list a host under "hosts:" and a group under "children:"`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
