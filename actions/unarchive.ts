import { Type, type Static } from "@sinclair/typebox";
import { closeSync, existsSync, fchmodSync, fstatSync, linkSync, lstatSync, mkdirSync, readlinkSync, readSync, realpathSync, renameSync, rmSync, statSync, symlinkSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { Count, Mode, Path, Strict } from "../core/config/schema_types.ts";
import { ArchiveLimitError, archiveFormat, readArchive, type ArchiveLimits } from "../core/fs/archive_entries.ts";
import { parseMode } from "../core/fs/parse_mode.ts";
import { ArchiveLayout, UnsafeEntryError, type DestLookup, type PlacedEntry } from "../core/fs/place_archive_entries.ts";
import { lstatIfExists } from "../core/fs/stat_if_exists.ts";
import { tempPathBeside } from "../core/fs/temp_path.ts";
import { openDirectoryNoFollow, type DirectoryHandle } from "../core/fs/directory_handle.ts";
import { createExclusive, openNoFollow } from "../core/fs/no_follow.ts";
import { writeAll } from "../core/fs/write_all.ts";
import { ActionError, ALL_PLATFORMS, type ActionContext, type ActionSpec, type Change } from "../core/exec/action.ts";
import { fsFailure, fsTry, inputTry, invalid } from "./fs_action.ts";
import { makeDirectories, missingParents, parentsNote } from "./make_directories.ts";

const UnarchiveArgs = Strict({
  src: Path,
  dest: Path,
  strip_components: Type.Optional(Count("Leading path components removed from every entry", { minimum: 0 })),
  creates: Type.Optional(Path),
  mode: Type.Optional({ ...Mode, description: "Mode of every extracted file (default: the mode stored in the archive)" }),
  max_bytes: Type.Optional(Count("Most bytes the archive's files may hold together (default: 200 times the archive's size, at least 256 MiB)", { minimum: 1 })),
  max_entries: Type.Optional(Count(`Most entries the archive may have (default ${200_000})`, { minimum: 1 })),
});
type UnarchiveArgs = Static<typeof UnarchiveArgs>;

const LISTED = 100;
/** Real archives (source trees, model weights) stay far below this ratio; an archive bomb does not. */
const MAX_RATIO = 200;
const MIN_MAX_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 200_000;

/** What one pass over the archive found: the final entries and those that differ from dest. */
interface Survey {
  entries: PlacedEntry[];
  pending: PlacedEntry[];
  destExists: boolean;
  parents: string[];
}

/**
 * One streaming pass over the archive, the same for a dry-run and a run: every entry is placed
 * (and refused when unsafe) and compared with dest as it streams by. In a run each entry is
 * also written into `staging`, a private directory beside dest, during that pass; only when the
 * whole archive was read and found safe are the entries that differ moved into dest.
 */
async function survey(args: UnarchiveArgs, staging?: Staging): Promise<Survey> {
  const format = archiveFormat(args.src);
  if (!format) throw fsFailure("extract", args.src, new Error("unknown archive type (expected .tar, .tar.gz, .tgz or .zip)"));
  const size = inputTry("extract", args.src, () => statSync(args.src)).size;
  const fileMode = args.mode === undefined ? undefined : invalid(() => parseMode(args.mode!));
  const destStat = fsTry("extract into", args.dest, () => lstatIfExists(args.dest));
  if (destStat && !destStat.isDirectory()) throw fsFailure("extract into", args.dest, new Error(destStat.isSymbolicLink() ? "it is a symbolic link, not a directory (give its real path)" : "a file is in the way"));
  const parents = destStat ? [] : missingParents("extract into", args.dest);
  const dest = destLookup(args.dest);
  const layout = new ArchiveLayout(args.strip_components ?? 0);
  const inPlace = new Map<string, boolean>();
  try {
    for await (const entry of readArchive(args.src, format, limitsFor(args, size))) {
      const placed = layout.place(entry);
      if (!placed) continue;
      const at = join(args.dest, placed.target);
      const mode = placed.type === "file" ? (fileMode ?? placed.mode) : placed.mode;
      const compare = placed.type === "file" && destStat ? fsTry("read", at, () => openComparer(at, mode, placed.size)) : undefined;
      const staged = staging === undefined ? undefined : fsTry("extract", at, () => stage(staging, placed, mode));
      let equal = compare !== undefined;
      try {
        for await (const chunk of entry.body) {
          if (staged !== undefined) fsTry("extract", at, () => writeAll(staged, chunk));
          if (equal) equal = compare!.matches(chunk);
        }
      } finally {
        compare?.close();
        if (staged !== undefined) closeSync(staged);
      }
      inPlace.set(placed.target, equal);
    }
  } catch (e) {
    throw archiveFailure(args, e);
  }
  let entries: PlacedEntry[];
  try {
    entries = layout.finish(dest);
  } catch (e) {
    throw archiveFailure(args, e);
  }
  const pending = pendingEntries(args.dest, entries, inPlace);
  return { entries, pending, destExists: destStat !== undefined, parents };
}

function limitsFor(args: UnarchiveArgs, archiveSize: number): ArchiveLimits {
  return {
    maxBytes: args.max_bytes ?? Math.max(MIN_MAX_BYTES, MAX_RATIO * archiveSize),
    maxEntries: args.max_entries ?? DEFAULT_MAX_ENTRIES,
  };
}

function archiveFailure(args: UnarchiveArgs, e: unknown): ActionError {
  if (e instanceof ActionError) return e;
  if ((e as NodeJS.ErrnoException).code) return fsFailure("extract", args.src, e);
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ArchiveLimitError) {
    const field = e.limit === "maxBytes" ? "max_bytes" : "max_entries";
    const given = args[field] !== undefined;
    const why = given ? `the ${field} of this step` : e.limit === "maxBytes" ? `the default ${field}: ${MAX_RATIO} times the archive's size, at least ${MIN_MAX_BYTES / (1024 * 1024)} MiB` : `the default ${field}`;
    return new ActionError("validation", `Cannot extract "${args.src}": ${message} (${why}); raise ${field} to extract it`);
  }
  return new ActionError(e instanceof UnsafeEntryError ? "danger" : "validation", `Cannot extract "${args.src}": ${message}`);
}

/** The entries to extract: those not in place, and every member of a hard-link group one of whose members is not. */
function pendingEntries(dest: string, entries: readonly PlacedEntry[], inPlace: Map<string, boolean>): PlacedEntry[] {
  const groupPending = new Set<string>();
  const settled = new Map<string, boolean>();
  for (const entry of entries) {
    const here = inPlace.get(entry.target) || linkInPlace(dest, entry);
    settled.set(entry.target, here);
    if (!here && entry.type === "file") groupPending.add(entry.target);
    if (!here && entry.type === "hardlink") groupPending.add(entry.linkTarget!);
  }
  return entries.filter((e) => !settled.get(e.target) || groupPending.has(e.type === "hardlink" ? e.linkTarget! : e.target));
}

function linkInPlace(dest: string, entry: PlacedEntry): boolean {
  if (entry.type === "file") return false;
  const stat = lstatIfExists(join(dest, entry.target));
  if (!stat) return false;
  switch (entry.type) {
    case "directory":
      return stat.isDirectory();
    case "symlink":
      return stat.isSymbolicLink() && readlinkSync(join(dest, entry.target)) === entry.linkname;
    case "hardlink": {
      const file = lstatIfExists(join(dest, entry.linkTarget!));
      return stat.isFile() && file !== undefined && file.ino === stat.ino && file.dev === stat.dev;
    }
  }
}

interface Comparer {
  /** Whether the next bytes of the file are `chunk`. */
  matches(chunk: Uint8Array): boolean;
  close(): void;
}

/** Reads a regular file of dest alongside the archive's bytes; undefined when it is missing or its type, size or mode already differ. */
function openComparer(path: string, mode: number, size: number): Comparer | undefined {
  let fd: number;
  try {
    fd = openNoFollow(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ELOOP" || code === "ENOTDIR") return undefined;
    throw e;
  }
  const stat = fstatSync(fd);
  if (!stat.isFile() || stat.size !== size || (stat.mode & 0o7777) !== mode) {
    closeSync(fd);
    return undefined;
  }
  let buffer = new Uint8Array(1 << 16);
  return {
    matches: (chunk) => {
      if (buffer.length < chunk.length) buffer = new Uint8Array(chunk.length);
      let filled = 0;
      while (filled < chunk.length) {
        const n = readSync(fd, buffer, filled, chunk.length - filled, null);
        if (n === 0) return false;
        filled += n;
      }
      return Buffer.compare(buffer.subarray(0, filled), chunk) === 0;
    },
    close: () => closeSync(fd),
  };
}

/** The private directory a run extracts into before moving entries into dest, and what it holds. */
interface Staging {
  dir: string;
  /** Directories made and paths taken so far, so the common case costs no lookup. */
  made: Set<string>;
  taken: Set<string>;
}

/**
 * Creates `entry` in staging, replacing an earlier entry of the same path (the last wins):
 * a file is created empty with its mode and its fd returned for the content.
 */
function stage(staging: Staging, entry: PlacedEntry, mode: number): number | undefined {
  const path = join(staging.dir, entry.target);
  if (staging.taken.has(entry.target)) {
    if (entry.type === "directory" && lstatSync(path).isDirectory()) return undefined;
    rmSync(path, { recursive: true });
  } else {
    const parent = dirname(path);
    if (!staging.made.has(parent)) mkdirSync(parent, { recursive: true, mode: 0o700 });
    staging.made.add(parent);
    staging.taken.add(entry.target);
  }
  switch (entry.type) {
    case "directory":
      if (!staging.made.has(path)) mkdirSync(path, { mode: 0o700 });
      staging.made.add(path);
      return undefined;
    case "symlink":
      symlinkSync(entry.linkname!, path);
      return undefined;
    case "hardlink":
      linkSync(join(staging.dir, entry.linkTarget!), path);
      return undefined;
    case "file": {
      const fd = createExclusive(path);
      fchmodSync(fd, mode);
      return fd;
    }
  }
}

function destLookup(dest: string): DestLookup {
  const kinds = new Map<string, ReturnType<DestLookup["kind"]>>();
  return {
    kind: (relative) => {
      let kind = kinds.get(relative);
      if (kind === undefined) {
        const stat = fsTry("extract into", join(dest, relative), () => lstatIfExists(join(dest, relative)));
        kind = !stat ? "missing" : stat.isDirectory() ? "directory" : stat.isSymbolicLink() ? "symlink" : stat.isFile() ? "file" : "other";
        kinds.set(relative, kind);
      }
      return kind;
    },
    readlink: (relative) => readlinkSync(join(dest, relative)),
  };
}

function describe(args: UnarchiveArgs, found: Survey): Change {
  const { entries, pending, destExists, parents } = found;
  if (pending.length === 0) return { kind: "none", reason: `all ${entries.length} entries are already in dest` };
  const listed = pending.slice(0, LISTED).map((e) => `${lstatIfExists(join(args.dest, e.target)) ? "~" : "+"} ${e.target}`);
  if (pending.length > LISTED) listed.push(`... and ${pending.length - LISTED} more`);
  return {
    kind: destExists ? "update" : "create",
    reason: `${pending.length} of ${entries.length} entries to extract${destExists ? "" : `, dest does not exist${parentsNote(parents)}`}`,
    detail: [`${args.src} -> ${args.dest}`, ...listed].join("\n"),
    paths: [args.dest],
  };
}

/** A real run's check reads the archive into staging once; its apply finds the result by the change check returned. */
const stagedFor = new WeakMap<Change, { staging: Staging; found: Survey }>();
/** Staging directories not yet removed: removed at exit too, should a run stop between check and apply. */
const leftovers = new Set<string>();
let leftoversHooked = false;

async function stageArchive(args: UnarchiveArgs): Promise<{ staging: Staging; found: Survey }> {
  const parents = fsTry("extract into", args.dest, () => (existsSync(args.dest) ? [] : missingParents("extract into", args.dest)));
  // Beside the outermost directory to create, so a refused archive leaves no trace at all.
  const staging: Staging = { dir: tempPathBeside(parents[0] ?? args.dest, "unarchive"), made: new Set(), taken: new Set() };
  fsTry("create directory", staging.dir, () => mkdirSync(staging.dir, { mode: 0o700 }));
  if (!leftoversHooked) process.once("exit", () => leftovers.forEach(removeStaging));
  leftoversHooked = true;
  leftovers.add(staging.dir);
  staging.made.add(staging.dir);
  try {
    return { staging, found: await survey(args, staging) };
  } catch (e) {
    removeStaging(staging.dir);
    throw e;
  }
}

function removeStaging(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  leftovers.delete(dir);
}

async function extract(ctx: ActionContext, args: UnarchiveArgs, change: Change): Promise<boolean> {
  const { staging, found } = stagedFor.get(change) ?? (await stageArchive(args));
  stagedFor.delete(change);
  try {
    if (found.pending.length === 0) return false;
    makeDirectories(ctx, [...found.parents, ...(found.destExists ? [] : [args.dest])]);
    const into = new DestDirectories(ctx, args.dest);
    try {
      for (const entry of found.pending) into.move(join(staging.dir, entry.target), entry);
    } finally {
      into.close();
    }
    return true;
  } finally {
    removeStaging(staging.dir);
  }
}

/** Directories held open below this many; past it they are closed and opened again as needed. */
const MAX_HELD_DIRECTORIES = 256;

/**
 * The directories of dest, each opened once without following links (walked from / on its
 * real path) and used through its handle: an entry is renamed into the directory that was
 * checked, even if a link is swapped in for one of its parents meanwhile.
 */
class DestDirectories {
  private readonly real: string;
  private readonly held = new Map<string, DirectoryHandle>();

  constructor(private readonly ctx: ActionContext, private readonly dest: string) {
    this.real = fsTry("extract into", dest, () => realpathSync(dest));
  }

  /** Renames the staged entry over dest's (a link there is replaced, never followed). */
  move(staged: string, entry: PlacedEntry): void {
    const to = join(this.dest, entry.target);
    if (entry.type === "directory") {
      this.directory(entry.target, entry.mode);
      return;
    }
    const at = this.handle(posix.dirname(entry.target)).at(posix.basename(entry.target));
    const existed = fsTry("extract", to, () => lstatIfExists(at));
    fsTry("extract", to, () => renameSync(staged, at));
    this.ctx.fileChanged({ path: to, operation: existed ? "modified" : "created", size_bytes: entry.size, kind: entry.type === "symlink" ? "link" : "file" });
  }

  close(): void {
    for (const handle of this.held.values()) handle.close();
    this.held.clear();
  }

  /** The open directory `relative` of dest, created (with its parents) when missing. */
  private handle(relative: string): DirectoryHandle {
    let handle = this.held.get(relative);
    if (handle) return handle;
    if (relative !== ".") this.directory(relative);
    if (this.held.size >= MAX_HELD_DIRECTORIES) this.close();
    handle = fsTry("extract into", join(this.dest, relative), () => openDirectoryNoFollow(relative === "." ? this.real : join(this.real, relative)));
    this.held.set(relative, handle);
    return handle;
  }

  /** Makes `relative` a directory of dest: one that is missing is created, anything else there (a link swapped in since the archive was checked) stops the extraction. */
  private directory(relative: string, mode = 0o755): void {
    const path = join(this.dest, relative);
    const at = this.handle(posix.dirname(relative)).at(posix.basename(relative));
    const stat = fsTry("extract into", path, () => lstatIfExists(at));
    if (stat?.isDirectory()) return;
    if (stat) throw new ActionError("danger", `Cannot extract into "${path}": it is no longer a directory (it changed during the extraction)`);
    fsTry("create directory", path, () => mkdirSync(at, { mode }));
    this.ctx.fileChanged({ path, operation: "created", size_bytes: 0, kind: "directory" });
  }
}

export const unarchive: ActionSpec<UnarchiveArgs> = {
  name: "unarchive",
  summary: "Extract a .tar, .tar.gz, .tgz or .zip archive",
  schema: UnarchiveArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["src", "dest", "creates"],
  touches: (args) => [{ kind: "fill", path: args.dest, how: "extract" }],
  check: async (ctx, args) => {
    if (args.creates !== undefined && existsSync(args.creates)) return { kind: "none", reason: `creates: "${args.creates}" exists` };
    if (ctx.dryRun) return describe(args, await survey(args));
    const staged = await stageArchive(args);
    const change = describe(args, staged.found);
    if (change.kind === "none") removeStaging(staged.staging.dir);
    else stagedFor.set(change, staged);
    return change;
  },
  apply: async (ctx, args, change) => ({ changed: await extract(ctx, args, change) }),
};
