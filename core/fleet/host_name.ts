/**
 * Why `name` cannot name an inventory host or group, or undefined when it can. A host's runs
 * come home under `hosts/<name>/`, and group and host names pick files in `group_vars/` and
 * `host_vars/`, so a name must be one safe path component: not empty, not `.` or `..`, without
 * `/`, `\` or control characters (NUL among them).
 */
export function unsafeNameReason(name: string): string | undefined {
  if (name === "") return "it is empty";
  if (name === "." || name === "..") return `"${name}" names a directory`;
  if (name.includes("/") || name.includes("\\")) return "it contains a path separator";
  if (/[\x00-\x1f\x7f]/.test(name)) return "it contains a control character";
  return undefined;
}
