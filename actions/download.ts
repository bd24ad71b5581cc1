import { Type, type Static } from "@sinclair/typebox";
import { basename, dirname } from "node:path";
import { lstatSync, lutimesSync, rmSync } from "node:fs";
import { Count, Duration, Flag, HttpUrl, Path, Seconds, Sha256, Strict, StringMap } from "../core/config/schema_types.ts";
import { parseDuration } from "../core/exec/duration.ts";
import { fetchToFile, FetchError } from "../core/fs/fetch_to_file.ts";
import { applyAttributes, attributeDifferences } from "../core/fs/file_attributes.ts";
import { sha256File } from "../core/fs/hash_file.ts";
import { resolveDestination } from "../core/fs/destination.ts";
import { openDirectoryNoFollow } from "../core/fs/directory_handle.ts";
import { realPathOfExisting } from "../core/fs/no_follow.ts";
import { installTemporary } from "../core/fs/install_file.ts";
import { tempPathBeside } from "../core/fs/temp_path.ts";
import { ActionError, ALL_PLATFORMS, type ActionContext, type ActionSpec } from "../core/exec/action.ts";
import { fsBehaviour, fsFailure, fsTry, fsTryAsync, none, type Decide } from "./fs_action.ts";
import { makeDirectories, missingParents, parentsNote } from "./make_directories.ts";
import { ownershipFields, wantedAttributes } from "./ownership_fields.ts";

const DownloadArgs = Strict({
  url: HttpUrl,
  dest: Path,
  sha256: Type.Optional({ ...Sha256, description: "The sha256 the file must have, hex (optionally prefixed sha256:)" }),
  checksum: Type.Optional({ ...Sha256, description: "Same as sha256 (the upstream name)" }),
  ...ownershipFields,
  timeout_s: Type.Optional(Seconds("Seconds one attempt may take, body included (default 60)")),
  timeout: Type.Optional({ ...Duration, description: "Same as timeout_s, as a duration (the upstream name)" }),
  retries: Type.Optional(Count("Attempts after the first on network errors, timeouts and 5xx answers (default 2)", { minimum: 0, maximum: 100 })),
  headers: Type.Optional(StringMap),
  force: Type.Optional(Flag("Without sha256: download again (conditionally, If-Modified-Since) even though dest exists")),
});
type DownloadArgs = Static<typeof DownloadArgs>;

const DEFAULT_TIMEOUT_S = 60;
const DEFAULT_RETRIES = 2;

/**
 * Decides from dest alone, never from the network (a dry-run makes no request): with sha256, a
 * dest that has it is kept; without, an existing dest is kept unless `force`. A symbolic link
 * at dest is replaced by the download unless `follow`.
 */
const decide: Decide<DownloadArgs> = async (ctx, args) => {
  const expected = (args.sha256 ?? args.checksum)?.replace(/^sha256:/, "").toLowerCase();
  const wanted = wantedAttributes(args);
  const { path: dest, stat, link } = fsTry("read", args.dest, () => resolveDestination(args.dest, args.follow));
  if (stat?.isDirectory()) throw fsFailure("download to", dest, new Error("a directory is in the way"));
  if (stat && !stat.isFile() && link === undefined) throw fsFailure("download to", dest, new Error("something other than a file is in the way"));
  const fetchChange = (reason: string, kind: "create" | "update") => ({ kind, reason: `${reason}: would download`, detail: `${args.url} -> ${dest}`, paths: [dest] });
  if (!stat) {
    const parents = missingParents("download to", dest);
    return { change: fetchChange(`file does not exist${parentsNote(parents)}`, "create"), make: () => fetchInto(ctx, args, dest, expected, { parents }) };
  }
  if (link !== undefined) {
    return { change: fetchChange(`a symbolic link to "${link}" is in the way and is replaced (follow: true writes what it points at)`, "update"), make: () => fetchInto(ctx, args, dest, expected, {}) };
  }
  const actual = expected ? await fsTryAsync("read", dest, () => sha256File(dest)) : undefined;
  if (expected && actual !== expected) return { change: fetchChange(`sha256 is ${actual}, expected ${expected}`, "update"), make: () => fetchInto(ctx, args, dest, expected, {}) };
  if (!expected && args.force) {
    return { change: fetchChange("force: true (the server may answer not modified)", "update"), make: () => fetchInto(ctx, args, dest, expected, { modifiedSince: stat.mtime }) };
  }
  const differences = attributeDifferences(stat, wanted);
  const kept = expected ? "sha256 matches" : "file exists (give sha256 to verify it)";
  if (differences.length === 0) return none(kept);
  return {
    change: { kind: "update", reason: `${kept}; ${differences.join(", ")}`, detail: dest, paths: [dest] },
    make: () => {
      fsTry("change the permissions of", dest, () => applyAttributes(dest, stat, wanted));
      ctx.fileChanged({ path: dest, operation: "modified", size_bytes: stat.size, kind: "file" });
    },
  };
};

/** Fetches into a temporary file beside dest, verifies it, then renames it over dest. */
async function fetchInto(ctx: ActionContext, args: DownloadArgs, dest: string, expected: string | undefined, options: { parents?: string[]; modifiedSince?: Date }): Promise<boolean> {
  makeDirectories(ctx, options.parents ?? []);
  const existed = fsTry("read", dest, () => resolveDestination(dest)).stat;
  const keepMode = existed?.isFile() ? existed.mode & 0o7777 : 0o644;
  // The directory is held open for the whole download: the file lands in it even if a parent is swapped meanwhile.
  const held = fsTry("write file", dest, () => openDirectoryNoFollow(realPathOfExisting(dirname(dest))));
  const temporary = held.at(basename(tempPathBeside(dest, "part")));
  const installed = held.at(basename(dest));
  try {
    const result = await fetchToFile(args.url, temporary, {
      headers: Object.fromEntries(Object.entries(args.headers ?? {}).map(([k, v]) => [k, String(v)])),
      timeoutMs: (args.timeout_s ?? (args.timeout ? parseDuration(args.timeout) / 1000 : DEFAULT_TIMEOUT_S)) * 1000,
      retries: args.retries ?? DEFAULT_RETRIES,
      signal: ctx.signal,
      ...(options.modifiedSince ? { modifiedSince: options.modifiedSince } : {}),
    });
    if (result.status === "not_modified") return false;
    const actual = expected ? await sha256File(temporary) : undefined;
    if (expected && actual !== expected) throw new ActionError("checksum_mismatch", `Cannot download "${args.url}": its sha256 is ${actual}, expected ${expected}`);
    const wanted = wantedAttributes(args);
    fsTry("write file", dest, () => installTemporary(temporary, installed, { ...wanted, mode: wanted.mode ?? keepMode }));
    if (result.lastModified) fsTry("set the time of", dest, () => lutimesSync(installed, result.lastModified!, result.lastModified!));
    ctx.fileChanged({ path: dest, operation: existed ? "modified" : "created", size_bytes: lstatSync(installed).size, kind: "file" });
    return true;
  } catch (e) {
    if (e instanceof FetchError && e.writing) throw new ActionError("io", `Cannot download "${args.url}" to "${dest}": ${e.message}`);
    if (e instanceof FetchError) throw new ActionError(e.timedOut ? "timeout" : ctx.signal.aborted ? "interrupted" : "network", `Cannot download "${args.url}": ${e.message}`);
    throw e;
  } finally {
    rmSync(temporary, { force: true });
    held.close();
  }
}

export const download: ActionSpec<DownloadArgs> = {
  name: "download",
  summary: "Download a URL to a file, verified and atomic",
  schema: DownloadArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["dest"],
  touches: (args) => [{ kind: "write", path: args.dest }],
  ...fsBehaviour(decide),
};
