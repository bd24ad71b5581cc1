import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TEMP_NAME } from "../../core/fs/temp_path.ts";
import { readManifestFile } from "./manifest.ts";
import { processAlive } from "./process_alive.ts";
import { listTrash, TRASH_DIR } from "./trash.ts";

export interface Repair {
  /** What was found half-done and what became of it, one sentence each. */
  done: string[];
  /** The manifest still lists entries gc moved to the trash: it must be rewritten. */
  manifestStale: boolean;
}

/**
 * What the next holder of the store lock does first (restic's rule: whatever a killed command
 * left half-done is finished or rolled back). Removes the temporary files of processes that are
 * gone, anywhere in the store; rolls back trash moves that never moved their content (the record
 * is written first, so the content is still in place); and says whether the manifest, which is
 * rewritten last, still lists entries now in the trash.
 */
export function repairStore(root: string): Repair {
  const done: string[] = [];
  if (!existsSync(root)) return { done, manifestStale: false };
  for (const dirent of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const pid = TEMP_NAME.exec(dirent.name)?.[1];
    if (!pid || dirent.isDirectory() || processAlive(Number(pid))) continue;
    const path = join(dirent.parentPath, dirent.name);
    rmSync(path, { force: true });
    done.push(`removed "${path}", left by a command that was killed (pid ${pid})`);
  }
  const trash = join(root, TRASH_DIR);
  const items = listTrash(root);
  const recorded = new Set(items.map((i) => i.trash_id));
  if (existsSync(trash)) {
    for (const dirent of readdirSync(trash, { withFileTypes: true })) {
      if (!dirent.isDirectory() || recorded.has(dirent.name) || readdirSync(join(trash, dirent.name)).length > 0) continue;
      rmSync(join(trash, dirent.name), { recursive: true, force: true });
      done.push(`removed "${join(trash, dirent.name)}", an empty trash item whose record was never written`);
    }
  }
  for (const item of items.filter((i) => !i.complete)) {
    rmSync(join(trash, item.trash_id), { recursive: true, force: true });
    done.push(`rolled back the move of "${item.original_path}" to the trash: it never left its place`);
  }
  const manifest = readManifestFile(join(root, ".manifest.json")).manifest;
  const listed = new Set(manifest?.entries.map((e) => e.path));
  const manifestStale = items.some((i) => i.complete && listed.has(i.original_path));
  return { done, manifestStale };
}
