import { Type, type Static } from "@sinclair/typebox";
import { Flag, Path, Strict } from "../core/config/schema_types.ts";
import { ALL_PLATFORMS, type ActionSpec, type Normalized } from "../core/exec/action.ts";
import { decideAbsent } from "./file_absent.ts";
import { decideDirectory, decidePerms } from "./file_directory.ts";
import { decideLink } from "./file_link.ts";
import { fsBehaviour, type Decide } from "./fs_action.ts";
import { ownershipFields, wantedAttributes } from "./ownership_fields.ts";
import { decideContent } from "./write_content.ts";

const state = <S extends string>(name: S, description: string) => Type.Literal(name, { description });

const FileArgs = Type.Union([
  Strict({
    path: Path,
    state: Type.Optional(Type.Union([state("file", "A file (the default)"), state("present", "Same as file")])),
    content: Type.Optional(Type.String({ description: "The whole content; without it the file must exist and its content is left alone" })),
    ...ownershipFields,
    backup: Type.Optional(Flag("Keep the previous content as <path>.<time>~ before replacing it")),
  }, "A file, with its content when `content` is given"),
  Strict({
    path: Path,
    state: state("touch", "A file that exists, created empty when missing; its content and times are left alone"),
    ...ownershipFields,
  }),
  Strict({
    path: Path,
    state: state("directory", "A directory, created with its parents when missing"),
    ...ownershipFields,
    recurse: Type.Optional(Flag("Apply mode, owner and group to everything below too")),
  }),
  Strict({
    path: Path,
    state: state("perms", "Only the mode and ownership of a path that exists"),
    ...ownershipFields,
    recurse: Type.Optional(Flag("Apply mode, owner and group to everything below too")),
  }),
  Strict({
    path: Path,
    state: state("absent", "Nothing at the path"),
    force: Type.Optional(Flag("Also remove a directory that is not empty")),
    allow_glob: Type.Optional(Flag("Read * ? [ ] { } in the path as a glob and remove every match")),
  }),
  Type.Object({
    path: Type.Optional(Path),
    dest: Type.Optional({ ...Path, description: "Same as path: where the link is (seed 004's name)" }),
    state: Type.Union([state("link", "A symbolic link at path pointing at src"), state("hardlink", "A hard link at path to the file src")]),
    src: Path,
    force: Type.Optional(Flag("Replace a file (or empty directory) in the way")),
  }, { additionalProperties: false, anyOf: [{ required: ["path"] }, { required: ["dest"] }], not: { required: ["path", "dest"] } }),
]);
/** The arguments `check` sees: a link's `dest` is its `path` by then (see normalizeLink). */
export type FileArgs = Exclude<Static<typeof FileArgs>, { state: "link" | "hardlink" }> | { path: string; state: "link" | "hardlink"; src: string; force?: boolean };

const decide: Decide<FileArgs> = async (ctx, args) => {
  switch (args.state) {
    case undefined:
    case "file":
    case "present":
      return decideContent(ctx, {
        dest: args.path,
        content: args.content === undefined ? undefined : { bytes: Buffer.from(args.content) },
        wanted: wantedAttributes(args),
        ...(args.backup ? { backup: true } : {}),
        follow: args.follow ?? false,
      });
    case "touch":
      return decideContent(ctx, { dest: args.path, content: undefined, wanted: wantedAttributes(args), follow: args.follow ?? false });
    case "directory":
      return decideDirectory(ctx, args.path, wantedAttributes(args), { recurse: args.recurse ?? false, follow: args.follow ?? false });
    case "perms":
      return decidePerms(ctx, args.path, wantedAttributes(args), { recurse: args.recurse ?? false, follow: args.follow ?? false });
    case "absent":
      return decideAbsent(ctx, args.path, { force: args.force ?? false, glob: args.allow_glob ?? false });
    case "link":
    case "hardlink":
      return decideLink(ctx, { path: args.path, src: args.src, hard: args.state === "hardlink", force: args.force ?? false });
  }
};

export const file: ActionSpec<FileArgs> = {
  name: "file",
  summary: "Ensure a file, directory, link or permissions, or that a path is absent",
  schema: FileArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["path", "src"],
  normalize: normalizeLink,
  touches: (args) => [
    args.state === "absent" ? { kind: "remove", path: args.path, glob: args.allow_glob === true }
    : args.state === "link" || args.state === "hardlink" ? { kind: "write", path: args.path }
    : { kind: "write", path: args.path, follow: "follow" in args && args.follow === true },
  ],
  ...fsBehaviour(decide),
};

/** A link's `dest` (seed 004) is its `path`: exactly one of them. */
function normalizeLink(fields: Readonly<Record<string, unknown>>): Normalized {
  const { dest, ...args } = fields.file as Record<string, unknown>;
  if (args.state !== "link" && args.state !== "hardlink") return { fields, problems: [] };
  if (dest !== undefined && args.path !== undefined) {
    return { fields, problems: [{ path: ["file", "path"], atKey: true, message: '"dest" and "path" name the same link: write one of them' }] };
  }
  if (dest === undefined && args.path === undefined) {
    return { fields, problems: [{ path: ["file"], message: 'Missing required key "path" (or "dest", its other name)' }] };
  }
  return { fields: { ...fields, file: { ...args, path: args.path ?? dest } }, problems: [] };
}
