import { error, type Diagnostic, type Subject } from "../config/diagnostics.ts";
import { refusedVariableReason } from "./connection_vars.ts";
import { unsafeNameReason } from "./host_name.ts";

/** Where a definition is, worked out only when a diagnostic needs it. */
export type Locate = () => Subject;

export interface VarDefinition {
  value: unknown;
  locate: Locate;
}

export type VarMap = Map<string, VarDefinition>;

export interface GroupDraft {
  name: string;
  vars: VarMap;
  /** Child group name -> where it was made a child. */
  children: Map<string, Locate>;
}

export interface HostDraft {
  name: string;
  vars: VarMap;
  /** The groups that list the host itself, in the order they do. */
  groups: Set<string>;
  /** Where the inventory first names the host. */
  locate: Locate;
}

/**
 * An inventory as its file declares it, before Ansible's rules (implicit groups, depth,
 * precedence) are applied: what the YAML and INI readers build.
 */
export class InventoryDraft {
  readonly groups = new Map<string, GroupDraft>();
  readonly hosts = new Map<string, HostDraft>();
  readonly diagnostics: Diagnostic[] = [];

  constructor() {
    for (const name of ["all", "ungrouped"]) this.groups.set(name, { name, vars: new Map(), children: new Map() });
  }

  /** The group, declared on first use; undefined (with a diagnostic) when its name is unsafe. */
  group(name: string, locate: Locate): GroupDraft | undefined {
    let group = this.groups.get(name);
    if (!group) {
      if (!this.checkName("group", name, locate)) return undefined;
      group = { name, vars: new Map(), children: new Map() };
      this.groups.set(name, group);
    }
    return group;
  }

  addChild(parent: GroupDraft, childName: string, locate: Locate): void {
    if (childName === "all") {
      this.diagnostics.push(error("MC3004", `Group "all" cannot be a child of "${parent.name}": it holds every group`, locate()));
      return;
    }
    if (this.group(childName, locate) && !parent.children.has(childName)) parent.children.set(childName, locate);
  }

  /** The host, declared on first use and listed in `group`; undefined when its name is unsafe. */
  addHost(name: string, group: GroupDraft, locate: Locate): HostDraft | undefined {
    let host = this.hosts.get(name);
    if (!host) {
      if (!this.checkName("host", name, locate)) return undefined;
      host = { name, vars: new Map(), groups: new Set(), locate };
      this.hosts.set(name, host);
    }
    host.groups.add(group.name);
    return host;
  }

  /** Sets a host or group variable; a later definition replaces an earlier one, as in Ansible. */
  setVar(target: { vars: VarMap }, key: string, value: unknown, locate: Locate): void {
    const refused = refusedVariableReason(key, value);
    if (refused) this.diagnostics.push(error("MC3006", refused, locate()));
    else target.vars.set(key, { value, locate });
  }

  private checkName(kind: "host" | "group", name: string, locate: Locate): boolean {
    const reason = unsafeNameReason(name);
    if (reason) this.diagnostics.push(error("MC3007", `Invalid ${kind} name "${printable(name)}": ${reason}`, locate()));
    return reason === undefined;
  }
}

function printable(text: string): string {
  // JSON escapes keep a NUL or a newline from breaking the message.
  return JSON.stringify(text).slice(1, -1);
}
