import { existsSync, statSync } from "node:fs";
import { dirname, relative, sep } from "node:path";
import { walkTree } from "../fs/walk_tree.ts";
import type { Plan } from "../plan/plan.ts";

/** Step arguments that name a file of the config the step reads (copies, renders, applies, installs). */
const SOURCE_ARGS = ["src", "patch_file", "plist_src_template", "deb", "rpm"];

/** A config bundle larger than this is refused: it is uploaded to every host. */
export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;

/** What a host needs of the config to compile and run it there, with the same relative layout. */
export interface ConfigBundle {
  /** The folder every bundled file is under: the deepest one holding all the plan's sources. */
  readonly root: string;
  /** The root config file, relative to `root` ("/" separators). */
  readonly rootFile: string;
  /** Relative path ("/" separators) -> absolute path of each regular file. */
  readonly files: ReadonlyMap<string, string>;
  readonly bytes: number;
}

/** The bundle is too large, or a file of it cannot be read; the message names it. */
export class BundleError extends Error {}

/**
 * The files the hosts need: every source their plans record (config files, includes, vars files,
 * templates, `with_filetree` folders) and the files or folders its steps name as `src` (and the
 * like) below the same folder. Paths outside it name the host's own files and are not uploaded.
 * Only regular files are bundled; links in a bundled folder are left out.
 */
export function configBundle(plans: readonly Plan[]): ConfigBundle {
  const sources = plans.flatMap((p) => p.sources);
  const root = commonFolder(sources.map((s) => (s.kind === "filetree" ? s.file : dirname(s.file))));
  const files = new Map<string, string>();
  let bytes = 0;
  const add = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    const entries = stat.isDirectory() ? walkTree(path).filter((e) => e.stat.isFile()).map((e) => ({ path: e.path, size: e.stat.size })) : stat.isFile() ? [{ path, size: stat.size }] : [];
    for (const entry of entries) {
      const name = relative(root, entry.path).split(sep).join("/");
      if (files.has(name)) continue;
      files.set(name, entry.path);
      bytes += entry.size;
      if (bytes > MAX_BUNDLE_BYTES) throw new BundleError(`The config's files hold more than ${MAX_BUNDLE_BYTES} bytes (at "${entry.path}"): every host gets a copy; keep large files out of the config's folder and fetch them with download`);
    }
  };
  for (const source of sources) add(source.file);
  for (const step of plans.flatMap((p) => p.steps)) {
    const args = step.args as Record<string, unknown> | null;
    for (const key of SOURCE_ARGS) {
      const value = args && typeof args === "object" ? args[key] : undefined;
      if (typeof value === "string" && isInside(value, root) && existsSync(value)) add(value);
    }
  }
  return { root, rootFile: relative(root, plans[0]!.root_file).split(sep).join("/"), files, bytes };
}

/** The bundle as an uncompressed tar, the layout of `files`. */
export async function bundleTar(bundle: ConfigBundle): Promise<Uint8Array> {
  const entries: Record<string, Uint8Array> = {};
  // Read here: Bun.Archive takes a lazy file Blob as empty.
  for (const [name, path] of bundle.files) entries[name] = await Bun.file(path).bytes();
  return await new Bun.Archive(entries).bytes();
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep) && !rel.includes(`:${sep}`);
}

function commonFolder(folders: readonly string[]): string {
  let common = folders[0]!.split(sep);
  for (const folder of folders.slice(1)) {
    const parts = folder.split(sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(sep) || sep;
}
