import { Type, type Static } from "@sinclair/typebox";
import { Flag, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import { ActionError, ALL_PLATFORMS, type ActionSpec } from "../core/exec/action.ts";
import { editBehaviour, joinLines, lineMatcher, splitLines, type EditResult } from "./edit_in_place.ts";

const FileDeleteRangeArgs = Strict({
  path: Path,
  start_anchor: NonEmptyString,
  end_anchor: NonEmptyString,
  regex: Type.Optional(Flag("The anchors are regular expressions (default: substrings of the line)")),
  inclusive: Type.Optional(Flag("Delete the anchor lines too (default true)")),
  backup: Type.Optional(Flag("Keep the previous file as <path>.<time>~")),
});
type FileDeleteRangeArgs = Static<typeof FileDeleteRangeArgs>;

/** Deletes every range of lines from a start anchor to the next end anchor. */
export function deleteRanges(text: string, args: FileDeleteRangeArgs): EditResult {
  const { lines, newline, finalNewline } = splitLines(text);
  const isStart = lineMatcher(args.start_anchor, args.regex, "start_anchor");
  const isEnd = lineMatcher(args.end_anchor, args.regex, "end_anchor");
  const inclusive = args.inclusive ?? true;
  const kept: string[] = [];
  const ranges: string[] = [];
  let startFound = false;
  for (let i = 0; i < lines.length; i++) {
    if (!isStart(lines[i]!)) {
      kept.push(lines[i]!);
      continue;
    }
    startFound = true;
    let end = i + 1;
    while (end < lines.length && !isEnd(lines[end]!)) end++;
    if (end === lines.length) throw new ActionError("validation", `Start anchor "${args.start_anchor}" on line ${i + 1} has no end anchor "${args.end_anchor}" after it`);
    const [first, last] = inclusive ? [i, end] : [i + 1, end - 1];
    if (!inclusive) kept.push(lines[i]!, lines[end]!);
    if (first <= last) ranges.push(first === last ? `${first + 1}` : `${first + 1}-${last + 1}`);
    i = end;
  }
  if (ranges.length === 0) return { unchanged: startFound ? "nothing between the anchors" : "start anchor not found: nothing to delete" };
  return { text: joinLines(kept, newline, finalNewline && kept.length > 0), reason: `line${ranges.length === 1 && !ranges[0]!.includes("-") ? "" : "s"} ${ranges.join(", ")} deleted` };
}

export const fileDeleteRange: ActionSpec<FileDeleteRangeArgs> = {
  name: "file_delete_range",
  summary: "Delete the lines between two anchors in a file (Ansible's blockinfile state: absent)",
  schema: FileDeleteRangeArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["path"],
  ...editBehaviour(deleteRanges),
};
