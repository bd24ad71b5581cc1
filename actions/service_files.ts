import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { describeFsError } from "../core/config/source_file.ts";
import { writeFileAtomic } from "../core/fs/write_file_atomic.ts";
import { parseTemplate } from "../core/template/parse_template.ts";
import type { ActionContext, StepError } from "./action.ts";

/** A file a service action manages (unit, drop-in, plist) and how it differs from what is there. */
export interface ManagedFile {
  path: string;
  content: string;
  mode: number;
  state: "create" | "update" | "same";
}

/** The text of `content`, or of `src_template` rendered with the step's variables. */
export function fileText(source: { content?: string; src_template?: string }, vars: ActionContext["vars"], what: string): string {
  if (source.content !== undefined) return source.content;
  if (source.src_template === undefined) throw new Error(`${what} needs content or src_template`);
  let text: string;
  try {
    text = readFileSync(source.src_template, "utf8");
  } catch (e) {
    throw new Error(`Cannot read template "${source.src_template}": ${describeFsError(e)}`);
  }
  return parseTemplate(text).render(vars);
}

export function compareFile(path: string, content: string, mode = 0o644): ManagedFile {
  if (!existsSync(path)) return { path, content, mode, state: "create" };
  return { path, content, mode, state: readFileSync(path, "utf8") === content ? "same" : "update" };
}

/** Writes a changed file atomically and reports it; the error says which file could not be written. */
export function writeManagedFile(ctx: ActionContext, file: ManagedFile, action: string): StepError | undefined {
  try {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileAtomic(file.path, file.content, file.mode);
  } catch (e) {
    return { kind: "permission_denied", message: `${action}: cannot write "${file.path}": ${describeFsError(e)}` };
  }
  ctx.fileChanged({ path: file.path, operation: file.state === "create" ? "created" : "modified", size_bytes: Buffer.byteLength(file.content), kind: "file" });
  return undefined;
}

/** "would create /etc/...; update /etc/..." for the files that differ. */
export function describeFiles(files: readonly ManagedFile[]): string[] {
  return files.filter((f) => f.state !== "same").map((f) => `${f.state} ${f.path}`);
}
