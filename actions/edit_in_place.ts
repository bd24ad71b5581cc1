import { ActionError, MissingInputError, type ActionContext, type ActionSpec } from "../core/exec/action.ts";
import { resolveDestination } from "../core/fs/destination.ts";
import { readRegularFile } from "../core/fs/read_regular_file.ts";
import { fsBehaviour, fsTry, none, type Decision } from "./fs_action.ts";
import { decideContent } from "./write_content.ts";

/** In-place edits read the whole file; larger files are refused rather than slurped. */
export const MAX_EDITED_FILE_BYTES = 64 * 1024 * 1024;

/** What an edit makes of a file's text: new text and why, or nothing to do and why. */
export type EditResult = { text: string; reason: string } | { unchanged: string };

export interface EditTarget {
  path: string;
  backup?: boolean;
}

/**
 * Decides an in-place edit of an existing text file: reads it (bounded), applies `edit`, and
 * when the text changes writes it like `file` with content does (atomically, mode and owner
 * kept, optional backup), with a unified diff in the change.
 */
export async function decideEdit(ctx: ActionContext, target: EditTarget, edit: (text: string) => EditResult): Promise<Decision> {
  const result = edit(readText(target.path));
  if ("unchanged" in result) return { change: { ...none(result.unchanged).change, detail: target.path } };
  const decision = await decideContent(ctx, {
    dest: target.path,
    content: { bytes: Buffer.from(result.text) },
    wanted: {},
    ...(target.backup ? { backup: true } : {}),
  });
  return { ...decision, change: { ...decision.change, reason: result.reason } };
}

/** `touches`, `check` and `apply` of an action whose whole behaviour is one edit of the file at `path`. */
export function editBehaviour<Args extends EditTarget>(edit: (text: string, args: Args) => EditResult): Pick<ActionSpec<Args>, "touches" | "check" | "apply"> {
  return {
    touches: (args) => [{ kind: "write", path: args.path }],
    ...fsBehaviour<Args>((ctx, args) => decideEdit(ctx, args, (text) => edit(text, args))),
  };
}

function readText(path: string): string {
  const { stat, link } = fsTry("read", path, () => resolveDestination(path));
  if (!stat) throw new MissingInputError(path, `Cannot edit "${path}": the file does not exist`);
  // The edited text would replace the link as a new file: what it points at must not leak into it.
  if (link !== undefined) throw new ActionError("io", `Cannot edit "${path}": it is a symbolic link to "${link}"; edit that file instead`);
  if (!stat.isFile()) throw new ActionError("io", `Cannot edit "${path}": it is not a regular file`);
  // Bounded even if the file grows after the stat.
  const bytes = fsTry("read", path, () => readRegularFile(path, MAX_EDITED_FILE_BYTES));
  const text = bytes.toString("utf8");
  if (!Buffer.from(text).equals(bytes)) throw new ActionError("io", `Cannot edit "${path}": it is not UTF-8 text`);
  return text;
}

/** The lines of a text and whether it ended in a newline, so an edit keeps the ending it found. */
export function splitLines(text: string): { lines: string[]; newline: string; finalNewline: boolean } {
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const finalNewline = text.endsWith("\n");
  const body = finalNewline ? text.slice(0, text.endsWith("\r\n") ? -2 : -1) : text;
  return { lines: body === "" && !finalNewline ? [] : body.split(newline), newline, finalNewline };
}

export function joinLines(lines: readonly string[], newline: string, finalNewline: boolean): string {
  if (lines.length === 0) return "";
  return lines.join(newline) + (finalNewline ? newline : "");
}

/** A line matcher from a literal substring or, with `regex`, a regular expression. */
export function lineMatcher(pattern: string, regex: boolean | undefined, field: string): (line: string) => boolean {
  if (!regex) return (line) => line.includes(pattern);
  const compiled = compileRegex(pattern, "", field);
  return (line) => compiled.test(line);
}

export function compileRegex(pattern: string, flags: string, field: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (e) {
    throw new ActionError("validation", `${field}: invalid regular expression "${pattern}": ${e instanceof Error ? e.message : String(e)}`);
  }
}
