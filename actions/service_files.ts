import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { describeFsError } from "../core/config/source_file.ts";
import { writeFileAtomic } from "../core/fs/write_file_atomic.ts";
import { parseTemplate } from "../core/template/parse_template.ts";
import type { ActionContext, Change, Outcome, StepError } from "../core/exec/action.ts";

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

/** "create /etc/...", "update /etc/..." for the files that differ. */
function describeFiles(files: readonly ManagedFile[]): string[] {
  return files.filter((f) => f.state !== "same").map((f) => `${f.state} ${f.path}`);
}

/** What a step must do, decided once by check and carried out by apply. */
export interface ServicePlan {
  files: ManagedFile[];
  /** Arguments of the service manager's program (systemctl, launchctl), in order. */
  commands: string[][];
  reasons: string[];
}

/** The Change a service plan makes: none with what holds, or the files and commands it would write and run. */
export function planChange(ctx: ActionContext, plan: ServicePlan, subject: string, program: string): Change {
  if (plan.files.every((f) => f.state === "same") && plan.commands.length === 0) {
    return { kind: "none", reason: plan.reasons.join(", ") || `${subject}: nothing asked` };
  }
  const actions = [...describeFiles(plan.files), ...plan.commands.map((c) => ctx.describe([program, ...c]))];
  return { kind: plan.files.some((f) => f.state === "create") ? "create" : "update", reason: `${subject}: ${actions.join("; ")}`, detail: actions.join("\n") };
}

/** Writes the files, then runs each command; the first failure stops and fails the step. */
export async function applyService(ctx: ActionContext, plan: ServicePlan, action: string, program: string): Promise<Outcome> {
  for (const file of plan.files.filter((f) => f.state !== "same")) {
    const error = writeManagedFile(ctx, file, action);
    if (error) return { changed: true, error };
  }
  for (const argv of plan.commands) {
    const result = await ctx.run([program, ...argv]);
    if (result.error) return { changed: true, rc: result.rc, stderr: result.stderr, error: result.error };
    if (result.rc !== 0) {
      const detail = result.stderr.text.trim().split("\n").pop() ?? "";
      return { changed: true, rc: result.rc, stderr: result.stderr, error: { kind: "exit_code", message: `${program} ${argv.join(" ")} exited with code ${result.rc}${detail ? `: ${detail}` : ""}` } };
    }
  }
  return { changed: true };
}

