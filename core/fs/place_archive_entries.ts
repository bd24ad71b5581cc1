import { posix } from "node:path";
import type { ArchiveEntry } from "./archive_entries.ts";

/** An entry with where it lands, relative to dest, after strip_components. */
export interface PlacedEntry extends Omit<ArchiveEntry, "body"> {
  target: string;
  /** A hard link's file (the first one of its group), relative to dest. */
  linkTarget?: string;
}

/** An archive entry that must not be extracted; the message names it. */
export class UnsafeEntryError extends Error {}

/** What is at a path relative to dest before anything is extracted, and a link's target. */
export interface DestLookup {
  kind(relative: string): "missing" | "directory" | "file" | "symlink" | "other";
  readlink(relative: string): string;
}

const MAX_LINK_HOPS = 40;

/**
 * Places the entries of an archive one by one, as tar would extract them: a later entry of
 * the same path replaces the earlier one (the last wins). Refuses, with UnsafeEntryError, any
 * entry that would land outside dest or be written through a link: an absolute path, a `..`
 * component, an entry below a symbolic link or a file of the archive, a hard link to anything
 * but a file extracted earlier from the same archive. `finish` then checks that no symbolic
 * link of the final tree resolves outside dest, following links of the archive and of dest.
 */
export class ArchiveLayout {
  private readonly placed = new Map<string, PlacedEntry>();
  private readonly parents = new Set<string>();
  private readonly linkedFiles = new Set<string>();

  constructor(private readonly strip: number) {}

  /** Where `entry` lands; undefined when strip_components leaves nothing of its path. */
  place(entry: Omit<ArchiveEntry, "body">): PlacedEntry | undefined {
    const target = stripped(entry.name, entry.name, this.strip);
    if (target === undefined) return undefined;
    for (const dir of ancestors(target)) {
      const above = this.placed.get(dir);
      if (above?.type === "symlink") throw new UnsafeEntryError(`entry "${entry.name}" would be written through the symbolic link "${dir}"`);
      if (above && above.type !== "directory") throw new UnsafeEntryError(`entry "${entry.name}" is below "${dir}", which the archive makes a file`);
    }
    const earlier = this.placed.get(target);
    if (entry.type !== "directory" && this.parents.has(target)) {
      throw new UnsafeEntryError(`entry "${entry.name}" would replace the directory "${target}" and what the archive put in it`);
    }
    if (earlier && this.linkedFiles.has(target)) throw new UnsafeEntryError(`entry "${entry.name}" would replace "${target}", which hard links of the archive point to`);
    const placed: PlacedEntry = { name: entry.name, type: entry.type, mode: entry.mode, size: entry.size, target };
    if (entry.type === "symlink") {
      const link = entry.linkname ?? "";
      if (link === "" || isAbsolute(link)) throw new UnsafeEntryError(`entry "${entry.name}" is a symbolic link to the absolute path "${link}"`);
      if (escapes(posix.join(posix.dirname(target), link.replaceAll("\\", "/")))) throw new UnsafeEntryError(`entry "${entry.name}" is a symbolic link pointing outside dest ("${link}")`);
      placed.linkname = link;
    } else if (entry.type === "hardlink") {
      const linkTarget = stripped(entry.linkname ?? "", entry.name, this.strip);
      if (linkTarget === undefined) throw new UnsafeEntryError(`entry "${entry.name}" is a hard link to "${entry.linkname}", which strip_components removes`);
      const file = this.placed.get(linkTarget);
      if (linkTarget === target || (file?.type !== "file" && file?.type !== "hardlink")) {
        throw new UnsafeEntryError(`entry "${entry.name}" is a hard link to "${entry.linkname}", which is not a file extracted before it from this archive`);
      }
      placed.linkname = entry.linkname;
      placed.linkTarget = file.linkTarget ?? linkTarget;
      placed.size = file.size;
      this.linkedFiles.add(linkTarget).add(placed.linkTarget);
    }
    for (const dir of ancestors(target)) this.parents.add(dir);
    this.placed.set(target, placed);
    return placed;
  }

  /** The final entries (the last of each path), where each path first appeared. */
  entries(): PlacedEntry[] {
    return [...this.placed.values()];
  }

  /**
   * Refuses an entry that would go through a link or a file already in dest (or whose type
   * conflicts with a directory there), and a symbolic
   * link of the archive that resolves outside dest once extracted (through a link of dest or
   * a chain of its own links).
   */
  finish(dest: DestLookup): PlacedEntry[] {
    const checked = new Set<string>();
    for (const entry of this.placed.values()) {
      for (const dir of ancestors(entry.target)) {
        if (checked.has(dir)) continue;
        const kind = dest.kind(dir);
        if (kind === "symlink") throw new UnsafeEntryError(`entry "${entry.name}" would be written through the symbolic link "${dir}" that is already in dest`);
        if (kind !== "missing" && kind !== "directory") throw new Error(`entry "${entry.name}" would be written below "${dir}", which is a file in dest`);
        checked.add(dir);
      }
      const there = dest.kind(entry.target);
      if (entry.type === "directory" && there !== "missing" && there !== "directory") throw new Error(`entry "${entry.name}" is a directory, and "${entry.target}" in dest is not`);
      if (entry.type !== "directory" && there === "directory") throw new Error(`entry "${entry.name}" would replace the directory "${entry.target}" in dest`);
      if (entry.type === "symlink" && !this.staysInside(posix.dirname(entry.target), entry.linkname!, dest)) {
        throw new UnsafeEntryError(`entry "${entry.name}" is a symbolic link that resolves outside dest ("${entry.linkname}", through the links it meets)`);
      }
    }
    return this.entries();
  }

  /** Walks `link` from `dir` as the kernel would, over the final tree: links of the archive, then those of dest. */
  private staysInside(dir: string, link: string, dest: DestLookup): boolean {
    const at = dir === "." ? [] : dir.split("/");
    let hops = 0;
    const walk = (path: string): boolean => {
      for (const part of path.replaceAll("\\", "/").split("/")) {
        if (part === "" || part === ".") continue;
        if (part === "..") {
          if (at.length === 0) return false;
          at.pop();
          continue;
        }
        at.push(part);
        const here = at.join("/");
        const entry = this.placed.get(here);
        const next = entry ? (entry.type === "symlink" ? entry.linkname : undefined) : dest.kind(here) === "symlink" ? dest.readlink(here) : undefined;
        if (next === undefined) continue;
        if (++hops > MAX_LINK_HOPS || isAbsolute(next)) return false;
        at.pop();
        if (!walk(next)) return false;
      }
      return true;
    };
    return walk(link);
  }
}

/** The path without its first `strip` components; undefined when nothing is left (as for "./", dest itself). */
function stripped(name: string, entryName: string, strip: number): string | undefined {
  if (name.includes("\0")) throw new UnsafeEntryError(`entry ${JSON.stringify(entryName)} has a NUL byte in its name`);
  const path = name.replaceAll("\\", "/");
  if (isAbsolute(path)) throw new UnsafeEntryError(`entry "${entryName}" has an absolute path`);
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw new UnsafeEntryError(`entry "${entryName}" has a ".." component and would land outside dest`);
  const kept = parts.slice(strip);
  return kept.length === 0 ? undefined : kept.join("/");
}

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:/.test(path);
}

function escapes(joined: string): boolean {
  const normal = posix.normalize(joined);
  return normal === ".." || normal.startsWith("../") || posix.isAbsolute(normal);
}

function ancestors(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}
