import { Type } from "@sinclair/typebox";
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { NonEmptyString, Path } from "../core/config/schema_types.ts";
import { ActionError, type ActionContext, type ActionSpec, type Change } from "../core/exec/action.ts";
import { fetchToFile } from "../core/fs/fetch_to_file.ts";
import { sha256File } from "../core/fs/hash_file.ts";
import { inDirectoryOf } from "../core/fs/directory_handle.ts";
import { copyFileInto, installFile } from "../core/fs/install_file.ts";
import { realParentPath } from "../core/fs/no_follow.ts";
import { lstatIfExists } from "../core/fs/stat_if_exists.ts";
import { tempPathBeside } from "../core/fs/temp_path.ts";
import { fsFailure, fsTry, fsTryAsync } from "./fs_action.ts";
import { makeDirectories, missingParents } from "./make_directories.ts";
import { decideContent } from "./write_content.ts";

/** The fields of every action that installs a program from a release archive or binary. */
export const toolInstallFields = {
  state: Type.Optional(Type.Union([Type.Literal("present"), Type.Literal("absent")], { description: "present (default) or absent" })),
  version_pin: Type.Optional(NonEmptyString),
  source: Type.Optional(Path),
  url: Type.Optional(Type.String({ pattern: "^(https?://|\\{\\{)", description: "Where to download the release from, instead of the default" })),
  sha256: Type.Optional(Type.String({ pattern: "^(sha256:)?[0-9a-fA-F]{64}$", description: "The sha256 the source or download must have" })),
  bin_dir: Type.Optional(Path),
};

export interface ToolInstallArgs {
  state?: "present" | "absent";
  version_pin?: string;
  source?: string;
  url?: string;
  sha256?: string;
  bin_dir?: string;
}

/** A program installed as one or more binaries taken from a release (an archive or the binary itself). */
export interface Tool {
  name: string;
  /** The binaries installed into bin_dir; the first answers `versionArgs`. */
  binaries: readonly string[];
  versionArgs: readonly string[];
  /** Directories of the archive installed beside the binaries: `lib/ollama` -> `<bin_dir>/../lib/ollama`. */
  trees?: readonly { from: string; to: string }[];
  /** The release to download when neither `source` nor `url` is given. */
  releaseUrl(version: string | undefined, os: string, arch: string): string;
}

export const DEFAULT_BIN_DIR = "/usr/local/bin";
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export interface ToolState {
  change: Change;
  /** Set when the binaries must be (re)installed. */
  install?: { from: string };
  remove?: string[];
}

/**
 * What a tool's step must do: install it when missing or at another version than pinned,
 * remove it for `state: absent`. The installed version is what the binary says it is.
 */
export async function checkTool(ctx: ActionContext, tool: Tool, args: ToolInstallArgs): Promise<ToolState> {
  const binDir = args.bin_dir ?? DEFAULT_BIN_DIR;
  const main = join(binDir, tool.binaries[0]!);
  const exists = fsTry("read", main, () => lstatIfExists(main)) !== undefined;
  if (args.state === "absent") {
    const present = tool.binaries.map((b) => join(binDir, b)).filter((p) => lstatIfExists(p) !== undefined);
    if (present.length === 0) return { change: { kind: "none", reason: `${tool.name} is not installed in ${binDir}` } };
    return { change: { kind: "delete", reason: `${tool.name} is installed`, detail: present.join(", ") }, remove: present };
  }
  const from = args.source ?? args.url ?? tool.releaseUrl(args.version_pin, String(ctx.vars.os ?? ""), String(ctx.vars.arch ?? ""));
  const wanted = args.version_pin ? ` ${args.version_pin}` : "";
  if (!exists) return { change: { kind: "create", reason: `${tool.name} is not installed in ${binDir}: would install${wanted} from ${from}`, detail: main }, install: { from } };
  const version = await installedVersion(ctx, main, tool);
  if (args.version_pin && !sameVersion(version, args.version_pin)) {
    return { change: { kind: "update", reason: `${tool.name} ${version || "(unknown version)"} is installed, ${args.version_pin} wanted: would install from ${from}`, detail: main }, install: { from } };
  }
  return { change: { kind: "none", reason: `${tool.name} ${version} is installed in ${binDir}` } };
}

async function installedVersion(ctx: ActionContext, path: string, tool: Tool): Promise<string> {
  const result = await ctx.run([path, ...tool.versionArgs], { probe: true });
  return /(\d+\.\d+(?:\.\d+)?(?:[-+.][\w.]+)?)/.exec(result.stdout.text)?.[1] ?? "";
}

function sameVersion(installed: string, pin: string): boolean {
  return installed === pin.replace(/^v/, "");
}

/** Makes the change `checkTool` found: the binaries from the source or download, each installed atomically with mode 0755. */
export async function applyTool(ctx: ActionContext, tool: Tool, args: ToolInstallArgs, state: ToolState): Promise<void> {
  for (const path of state.remove ?? []) {
    const size = lstatIfExists(path)?.size ?? 0;
    fsTry("remove", path, () => rmSync(path, { force: true }));
    ctx.fileChanged({ path, operation: "removed", kind: "file", size_bytes: size });
  }
  if (!state.install) return;
  const work = mkdtempSync(join(tmpdir(), `mooncake-${tool.name}-`));
  try {
    const release = args.source ?? (await download(ctx, state.install.from, join(work, basename(new URL(state.install.from).pathname) || "release")));
    if (args.sha256) {
      const actual = await sha256File(release);
      const expected = args.sha256.replace(/^sha256:/, "").toLowerCase();
      if (actual !== expected) throw new ActionError("checksum_mismatch", `Cannot install ${tool.name}: "${state.install.from}" has sha256 ${actual}, expected ${expected}`);
    }
    const extracted = isArchive(release) ? mkdtempSync(join(work, "x-")) : undefined;
    const found = extracted ? await extract(ctx, release, extracted, tool) : new Map([[tool.binaries[0]!, release]]);
    const binDir = args.bin_dir ?? DEFAULT_BIN_DIR;
    makeDirectories(ctx, missingParents("install", join(binDir, tool.binaries[0]!)));
    for (const tree of extracted ? (tool.trees ?? []) : []) installTree(ctx, extracted!, tree.from, join(binDir, tree.to));
    for (const [binary, from] of found) {
      const dest = join(binDir, binary);
      const existed = lstatIfExists(dest) !== undefined;
      await fsTryAsync("install", dest, () => installFile(dest, (fd) => copyFileInto(fd, from), { mode: 0o755 }));
      ctx.fileChanged({ path: dest, operation: existed ? "modified" : "created", kind: "file", size_bytes: lstatIfExists(dest)?.size ?? 0 });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Replaces the directory `dest` with the archive's `from` directory (when it has one): copied
 * into a fresh directory beside it, then swapped in by renames, all inside the parent held open
 * (a link at `dest` is replaced, and a parent swapped for a link meanwhile is not followed).
 */
function installTree(ctx: ActionContext, extracted: string, from: string, dest: string): void {
  const source = readdirSync(extracted, { recursive: true, withFileTypes: true })
    .find((e) => e.isDirectory() && join(e.parentPath, e.name).endsWith(`/${from}`));
  if (!source) return;
  const target = fsTry("install", dest, () => realParentPath(dest));
  makeDirectories(ctx, missingParents("install", target));
  fsTry("install", target, () => inDirectoryOf(target, (dir, name) => {
    const incoming = dir.at(basename(tempPathBeside(target, "new")));
    const outgoing = dir.at(basename(tempPathBeside(target, "old")));
    mkdirSync(incoming, { mode: 0o755 });
    try {
      cpSync(join(source.parentPath, source.name), incoming, { recursive: true, verbatimSymlinks: true });
    } catch (e) {
      rmSync(incoming, { recursive: true, force: true });
      throw e;
    }
    const existed = lstatIfExists(dir.at(name)) !== undefined;
    if (existed) renameSync(dir.at(name), outgoing);
    renameSync(incoming, dir.at(name));
    rmSync(outgoing, { recursive: true, force: true });
    ctx.fileChanged({ path: target, operation: existed ? "modified" : "created", kind: "directory", size_bytes: 0 });
  }));
}

async function download(ctx: ActionContext, url: string, dest: string): Promise<string> {
  try {
    await fetchToFile(url, dest, { headers: {}, timeoutMs: DOWNLOAD_TIMEOUT_MS, retries: 2, signal: ctx.signal });
  } catch (e) {
    throw new ActionError("network", `Cannot download "${url}": ${e instanceof Error ? e.message : String(e)} (air-gapped? give source: a local file)`);
  }
  return dest;
}

/** gzip, bzip2, xz and zstd magic numbers; a plain tar says "ustar" at offset 257. */
const COMPRESSED = [[0x1f, 0x8b], [0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58], [0x28, 0xb5, 0x2f, 0xfd]];

/** Whether a release file is an archive to extract (by its first bytes, since a URL such as `.../latest` names no format) or the binary itself. */
function isArchive(path: string): boolean {
  const head = Buffer.alloc(262);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return COMPRESSED.some((magic) => magic.every((byte, i) => head[i] === byte)) || head.toString("latin1", 257, 262) === "ustar";
}

/** Extracts the archive into a private directory and finds each binary in it: a regular file, never a link. */
async function extract(ctx: ActionContext, archive: string, dir: string, tool: Tool): Promise<Map<string, string>> {
  const result = await ctx.run(["tar", "-xf", archive, "-C", dir], { probe: true });
  if (result.rc !== 0) throw new ActionError("validation", `Cannot extract "${archive}": tar exited ${result.rc ?? "abnormally"}: ${result.stderr.text.trim()}`);
  const found = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && tool.binaries.includes(entry.name) && !found.has(entry.name)) found.set(entry.name, join(entry.parentPath, entry.name));
  }
  const missing = tool.binaries.filter((b) => !found.has(b));
  if (missing.length === tool.binaries.length) throw fsFailure("install", archive, new Error(`the archive holds no ${missing.join(" or ")}`));
  return found;
}

/** One change for a step made of parts (the binary, a config file): none when every part is none. */
export function combineChanges(changes: readonly Change[]): Change {
  const acting = changes.filter((c) => c.kind !== "none");
  if (acting.length === 0) return { kind: "none", reason: changes.map((c) => c.reason).join("; ") };
  const diff = acting.flatMap((c) => (c.diff ? [c.diff] : [])).join("");
  return {
    kind: acting[0]!.kind,
    reason: acting.map((c) => c.reason).join("; "),
    detail: acting.flatMap((c) => (c.detail ? [c.detail] : [])).join(", "),
    ...(diff ? { diff } : {}),
  };
}

/** `amd64` -> `x86_64`, `arm64` -> `aarch64`: the names release files use. */
export function machineName(arch: string): string {
  return arch === "amd64" ? "x86_64" : arch === "arm64" ? "aarch64" : arch;
}

/** A config file that goes with a tool: where, and the whole text mooncake writes there. */
export interface ToolConfig {
  dest: string;
  text: string;
}

/**
 * `check` and `apply` of an action installing `tool`, plus the config file `configOf` asks for
 * (written like `file` with content; nothing for `state: absent`).
 */
export function toolBehaviour<Args extends ToolInstallArgs>(tool: Tool, configOf: (args: Args) => ToolConfig | undefined): Pick<ActionSpec<Args>, "check" | "apply"> {
  const decide = async (ctx: ActionContext, args: Args) => {
    const state = await checkTool(ctx, tool, args);
    const config = args.state === "absent" ? undefined : configOf(args);
    const written = config && (await decideContent(ctx, { dest: config.dest, content: { bytes: Buffer.from(config.text) }, wanted: { mode: 0o644 } }));
    return { state, written };
  };
  return {
    check: async (ctx, args) => {
      const { state, written } = await decide(ctx, args);
      return combineChanges([state.change, ...(written ? [written.change] : [])]);
    },
    apply: async (ctx, args) => {
      const { state, written } = await decide(ctx, args);
      await applyTool(ctx, tool, args, state);
      await written?.make?.();
      return { changed: true };
    },
  };
}
