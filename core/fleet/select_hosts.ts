import type { Inventory, InventoryHost } from "./inventory.ts";

/** A `--limit` pattern that is invalid or selects nothing; the message names the culprit. */
export class HostPatternError extends Error {
  override name = "HostPatternError";
}

/**
 * The hosts an Ansible host pattern (`--limit`) selects, in inventory order. Terms are separated
 * by `,` (or `:` when the pattern is not a single `host:port` or range): `all` and `*`, a host
 * or group name, a glob (`web*`, `db-?`), a regex after `~` (`~web\d+`, matched from the start),
 * a subscript of a group (`web[0]`, `web[1:]`, `web[-1]`), `&term` to intersect and `!term` to
 * exclude; plain terms are joined first, then `&`, then `!`, as Ansible orders them. Every term
 * must match something, and so must the whole pattern, else HostPatternError. No pattern is `all`.
 */
export function selectHosts(inventory: Inventory, pattern = "all"): InventoryHost[] {
  const terms = splitPattern(pattern);
  if (terms.length === 0) throw new HostPatternError(`Host pattern "${pattern}" is empty`);
  const regular = terms.filter((t) => !t.startsWith("&") && !t.startsWith("!"));
  const ordered = [...(regular.length > 0 ? regular : ["all"]), ...terms.filter((t) => t.startsWith("&")), ...terms.filter((t) => t.startsWith("!"))];

  let selected = new Set<InventoryHost>();
  for (const term of ordered) {
    const matched = matchTerm(inventory, term.replace(/^[&!]/, ""));
    if (matched.length === 0) throw new HostPatternError(`Host pattern "${term}" matches no host or group of the inventory`);
    const set = new Set(matched);
    if (term.startsWith("&")) selected = new Set([...selected].filter((h) => set.has(h)));
    else if (term.startsWith("!")) selected = new Set([...selected].filter((h) => !set.has(h)));
    else for (const host of matched) selected.add(host);
  }
  const hosts = inventory.hosts.filter((h) => selected.has(h));
  if (hosts.length === 0) throw new HostPatternError(`Host pattern "${pattern}" selects no host: its terms exclude each other`);
  return hosts;
}

/**
 * Ansible's split: at commas; else at colons and blanks, keeping `[...]` whole, unless the
 * pattern is one regular expression (`~...`) or an IPv6 address.
 */
function splitPattern(pattern: string): string[] {
  let terms: string[];
  if (pattern.includes(",")) terms = pattern.split(",");
  else if (/^\s*~/.test(pattern) || /^[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:.]*$/.test(pattern)) terms = [pattern];
  else {
    terms = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
    const leftOver = terms.reduce((rest, term) => rest.replace(term, ""), pattern);
    if (/[^\s:]/.test(leftOver)) throw new HostPatternError(`Host pattern "${pattern}" has a "[" or "]" without its pair`);
  }
  return terms.map((t) => t.trim()).filter((t) => t !== "");
}

function matchTerm(inventory: Inventory, term: string): InventoryHost[] {
  const byName = inventory.hosts.find((h) => h.name === term);
  if (byName) return [byName];
  const subscript = term.startsWith("~") ? undefined : /^(.+)\[(?:(-?[0-9]+)|([0-9]+):([0-9]*))\]$/.exec(term);
  if (subscript) {
    const [, base, index, start, end] = subscript as unknown as [string, string, string | undefined, string | undefined, string | undefined];
    return subscriptOf(matchTerm(inventory, base), index, start, end);
  }

  const matches = matcher(term);
  // `all` is a group too: `*` and `a*` select every host, as in Ansible.
  if (matches("all")) return [...inventory.hosts];
  const groups = new Set<string>();
  for (const host of inventory.hosts) for (const group of host.groups) if (matches(group)) groups.add(group);
  const found = inventory.hosts.filter((h) => h.groups.some((g) => groups.has(g)));
  if (groups.size === 0 || term.startsWith("~") || /[.?*[]/.test(term)) {
    for (const host of inventory.hosts) if (!found.includes(host) && matches(host.name)) found.push(host);
  }
  return found;
}

/** Ansible's subscripts: `[i]` one host (negative counts from the end), `[i:j]` both ends included, `[i:]` to the end. */
function subscriptOf(hosts: InventoryHost[], index: string | undefined, start: string | undefined, end: string | undefined): InventoryHost[] {
  if (index !== undefined) {
    const i = Number(index);
    const host = hosts[i < 0 ? hosts.length + i : i];
    return host ? [host] : [];
  }
  return hosts.slice(Number(start), end ? Number(end) + 1 : undefined);
}

/** `~regex` (from the start, as Python's re.match) or a shell glob over the whole name. */
function matcher(term: string): (name: string) => boolean {
  let regex: RegExp;
  try {
    regex = term.startsWith("~") ? new RegExp(`^(?:${term.slice(1)})`) : globRegex(term);
  } catch (e) {
    throw new HostPatternError(`Host pattern "${term}" is not a valid regular expression: ${(e as Error).message}`);
  }
  return (name) => regex.test(name);
}

function globRegex(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[" && glob.indexOf("]", i + 2) !== -1) {
      const close = glob.indexOf("]", i + 2);
      let body = glob.slice(i + 1, close);
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\/g, "\\\\")}]`;
      i = close;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}
