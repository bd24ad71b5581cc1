import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ActionError, MissingInputError, type ActionContext } from "../core/exec/action.ts";
import { lstatIfExists, statIfExists } from "../core/fs/stat_if_exists.ts";
import type { PackageManager } from "./package_managers.ts";

/**
 * Runs `use` with the options that make `manager` resolve packages from the local repository
 * folder `dir` alone (air-gapped). The folder is trusted as a signed repository would be, so it
 * must be owned by root or the running user and writable by no one else; the manager's private
 * index lives in a scratch folder removed afterwards.
 */
export async function withLocalRepository<T>(ctx: ActionContext, manager: PackageManager, dir: string | undefined, use: (options: readonly string[]) => Promise<T>): Promise<T> {
  if (dir === undefined) return use([]);
  if (!manager.localRepository) throw new ActionError("validation", `package: ${manager.name} cannot install from a local repository folder (repo:); supported: apt, dnf, apk`);
  const folder = trustedFolder(dir);
  const scratch = mkdtempSync(join(tmpdir(), "mooncake-repo-"));
  try {
    const repository = manager.localRepository(folder, scratch);
    for (const name of repository.directories ?? []) mkdirSync(join(scratch, name), { recursive: true });
    for (const [name, text] of Object.entries(repository.files ?? {})) writeFileSync(join(scratch, name), text, { flag: "wx", mode: 0o600 });
    if (repository.index) {
      const result = await ctx.run(repository.index, { probe: true });
      if (result.rc !== 0) throw new ActionError(result.error?.kind ?? "exit_code", `Cannot read the local repository "${dir}": ${result.error?.message ?? result.stderr.text.trim().split("\n").pop() ?? `exit ${result.rc}`}`);
    }
    return await use(repository.options);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The real path of `dir`, refused unless it and every entry in it are safe from other users. */
function trustedFolder(dir: string): string {
  if (!statIfExists(dir)?.isDirectory()) throw new MissingInputError(dir, `Cannot use the local repository "${dir}": no such folder`);
  const folder = realpathSync(dir);
  const uid = process.getuid?.() ?? 0;
  for (const path of [folder, ...readdirSync(folder).map((name) => join(folder, name))]) {
    const stats = lstatIfExists(path);
    if (!stats) continue;
    if ((stats.uid !== 0 && stats.uid !== uid) || (stats.mode & 0o022) !== 0) {
      throw new ActionError("validation", `package: refusing the local repository "${dir}": ${path} is ${stats.mode & 0o022 ? "writable by other users" : `owned by uid ${stats.uid}`}, and its packages would be installed as trusted`);
    }
  }
  return folder;
}
