import { join } from "node:path";
import { error, type Diagnostic } from "../config/diagnostics.ts";
import { adjacentVars } from "./adjacent_vars.ts";
import { connectionOf } from "./connection_vars.ts";
import type { InventoryHost } from "./inventory.ts";
import type { GroupDraft, HostDraft, InventoryDraft, VarMap } from "./inventory_draft.ts";

/**
 * Applies Ansible's rules to a drafted inventory: a group no other group holds is a child of
 * `all`; a host in no group but `all` is in `ungrouped`; a host's variables are layered
 * `all` < its groups by (depth, `ansible_group_priority`, name) < `group_vars/all` <
 * `group_vars/<group>` in the same order < its own inventory variables < `host_vars/<host>`,
 * each later layer replacing whole top-level values.
 */
export function resolveInventory(draft: InventoryDraft, inventoryDir: string): { hosts: InventoryHost[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const all = draft.groups.get("all")!;
  const parents = new Map<string, string[]>([...draft.groups.keys()].map((name) => [name, []]));
  for (const group of draft.groups.values()) {
    for (const child of group.children.keys()) parents.get(child)!.push(group.name);
  }
  for (const [name, of] of parents) {
    if (name !== "all" && of.length === 0) of.push("all");
  }
  const cycle = findCycle(draft);
  if (cycle) return { hosts: [], diagnostics: [cycle] };

  const depths = new Map<string, number>();
  const depthOf = (name: string): number => {
    let depth = depths.get(name);
    if (depth === undefined) {
      depth = name === "all" ? 0 : Math.max(...parents.get(name)!.map((p) => depthOf(p) + 1));
      depths.set(name, depth);
    }
    return depth;
  };
  const priorities = new Map([...draft.groups.values()].map((g) => [g.name, groupPriority(g, diagnostics)]));
  const byPrecedence = (a: string, b: string) => depthOf(a) - depthOf(b) || priorities.get(a)! - priorities.get(b)! || (a < b ? -1 : a > b ? 1 : 0);

  const adjacent = new Map<string, VarMap>();
  const adjacentOf = (folder: "group_vars" | "host_vars", name: string): VarMap => {
    const cacheKey = `${folder}/${name}`;
    let vars = adjacent.get(cacheKey);
    if (!vars) {
      const loaded = adjacentVars(join(inventoryDir, folder), name);
      diagnostics.push(...loaded.diagnostics);
      adjacent.set(cacheKey, (vars = loaded.vars));
    }
    return vars;
  };

  const hosts = [...draft.hosts.values()].map((host): InventoryHost => {
    const groups = groupsOf(host, parents).sort(byPrecedence);
    const layers = [
      all.vars,
      ...groups.map((g) => draft.groups.get(g)!.vars),
      adjacentOf("group_vars", "all"),
      ...groups.map((g) => adjacentOf("group_vars", g)),
      host.vars,
      adjacentOf("host_vars", host.name),
    ];
    const merged: VarMap = new Map();
    for (const layer of layers) for (const [key, definition] of layer) merged.set(key, definition);
    const { connection, diagnostics: problems } = connectionOf(host, merged, inventoryDir);
    diagnostics.push(...problems);
    const groupNames = [...groups].sort();
    const vars = { ...Object.fromEntries([...merged].map(([key, d]) => [key, d.value])), inventory_hostname: host.name, group_names: groupNames };
    return { name: host.name, ...connection, groups: groupNames, vars };
  });
  return { hosts, diagnostics };
}

/** Every group holding the host, directly or through `children`, without `all`. */
function groupsOf(host: HostDraft, parents: ReadonlyMap<string, readonly string[]>): string[] {
  const direct = [...host.groups].filter((g) => g !== "all" && g !== "ungrouped");
  const found = new Set<string>();
  const visit = (name: string) => {
    if (name === "all" || found.has(name)) return;
    found.add(name);
    for (const parent of parents.get(name)!) visit(parent);
  };
  for (const name of direct.length > 0 ? direct : ["ungrouped"]) visit(name);
  return [...found];
}

function groupPriority(group: GroupDraft, diagnostics: Diagnostic[]): number {
  const set = group.vars.get("ansible_group_priority");
  if (!set) return 1;
  const value = typeof set.value === "string" && /^-?[0-9]+$/.test(set.value.trim()) ? Number(set.value) : set.value;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  diagnostics.push(error("MC3005", `Invalid ansible_group_priority for group "${group.name}": expected a whole number`, set.locate()));
  return 1;
}

/** A group that holds itself through `children`, as an error at the link that closes the loop. */
function findCycle(draft: InventoryDraft): Diagnostic | undefined {
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (group: GroupDraft): Diagnostic | undefined => {
    state.set(group.name, "visiting");
    path.push(group.name);
    for (const [child, locate] of group.children) {
      if (state.get(child) === "visiting") {
        const loop = [...path.slice(path.indexOf(child)), child].join(" -> ");
        return error("MC3004", `Group "${child}" cannot be a child of "${group.name}": the groups would contain each other (${loop})`, locate());
      }
      if (!state.has(child)) {
        const found = visit(draft.groups.get(child)!);
        if (found) return found;
      }
    }
    path.pop();
    state.set(group.name, "done");
    return undefined;
  };
  for (const group of draft.groups.values()) {
    if (!state.has(group.name)) {
      const found = visit(group);
      if (found) return found;
    }
  }
  return undefined;
}
