import { posix } from "node:path";
import type { ArchiveEntry } from "./archive_entries.ts";

/** An entry with where it lands, relative to dest, after strip_components. */
export interface PlacedEntry extends ArchiveEntry {
  target: string;
  /** A hard link's target, relative to dest. */
  linkTarget?: string;
}

/** An archive entry that must not be extracted; the message names it. */
export class UnsafeEntryError extends Error {}

/**
 * Where each entry lands once `strip` leading components are removed (entries with no more
 * than that are dropped). Throws UnsafeEntryError for any entry that would land outside dest:
 * an absolute path, a `..` component, a link pointing out, or an entry below a symbolic link
 * of the archive (it would be written through the link).
 */
export function placeArchiveEntries(entries: readonly ArchiveEntry[], strip: number): PlacedEntry[] {
  const symlinks = new Set<string>();
  const placed: PlacedEntry[] = [];
  for (const entry of entries) {
    const target = stripped(entry.name, entry.name, strip);
    if (target === undefined) continue;
    const through = ancestors(target).find((dir) => symlinks.has(dir));
    if (through !== undefined) throw new UnsafeEntryError(`entry "${entry.name}" would be written through the symbolic link "${through}"`);
    if (entry.type === "symlink") {
      const link = entry.linkname ?? "";
      if (link === "" || isAbsolute(link)) throw new UnsafeEntryError(`entry "${entry.name}" is a symbolic link to the absolute path "${link}"`);
      if (escapes(posix.join(posix.dirname(target), link.replaceAll("\\", "/")))) throw new UnsafeEntryError(`entry "${entry.name}" is a symbolic link pointing outside dest ("${link}")`);
      symlinks.add(target);
      placed.push({ ...entry, target });
    } else if (entry.type === "hardlink") {
      const linkTarget = stripped(entry.linkname ?? "", entry.name, strip);
      if (linkTarget === undefined) throw new UnsafeEntryError(`entry "${entry.name}" is a hard link to "${entry.linkname}", which strip_components removes`);
      placed.push({ ...entry, target, linkTarget });
    } else {
      placed.push({ ...entry, target });
    }
  }
  return placed;
}

/** The path without its first `strip` components; undefined when nothing is left (as for "./", dest itself). */
function stripped(name: string, entryName: string, strip: number): string | undefined {
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
