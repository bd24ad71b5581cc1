import { homedir } from "node:os";
import { resolve } from "node:path";
import { error, type Diagnostic } from "../config/diagnostics.ts";
import { describe } from "../config/explain_schema.ts";
import type { InventoryHost } from "./inventory.ts";
import type { HostDraft, VarDefinition } from "./inventory_draft.ts";

export type Connection = Pick<InventoryHost, "address" | "port" | "user" | "privateKeyFile" | "become">;

/**
 * Each setting with the variables that give it, in Ansible's order: when several are set, the
 * last one listed wins (`ansible_ssh_port` over `ansible_port`), as Ansible's ssh plugin reads them.
 */
const ALIASES = {
  address: ["ansible_host", "ansible_ssh_host"],
  port: ["ansible_port", "ansible_ssh_port"],
  user: ["ansible_user", "ansible_ssh_user"],
  privateKeyFile: ["ansible_private_key_file", "ansible_ssh_private_key_file"],
  become: ["ansible_become"],
  becomeUser: ["ansible_become_user"],
  becomeMethod: ["ansible_become_method"],
} as const;

const BECOME_PASSWORDS = ["ansible_become_password", "ansible_become_pass", "ansible_sudo_pass", "ansible_sudo_password"];
const SSH_PASSWORDS = ["ansible_password", "ansible_ssh_pass", "ansible_ssh_password"];

/** Ansible's `boolean()`: these strings (any case), numbers and booleans, nothing else. */
const TRUE_VALUES = new Set(["y", "yes", "on", "1", "true", "t"]);
const FALSE_VALUES = new Set(["n", "no", "off", "0", "false", "f"]);

/**
 * Why the inventory may not define `key` at all, or undefined. Passwords are refused wherever
 * they are set: a variable is kept in the run's plan and artifacts, so a password there would
 * be written in clear. Become methods other than sudo are refused because mooncake only has sudo.
 */
export function refusedVariableReason(key: string, value: unknown): string | undefined {
  if (BECOME_PASSWORDS.includes(key)) {
    return `"${key}" is refused: an inventory variable is kept in clear in the plan and the run's artifacts; give the sudo password with --sudo-pass-file instead`;
  }
  if (SSH_PASSWORDS.includes(key)) {
    return `"${key}" is refused: mooncake logs in over OpenSSH with a key or the ssh-agent, never a password kept in the inventory`;
  }
  if (key === "ansible_become_method" && value !== "sudo") {
    return `ansible_become_method ${JSON.stringify(value)} is not supported: mooncake becomes another user with sudo only`;
  }
  return undefined;
}

/**
 * How to reach `host` over OpenSSH, from its variables with Ansible's precedence already applied.
 * A relative `ansible_ssh_private_key_file` is resolved against `inventoryDir`, `~/` against
 * the home directory.
 */
export function connectionOf(host: HostDraft, vars: ReadonlyMap<string, VarDefinition>, inventoryDir: string): { connection: Connection; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const setting = (aliases: readonly string[]) => {
    const key = aliases.findLast((k) => vars.has(k));
    return key === undefined ? undefined : { key, ...vars.get(key)! };
  };
  const fail = (found: { key: string; value: unknown } & VarDefinition, expected: string) => {
    diagnostics.push(error("MC3005", `Invalid ${found.key} ${describeValue(found.value)} for host "${host.name}": ${expected}`, found.locate()));
    return undefined;
  };
  const text = (aliases: readonly string[], what: string, option: boolean) => {
    const found = setting(aliases);
    if (!found) return undefined;
    const value = typeof found.value === "number" ? String(found.value) : found.value;
    if (typeof value !== "string" || value === "") return fail(found, `expected ${what}`);
    if (value.includes("{{")) return fail(found, "templates are not rendered in connection variables: write the value itself");
    // ssh reads a leading "-" as an option: a host or user must never be able to pass one.
    if (option && (value.startsWith("-") || /[\s\x00-\x1f\x7f]/.test(value))) return fail(found, `expected ${what}, without spaces or a leading "-"`);
    return value;
  };

  const connection: { -readonly [K in keyof Connection]: Connection[K] } = { address: text(ALIASES.address, "a host name or address", true) ?? host.name };
  if (connection.address.startsWith("-")) {
    diagnostics.push(error("MC3005", `Host "${host.name}" needs ansible_host: its name starts with "-", which ssh would read as an option`, host.locate()));
  }

  const port = setting(ALIASES.port);
  if (port) {
    const value = typeof port.value === "string" && /^[0-9]+$/.test(port.value) ? Number(port.value) : port.value;
    if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535) connection.port = value;
    else fail(port, "expected a port number between 1 and 65535");
  }
  const user = text(ALIASES.user, "a user name", true);
  if (user !== undefined) connection.user = user;
  const key = text(ALIASES.privateKeyFile, "a path", false);
  if (key !== undefined) connection.privateKeyFile = key === "~" || key.startsWith("~/") ? homedir() + key.slice(1) : resolve(inventoryDir, key);

  const become = setting(ALIASES.become);
  const becomeUser = text(ALIASES.becomeUser, "a user name", true);
  const becomeMethod = setting(ALIASES.becomeMethod);
  if (become || becomeUser !== undefined || becomeMethod) {
    const enabled = become ? booleanValue(become.value) : false;
    if (enabled === undefined) fail(become!, "expected a boolean (true, false, yes, no, 1, 0)");
    connection.become = {
      enabled: enabled ?? false,
      ...(becomeUser !== undefined ? { user: becomeUser } : {}),
      ...(becomeMethod ? { method: String(becomeMethod.value) } : {}),
    };
  }
  return { connection, diagnostics };
}

export function booleanValue(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== "string") return undefined;
  const lower = value.toLowerCase();
  return TRUE_VALUES.has(lower) ? true : FALSE_VALUES.has(lower) ? false : undefined;
}

function describeValue(value: unknown): string {
  return typeof value === "number" ? String(value) : describe(value);
}
