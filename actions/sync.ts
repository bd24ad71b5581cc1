import { Type, type Static } from "@sinclair/typebox";
import { lchownSync, lutimesSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { Flag, Path, Strict } from "../core/config/schema_types.ts";
import { applyAttributes } from "../core/fs/file_attributes.ts";
import { copyFileInto, installFile } from "../core/fs/install_file.ts";
import { lstatIfExists, statIfExists } from "../core/fs/stat_if_exists.ts";
import { planSync, type SyncOperation } from "../core/fs/sync_plan.ts";
import { ActionError, ALL_PLATFORMS, type ActionContext, type ActionSpec } from "../core/exec/action.ts";
import { fsBehaviour, fsFailure, fsTry, fsTryAsync, none, type Decide } from "./fs_action.ts";

const SyncArgs = Strict({
  src: Path,
  dest: Path,
  delete: Type.Optional(Flag("Remove what dest has and src does not (excluded entries are kept)")),
  exclude: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'rsync-style patterns: "*.log" (a name at any depth), "cache/" (directories only), "/build" (from the root)' })),
  checksum: Type.Optional(Flag("Compare files by content instead of size and modification time")),
  engine: Type.Optional(Type.Union([Type.Literal("auto"), Type.Literal("rsync"), Type.Literal("builtin")], {
    description: "auto (default): rsync when it is on PATH, else the built-in copy; both give the same tree",
  })),
});
type SyncArgs = Static<typeof SyncArgs>;

/** How many changed paths a dry-run lists before it counts the rest. */
const LISTED = 100;
const GLYPHS = { created: "+", modified: "~", removed: "-" } as const;

const decide: Decide<SyncArgs> = async (ctx, args) => {
  const source = fsTry("sync", args.src, () => statIfExists(args.src));
  if (!source?.isDirectory()) throw fsFailure("sync", args.src, new Error(source ? "it is not a directory" : "no such directory"));
  const destStat = fsTry("sync into", args.dest, () => statIfExists(args.dest));
  if (destStat && !destStat.isDirectory()) throw fsFailure("sync into", args.dest, new Error("a file is in the way"));
  const options = { delete: args.delete ?? false, exclude: args.exclude ?? [], checksum: args.checksum ?? false, ownership: process.getuid?.() === 0 };
  const { operations, directories } = await fsTryAsync("sync", args.src, () => planSync(args.src, args.dest, options));
  const rootDiffers = !destStat || (destStat.mode & 0o7777) !== (source.mode & 0o7777);
  if (operations.length === 0 && !rootDiffers) return none("dest already matches src");
  const engine = chooseEngine(args.engine ?? "auto");
  const counts = (["created", "modified", "removed"] as const).map((op) => [op, operations.filter((o) => o.operation === op).length] as const);
  const listed = operations.slice(0, LISTED).map((o) => `${GLYPHS[o.operation]} ${o.relative}`);
  if (operations.length > LISTED) listed.push(`... and ${operations.length - LISTED} more`);
  return {
    change: {
      kind: destStat ? "update" : "create",
      reason: `${destStat ? "" : "dest does not exist; "}${counts.map(([op, n]) => `${n} ${op === "created" ? "to create" : op === "modified" ? "to update" : "to remove"}`).join(", ")} (with ${engine})`,
      detail: [args.dest, ...listed].join("\n"),
      paths: [args.dest],
    },
    make: async () => {
      if (engine === "rsync") await syncWithRsync(ctx, args);
      else await syncBuiltin(args, operations, directories, options.ownership);
      if (!destStat) ctx.fileChanged({ path: args.dest, operation: "created", size_bytes: 0, kind: "directory" });
      for (const o of operations) ctx.fileChanged({ path: join(args.dest, o.relative), operation: o.operation, size_bytes: o.size, kind: o.kind });
    },
  };
};

function chooseEngine(engine: "auto" | "rsync" | "builtin"): "rsync" | "builtin" {
  if (engine === "builtin") return "builtin";
  if (Bun.which("rsync")) return "rsync";
  if (engine === "rsync") throw new ActionError("command_not_found", "Cannot sync with rsync: rsync is not on PATH (engine: auto falls back to the built-in copy)");
  return "builtin";
}

/** `rsync -a` without devices and specials, which the built-in copy skips too. */
async function syncWithRsync(ctx: ActionContext, args: SyncArgs): Promise<void> {
  const argv = ["rsync", "-rlptgo", ...(args.delete ? ["--delete"] : []), ...(args.checksum ? ["--checksum"] : []),
    ...(args.exclude ?? []).map((p) => `--exclude=${p}`), `${args.src}/`, `${args.dest}/`];
  const result = await ctx.run(argv, { capture: true });
  if (result.error) throw new ActionError(result.error.kind, result.error.message);
  if (result.rc !== 0) {
    const detail = result.stderr.text.trim().split("\n").pop() ?? "";
    throw new ActionError("exit_code", `Cannot sync "${args.src}" into "${args.dest}": rsync exited with code ${result.rc}${detail ? `: ${detail}` : ""}`);
  }
}

async function syncBuiltin(args: SyncArgs, operations: readonly SyncOperation[], directories: readonly string[], ownership: boolean): Promise<void> {
  fsTry("create directory", args.dest, () => mkdirSync(args.dest, { recursive: true }));
  for (const o of operations) {
    const target = join(args.dest, o.relative);
    if (o.operation === "removed") {
      fsTry("remove", target, () => rmSync(target, { recursive: true, force: true }));
      continue;
    }
    const source = o.source!;
    const existing = lstatIfExists(target);
    if (existing && (o.kind !== "directory" || !existing.isDirectory())) fsTry("replace", target, () => rmSync(target, { recursive: true, force: true }));
    if (o.kind === "directory") fsTry("create directory", target, () => mkdirSync(target, { recursive: true }));
    else if (o.kind === "link") fsTry("create link", target, () => symlinkSync(readlinkSync(source.path), target));
    else {
      const ids = ownership ? { uid: source.stat.uid, gid: source.stat.gid } : {};
      await fsTryAsync("write file", target, () => installFile(target, (fd) => copyFileInto(fd, source.path), { ...ids, mode: source.stat.mode & 0o7777 }));
      fsTry("set the time of", target, () => lutimesSync(target, source.stat.atime, source.stat.mtime));
    }
    if (o.kind === "link") {
      if (ownership) fsTry("change the owner of", target, () => lchownSync(target, source.stat.uid, source.stat.gid));
      fsTry("set the time of", target, () => lutimesSync(target, source.stat.atime, source.stat.mtime));
    }
  }
  // Directory modes and times last, deepest first, as rsync does once their content is written.
  for (const relative of [...directories].reverse()) {
    const target = join(args.dest, relative);
    const stat = statIfExists(join(args.src, relative));
    const current = lstatIfExists(target);
    if (!stat || !current?.isDirectory()) continue;
    fsTry("change the permissions of", target, () => applyAttributes(target, current, { mode: stat.mode & 0o7777, ...(ownership ? { uid: stat.uid, gid: stat.gid } : {}) }));
    fsTry("set the time of", target, () => lutimesSync(target, stat.atime, stat.mtime));
  }
}

export const sync: ActionSpec<SyncArgs> = {
  name: "sync",
  summary: "Make a directory tree match a source tree",
  schema: SyncArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["src", "dest"],
  touches: (args) => [{ kind: "fill", path: args.dest, how: args.delete === true ? "sync_delete" : "sync" }],
  ...fsBehaviour(decide),
};
