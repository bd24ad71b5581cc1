import { Type, type Static } from "@sinclair/typebox";
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { Count, Mode, Path, Strict } from "../core/config/schema_types.ts";
import { archiveFormat, readArchiveEntries, type ArchiveFormat } from "../core/fs/archive_entries.ts";
import { missingDirectories } from "../core/fs/missing_directories.ts";
import { parseMode } from "../core/fs/parse_mode.ts";
import { placeArchiveEntries, UnsafeEntryError, type PlacedEntry } from "../core/fs/place_archive_entries.ts";
import { lstatIfExists } from "../core/fs/stat_if_exists.ts";
import { tempPathBeside } from "../core/fs/temp_path.ts";
import { walkTree } from "../core/fs/walk_tree.ts";
import { ActionError, ALL_PLATFORMS, type ActionContext, type ActionSpec } from "../core/exec/action.ts";
import { fsBehaviour, fsFailure, fsTry, fsTryAsync, invalid, none, type Decide } from "./fs_action.ts";
import { makeDirectories, missingParents, parentsNote } from "./make_directories.ts";

const UnarchiveArgs = Strict({
  src: Path,
  dest: Path,
  strip_components: Type.Optional(Count("Leading path components removed from every entry", { minimum: 0 })),
  creates: Type.Optional(Path),
  mode: Type.Optional({ ...Mode, description: "Mode of every extracted file (default: the mode stored in the archive)" }),
});
type UnarchiveArgs = Static<typeof UnarchiveArgs>;

const LISTED = 100;

/**
 * Reads and checks every entry before writing anything; extracts into a temporary directory
 * beside dest, checks again what landed there, then moves the entries that differ into dest.
 */
const decide: Decide<UnarchiveArgs> = async (ctx, args) => {
  if (args.creates !== undefined && existsSync(args.creates)) return none(`creates: "${args.creates}" exists`);
  const format = archiveFormat(args.src);
  if (!format) throw fsFailure("extract", args.src, new Error("unknown archive type (expected .tar, .tar.gz, .tgz or .zip)"));
  const bytes = fsTry("extract", args.src, () => readFileSync(args.src));
  const fileMode = args.mode === undefined ? undefined : invalid(() => parseMode(args.mode!));
  let placed: PlacedEntry[];
  try {
    placed = placeArchiveEntries(readArchiveEntries(bytes, format), args.strip_components ?? 0);
  } catch (e) {
    throw new ActionError(e instanceof UnsafeEntryError ? "danger" : "validation", `Cannot extract "${args.src}": ${e instanceof Error ? e.message : String(e)}`);
  }
  const destStat = fsTry("extract into", args.dest, () => lstatIfExists(args.dest));
  if (destStat && !destStat.isDirectory()) throw fsFailure("extract into", args.dest, new Error("a file is in the way"));
  const parents = destStat ? [] : missingParents("extract into", args.dest);
  for (const entry of placed) refuseLinkInDest(args, entry);
  const pending = placed.filter((entry) => !inPlace(args.dest, entry, fileMode));
  if (pending.length === 0) return none(`all ${placed.length} entries are already in dest`);
  const listed = pending.slice(0, LISTED).map((e) => `${lstatIfExists(join(args.dest, e.target)) ? "~" : "+"} ${e.target}`);
  if (pending.length > LISTED) listed.push(`... and ${pending.length - LISTED} more`);
  return {
    change: {
      kind: destStat ? "update" : "create",
      reason: `${pending.length} of ${placed.length} entries to extract${destStat ? "" : `, dest does not exist${parentsNote(parents)}`}`,
      detail: [`${args.src} -> ${args.dest}`, ...listed].join("\n"),
    },
    make: async () => {
      makeDirectories(ctx, [...parents, ...(destStat ? [] : [args.dest])]);
      const staging = tempPathBeside(args.dest, "unarchive");
      try {
        fsTry("create directory", staging, () => mkdirSync(staging, { mode: 0o700 }));
        await fsTryAsync("extract", args.src, () => extractInto(staging, bytes, format, placed));
        refuseEscapingLinks(args, staging);
        for (const entry of pending) moveIntoPlace(ctx, args.dest, staging, entry, fileMode);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    },
  };
};

/** tar through Bun.Archive; zip from fflate's contents, written here. */
async function extractInto(staging: string, bytes: Uint8Array, format: ArchiveFormat, entries: readonly PlacedEntry[]): Promise<void> {
  if (format !== "zip") {
    await new Bun.Archive(bytes as Uint8Array<ArrayBuffer>).extract(staging);
    return;
  }
  for (const entry of entries) {
    const path = join(staging, entry.name);
    mkdirSync(entry.type === "directory" ? path : dirname(path), { recursive: true });
    if (entry.type === "file") writeFileSync(path, entry.data!);
    if (entry.type === "symlink") symlinkSync(entry.linkname!, path);
  }
}

/** A second look at what was extracted: no link may resolve outside the staging directory. */
function refuseEscapingLinks(args: UnarchiveArgs, staging: string): void {
  const root = realpathSync(staging);
  for (const entry of walkTree(staging)) {
    if (!entry.stat.isSymbolicLink()) continue;
    const resolved = resolve(realpathSync(dirname(entry.path)), readlinkSync(entry.path));
    if (resolved !== root && !resolved.startsWith(root + sep)) {
      throw new ActionError("danger", `Cannot extract "${args.src}": entry "${entry.relative}" is a symbolic link pointing outside dest`);
    }
  }
}

/** An entry whose path in dest runs through an existing symbolic link would be written outside dest. */
function refuseLinkInDest(args: UnarchiveArgs, entry: PlacedEntry): void {
  const parts = entry.target.split("/");
  for (let i = 1; i < parts.length; i++) {
    const path = join(args.dest, ...parts.slice(0, i));
    if (lstatIfExists(path)?.isSymbolicLink()) {
      throw new ActionError("danger", `Cannot extract "${args.src}": entry "${entry.name}" would be written through the symbolic link "${path}"`);
    }
  }
}

function inPlace(dest: string, entry: PlacedEntry, fileMode: number | undefined): boolean {
  const path = join(dest, entry.target);
  const stat = lstatIfExists(path);
  if (!stat) return false;
  switch (entry.type) {
    case "directory":
      return stat.isDirectory();
    case "symlink":
      return stat.isSymbolicLink() && readlinkSync(path) === entry.linkname;
    case "hardlink": {
      const target = lstatIfExists(join(dest, entry.linkTarget!));
      return target !== undefined && target.ino === stat.ino && target.dev === stat.dev;
    }
    case "file":
      return stat.isFile() && (stat.mode & 0o7777) === (fileMode ?? entry.mode) && stat.size === entry.data!.byteLength && readFileSync(path).equals(entry.data!);
  }
}

function moveIntoPlace(ctx: ActionContext, dest: string, staging: string, entry: PlacedEntry, fileMode: number | undefined): void {
  const to = join(dest, entry.target);
  const existed = lstatIfExists(to);
  makeDirectories(ctx, fsTry("extract into", to, () => missingDirectories(dirname(to))));
  if (entry.type === "directory") {
    if (!existed) makeDirectories(ctx, [to], entry.mode);
    return;
  }
  if (existed?.isDirectory()) throw fsFailure("extract", to, new Error("a directory is in the way"));
  fsTry("extract", to, () => {
    if (entry.type === "hardlink") {
      if (existed) rmSync(to);
      linkSync(join(dest, entry.linkTarget!), to);
    } else {
      renameSync(join(staging, entry.name), to);
      if (entry.type === "file") chmodSync(to, fileMode ?? entry.mode);
    }
  });
  ctx.fileChanged({ path: to, operation: existed ? "modified" : "created", size_bytes: entry.data?.byteLength ?? 0, kind: entry.type === "symlink" ? "link" : "file" });
}

export const unarchive: ActionSpec<UnarchiveArgs> = {
  name: "unarchive",
  summary: "Extract a .tar, .tar.gz, .tgz or .zip archive",
  schema: UnarchiveArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["src", "dest", "creates"],
  ...fsBehaviour(decide),
};
