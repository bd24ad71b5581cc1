import { Type, type Static } from "@sinclair/typebox";
import { basename, join } from "node:path";
import { statSync } from "node:fs";
import { Flag, Path, Sha256, Strict } from "../core/config/schema_types.ts";
import { sha256File } from "../core/fs/hash_file.ts";
import { lstatIfExists, statIfExists } from "../core/fs/stat_if_exists.ts";
import { ActionError, ALL_PLATFORMS, type ActionSpec } from "../core/exec/action.ts";
import { fsFailure, fsTry, fsTryAsync, fsBehaviour, inputTry, none, type Decide } from "./fs_action.ts";
import { ownershipFields, wantedAttributes } from "./ownership_fields.ts";
import { decideContent } from "./write_content.ts";

const CopyArgs = Strict({
  src: Path,
  dest: Path,
  ...ownershipFields,
  force: Type.Optional(Flag("Replace a dest whose content differs (default true); false only creates a missing dest")),
  backup: Type.Optional(Flag("Keep the previous dest as <dest>.<time>~ before replacing it")),
  checksum: Type.Optional({ ...Sha256, description: "The sha256 src must have; a mismatch fails the step before anything is written" }),
  preserve_times: Type.Optional(Flag("Give dest the modification time of src (and compare it)")),
  preserve_mode: Type.Optional(Flag("Give dest the mode of src when `mode` is not set")),
});
type CopyArgs = Static<typeof CopyArgs>;

/**
 * Compares by size, then by sha256 (streamed), and writes through a temporary file in dest's
 * directory renamed over dest, so a large file is never held in memory nor left half-written.
 */
const decide: Decide<CopyArgs> = async (ctx, args) => {
  const source = inputTry("copy", args.src, () => statSync(args.src));
  if (source.isDirectory()) throw fsFailure("copy", args.src, new Error("it is a directory (sync copies trees)"));
  // A device or FIFO never ends: /dev/zero would fill the disk.
  if (!source.isFile()) throw fsFailure("copy", args.src, new Error("it is not a regular file"));
  // A directory at dest (or a link to one: parent directories are resolved) receives the file.
  const intoDirectory = fsTry("read", args.dest, () => statIfExists(args.dest))?.isDirectory();
  const dest = intoDirectory ? join(args.dest, basename(args.src)) : args.dest;
  if (args.checksum !== undefined) {
    const expected = args.checksum.replace(/^sha256:/, "").toLowerCase();
    const actual = await fsTryAsync("read", args.src, () => sha256File(args.src));
    if (actual !== expected) throw new ActionError("checksum_mismatch", `Cannot copy "${args.src}": its sha256 is ${actual}, expected ${expected}`);
  }
  if (args.force === false && fsTry("read", dest, () => lstatIfExists(dest))) {
    return none("dest exists and force is false");
  }
  const wanted = wantedAttributes(args);
  return decideContent(ctx, {
    dest,
    content: { file: args.src, stat: source },
    wanted: args.preserve_mode && wanted.mode === undefined ? { ...wanted, mode: source.mode & 0o7777 } : wanted,
    ...(args.backup ? { backup: true } : {}),
    ...(args.preserve_times ? { mtime: source.mtime } : {}),
    follow: args.follow ?? false,
  });
};

export const copy: ActionSpec<CopyArgs> = {
  name: "copy",
  summary: "Copy a file, atomically, when the destination differs",
  schema: CopyArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["src", "dest"],
  touches: (args) => [{ kind: "write", path: args.dest, follow: args.follow === true }],
  ...fsBehaviour(decide),
};
