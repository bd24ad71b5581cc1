import { readFileSync } from "node:fs";

/**
 * User and group ids from a name or an id, read from /etc/passwd and /etc/group, then from
 * `id` (which also knows users from LDAP or macOS directory services). A number or a string of
 * digits is taken as an id as it is.
 */
export function lookupUid(owner: string | number): number {
  return lookupId(owner, "user", "/etc/passwd", ["id", "-u"]);
}

export function lookupGid(group: string | number): number {
  return lookupId(group, "group", "/etc/group", ["id", "-g"]);
}

function lookupId(value: string | number, kind: "user" | "group", database: string, idCommand: string[]): number {
  if (typeof value === "number") return value;
  if (/^\d+$/.test(value)) return Number(value);
  const fromFile = idInDatabase(database, value);
  if (fromFile !== undefined) return fromFile;
  // `id -g NAME` is the primary group of a user NAME, not a group called NAME: only ask `id` for users.
  if (kind === "user") {
    const probe = Bun.spawnSync([...idCommand, value], { stdout: "pipe", stderr: "ignore" });
    const text = probe.stdout.toString().trim();
    if (probe.exitCode === 0 && /^\d+$/.test(text)) return Number(text);
  }
  throw new Error(`Unknown ${kind} "${value}"`);
}

function idInDatabase(path: string, name: string): number | undefined {
  for (const fields of databaseEntries(path)) {
    if (fields[0] === name && fields[2] !== undefined && /^\d+$/.test(fields[2])) return Number(fields[2]);
  }
  return undefined;
}

/** The lines of /etc/passwd or /etc/group split into their `:` fields; none when the file cannot be read. */
export function databaseEntries(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text.split("\n").map((line) => line.split(":"));
}
