import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../../core/fs/write_file_atomic.ts";
import { StoreError } from "./store_error.ts";

/** `.trash/<trash-id>/trash.json`: what was moved there, from where, when and why. */
export interface TrashRecord {
  schema_version: 1;
  /** The directory name under `.trash/`. */
  trash_id: string;
  /** The entry id (or, for a compacted file's original, its path). */
  id: string;
  family: string;
  /** Path relative to the store root it came from, and goes back to on restore. */
  original_path: string;
  deleted_at: string;
  size: number;
  file_count: number;
  reason: string;
}

export interface TrashItem extends TrashRecord {
  /** False when the move into the trash was interrupted: the record exists, its content never arrived. */
  complete: boolean;
}

export const TRASH_DIR = ".trash";

/** "bench/2025-09-06" -> "bench__2025-09-06": an entry id as one directory name. */
export function trashIdOf(id: string, root: string): string {
  const base = id.replace(/[/\\]/g, "__").replace(/^\.+/, "_");
  let candidate = base;
  for (let n = 2; existsSync(join(root, TRASH_DIR, candidate)); n++) candidate = `${base}~${n}`;
  return candidate;
}

/**
 * Moves a directory or file of the store into `.trash/<trash-id>/`: the record first, then one
 * rename of the content, so an interruption leaves the content either in place or whole in the trash.
 */
export function moveToTrash(root: string, record: Omit<TrashRecord, "schema_version" | "trash_id">): TrashRecord {
  const trashId = trashIdOf(record.id, root);
  const dir = join(root, TRASH_DIR, trashId);
  mkdirSync(dir, { recursive: true });
  const full: TrashRecord = { schema_version: 1, trash_id: trashId, ...record };
  try {
    writeFileAtomic(join(dir, "trash.json"), `${JSON.stringify(full, null, 2)}\n`);
    renameSync(join(root, record.original_path), join(dir, contentName(record.original_path)));
  } catch (e) {
    // Nothing moved: the item goes, the content stays where it was.
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return full;
}

/** Everything in the trash, newest first. */
export function listTrash(root: string): TrashItem[] {
  const trash = join(root, TRASH_DIR);
  if (!existsSync(trash)) return [];
  const items: TrashItem[] = [];
  for (const dirent of readdirSync(trash, { withFileTypes: true })) {
    if (!dirent.isDirectory()) continue;
    const path = join(trash, dirent.name, "trash.json");
    let record: TrashRecord;
    try {
      record = JSON.parse(readFileSync(path, "utf8")) as TrashRecord;
    } catch {
      continue;
    }
    items.push({ ...record, trash_id: dirent.name, complete: existsSync(join(trash, dirent.name, contentName(record.original_path))) });
  }
  return items.sort((a, b) => (a.deleted_at < b.deleted_at ? 1 : a.deleted_at > b.deleted_at ? -1 : a.trash_id.localeCompare(b.trash_id)));
}

/** The trash item `id` names: a trash id, or the newest item of that entry id (or of the one id it starts). */
export function findTrashItem(root: string, id: string): TrashItem {
  const items = listTrash(root);
  const prefixed = items.filter((i) => i.id.startsWith(id));
  const item = items.find((i) => i.trash_id === id) ?? items.find((i) => i.id === id) ?? (new Set(prefixed.map((i) => i.id)).size === 1 ? prefixed[0] : undefined);
  if (!item && prefixed.length > 1) throw new StoreError(`Cannot restore "${id}": it matches ${prefixed.length} items of the trash; give the whole id`);
  if (!item) {
    const ids = items.slice(0, 5).map((i) => `"${i.id}"`).join(", ");
    throw new StoreError(`Cannot restore "${id}": it is not in the trash${ids ? ` (newest there: ${ids})` : " (the trash is empty)"}`);
  }
  return item;
}

/** Moves a trash item back where it came from; `overwrite` replaces what is there now. */
export function restoreFromTrash(root: string, item: TrashItem, overwrite = false): void {
  if (!item.complete) throw new StoreError(`Cannot restore "${item.id}": its move into the trash was interrupted and the content is still at "${item.original_path}"`);
  const target = join(root, item.original_path);
  if (existsSync(target)) {
    if (!overwrite) throw new StoreError(`Cannot restore "${item.id}": "${item.original_path}" exists; move it away or pass --force to replace it`);
    rmSync(target, { recursive: true, force: true });
  }
  mkdirSync(dirname(target), { recursive: true });
  renameSync(join(root, TRASH_DIR, item.trash_id, contentName(item.original_path)), target);
  rmSync(join(root, TRASH_DIR, item.trash_id), { recursive: true, force: true });
}

/** The trash items deleted longer ago than `retentionMs` at `now`, which gc purges. */
export function expiredTrash(root: string, retentionMs: number, now: number): TrashItem[] {
  return listTrash(root).filter((i) => now - Date.parse(i.deleted_at) > retentionMs);
}

/** Deletes a trash item for good. */
export function purgeTrashItem(root: string, item: TrashItem): void {
  rmSync(join(root, TRASH_DIR, item.trash_id), { recursive: true, force: true });
}

/** Where a trash item's content sits, relative to the store root: `.trash/<trash-id>/<name>`. */
export function trashContentPath(item: TrashRecord): string {
  return `${TRASH_DIR}/${item.trash_id}/${contentName(item.original_path)}`;
}

function contentName(originalPath: string): string {
  const name = basename(originalPath);
  return name === "trash.json" ? "trash.json.content" : name;
}
