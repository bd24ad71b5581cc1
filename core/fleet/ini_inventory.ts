import { error, type Subject } from "../config/diagnostics.ts";
import type { TextFile } from "../config/source_file.ts";
import { expandHostPattern } from "./host_pattern.ts";
import type { GroupDraft, InventoryDraft } from "./inventory_draft.ts";
import { pythonLiteralValue } from "./python_literal.ts";
import { shlexSplit } from "./shlex_split.ts";

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

/**
 * Reads an INI inventory into `draft`, line by line as Ansible's ini plugin does: hosts before
 * any section are `ungrouped`; `[g]` lists hosts with inline `key=value` variables (split like a
 * shell line, values typed as Python literals), `[g:vars]` sets group variables (the rest of the
 * line after `=` is the value), `[g:children]` names child groups, which may be declared later.
 */
export function readIniInventory(file: TextFile, draft: InventoryDraft): void {
  const lines = file.text.split("\n");
  let group: GroupDraft | undefined = draft.groups.get("ungrouped");
  let state = "hosts";
  const declared = new Set(["all", "ungrouped"]);
  const varsSections: { name: string; at: Subject }[] = [];

  lines.forEach((raw, index) => {
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const at = (offset = 0): Subject => ({ file: file.display, line: index + 1, col: indent + offset + 1 });
    const fail = (message: string, offset = 0) => draft.diagnostics.push(error("MC3002", message, at(offset)));

    const section = SECTION.exec(line);
    if (section) {
      const [, name, kind = "hosts"] = section as unknown as [string, string, string | undefined];
      if (kind !== "hosts" && kind !== "vars" && kind !== "children") {
        fail(`Section "${line}" has an unknown type "${kind}": expected [${name}], [${name}:vars] or [${name}:children]`);
        group = undefined;
        return;
      }
      [group, state] = [draft.group(name, () => at(1)), kind];
      if (kind === "vars") varsSections.push({ name, at: at(1) });
      else declared.add(name);
      return;
    }
    if (line.startsWith("[") && line.endsWith("]")) {
      fail(`Invalid section "${line}": a section is [group], [group:vars] or [group:children], without spaces`);
      group = undefined;
      return;
    }
    // Lines under a section that was refused have been reported with it.
    if (!group) return;

    if (state === "vars") {
      const equals = line.indexOf("=");
      const key = line.slice(0, Math.max(equals, 0)).trim();
      if (equals === -1 || key === "") return void fail(`Expected key=value in [${group.name}:vars], got "${line}"`);
      draft.setVar(group, key, pythonLiteralValue(line.slice(equals + 1).trim()), () => at());
    } else if (state === "children") {
      const child = GROUP_NAME.exec(line)?.[1];
      if (!child) return void fail(`Expected a group name in [${group.name}:children], got "${line}"`);
      declared.add(child);
      draft.addChild(group, child, () => at());
    } else {
      readHostLine(file, draft, group, line, at, fail);
    }
  });

  for (const section of varsSections) {
    if (!declared.has(section.name)) {
      draft.diagnostics.push(error("MC3002", `[${section.name}:vars] sets variables of a group that is never declared: add [${section.name}] or list it in a [...:children] section`, section.at));
    }
  }
}

function readHostLine(file: TextFile, draft: InventoryDraft, group: GroupDraft, line: string, at: (offset?: number) => Subject, fail: (message: string, offset?: number) => void): void {
  let words;
  try {
    words = shlexSplit(line);
  } catch (e) {
    return fail(`Cannot split the host line: ${(e as Error).message}`);
  }
  if (words.length === 0) return;
  const [pattern, ...assignments] = words as [(typeof words)[0], ...typeof words];
  if (pattern.text === "---") return fail(`Invalid host "---": it starts a YAML document; is "${file.display}" a YAML inventory with another extension?`);
  let expanded;
  try {
    expanded = expandHostPattern(pattern.text);
  } catch (e) {
    draft.diagnostics.push(error("MC3003", `Invalid host pattern "${pattern.text}": ${(e as Error).message}`, at(pattern.offset)));
    return;
  }
  const vars: [string, unknown, number][] = [];
  for (const word of assignments) {
    const equals = word.text.indexOf("=");
    if (equals <= 0) return fail(`Expected key=value after the host, got "${word.text}"`, word.offset);
    vars.push([word.text.slice(0, equals), pythonLiteralValue(word.text.slice(equals + 1)), word.offset]);
  }
  for (const name of expanded.hosts) {
    const host = draft.addHost(name, group, () => at(pattern.offset));
    if (!host) continue;
    if (expanded.port !== undefined) draft.setVar(host, "ansible_port", expanded.port, () => at(pattern.offset));
    for (const [key, value, offset] of vars) draft.setVar(host, key, value, () => at(offset));
  }
}
