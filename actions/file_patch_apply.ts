import { Type, type Static } from "@sinclair/typebox";
import { Count, Flag, Path, Strict } from "../core/config/schema_types.ts";
import { ActionError, ALL_PLATFORMS, type ActionSpec } from "../core/exec/action.ts";
import { readRegularFile } from "../core/fs/read_regular_file.ts";
import { applyHunks, parseUnifiedPatch, reversedHunks, type Hunk } from "../core/fs/unified_patch.ts";
import { decideEdit, joinLines, MAX_EDITED_FILE_BYTES, splitLines, type EditResult } from "./edit_in_place.ts";
import { fsBehaviour, inputTry, type Decide } from "./fs_action.ts";

const FilePatchApplyArgs = Strict({
  path: Path,
  patch: Type.Optional(Type.String({ minLength: 1, description: "A unified diff of this one file" })),
  patch_file: Type.Optional(Path),
  context_lines: Type.Optional(Count("Context lines the hunks carry (default 3); up to context_lines - 1 of them may be ignored at each edge of a hunk (fuzz), unless strict", { minimum: 0, maximum: 100 })),
  strict: Type.Optional(Flag("Every hunk must match exactly, with all its context, at the line it names")),
  dry_run: Type.Optional(Flag("Only check that the patch applies (or is applied); never write")),
  backup: Type.Optional(Flag("Keep the previous file as <path>.<time>~")),
});
type FilePatchApplyArgs = Static<typeof FilePatchApplyArgs>;

/**
 * Applies a unified diff to a text, or finds it already applied (the reversed patch applies).
 * Exact placement is tried both ways before any fuzz, so an applied patch is never applied twice.
 */
export function patchText(text: string, patch: string, args: Pick<FilePatchApplyArgs, "context_lines" | "strict">): EditResult {
  let hunks: Hunk[];
  try {
    hunks = parseUnifiedPatch(patch);
  } catch (e) {
    throw new ActionError("validation", e instanceof Error ? e.message : String(e));
  }
  const { lines, newline, finalNewline } = splitLines(text);
  const reversed = reversedHunks(hunks);
  const fuzz = args.strict ? 0 : Math.max(0, (args.context_lines ?? 3) - 1);
  const attempts = [
    { fuzz: 0, exact: true },
    ...(args.strict ? [] : [{ fuzz, exact: false }]),
  ];
  let firstFailure: { failed: Hunk; index: number } | undefined;
  for (const options of attempts) {
    if ("lines" in applyHunks(lines, reversed, options)) return { unchanged: "already applied" };
    const forward = applyHunks(lines, hunks, options);
    if ("lines" in forward) {
      return { text: joinLines(forward.lines, newline, finalNewline), reason: `patch applies (${hunks.length} hunk${hunks.length === 1 ? "" : "s"})` };
    }
    firstFailure ??= forward;
  }
  const { failed, index } = firstFailure!;
  const expected = failed.oldLines.slice(0, 3).map((l) => `  ${l}`).join("\n");
  throw new ActionError(
    "validation",
    `Hunk ${index + 1} (${failed.header}) does not apply${args.strict ? " exactly (strict)" : ""}: the file has no lines matching\n${expected}${failed.oldLines.length > 3 ? "\n  ..." : ""}`,
  );
}

function patchSource(args: FilePatchApplyArgs): string {
  if ((args.patch === undefined) === (args.patch_file === undefined)) {
    throw new ActionError("validation", "Give exactly one of patch and patch_file");
  }
  if (args.patch !== undefined) return args.patch;
  const file = args.patch_file!;
  return inputTry("read patch", file, () => readRegularFile(file, MAX_EDITED_FILE_BYTES)).toString("utf8");
}

const decide: Decide<FilePatchApplyArgs> = async (ctx, args) => {
  const patch = patchSource(args);
  const decision = await decideEdit(ctx, args, (text) => patchText(text, patch, args));
  if (!args.dry_run || decision.change.kind === "none") return decision;
  return { change: { ...decision.change, kind: "none", reason: `${decision.change.reason}; dry_run is set, so nothing is written` } };
};

export const filePatchApply: ActionSpec<FilePatchApplyArgs> = {
  name: "file_patch_apply",
  summary: "Apply a unified diff to a file unless it is already applied",
  schema: FilePatchApplyArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["path", "patch_file"],
  touches: (args) => [{ kind: "write", path: args.path }],
  ...fsBehaviour(decide),
};
