import { Type, type Static } from "@sinclair/typebox";
import { Flag, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import { ActionError, ALL_PLATFORMS, type ActionSpec } from "../core/exec/action.ts";
import { editBehaviour, joinLines, lineMatcher, splitLines, type EditResult } from "./edit_in_place.ts";

const FileInsertArgs = Strict({
  path: Path,
  content: Type.String({ description: "The line or lines to insert" }),
  anchor: Type.Optional(NonEmptyString),
  position: Type.Optional(Type.Union([Type.Literal("before"), Type.Literal("after")], { description: "Where the content goes relative to the anchor (default after); without an anchor, the start or end of the file" })),
  regex: Type.Optional(Flag("anchor is a regular expression (default: a substring of the line)")),
  allow_multiple: Type.Optional(Flag("Insert at every line the anchor matches, not only the first")),
  marker: Type.Optional(Type.String({
    pattern: "\\{mark\\}",
    description: 'Manage the content as a block between two marker lines, "{mark}" replaced by BEGIN and END (Ansible\'s blockinfile), such as "# {mark} MANAGED BY mooncake"',
  })),
  backup: Type.Optional(Flag("Keep the previous file as <path>.<time>~")),
});
type FileInsertArgs = Static<typeof FileInsertArgs>;

/** Ansible's `lineinfile` (without marker) and `blockinfile` (with one), decided on the file's text. */
export function insertText(text: string, args: FileInsertArgs): EditResult {
  const { lines, newline, finalNewline } = splitLines(text);
  const content = splitLines(args.content).lines;
  const after = (args.position ?? "after") === "after";
  const edited = args.marker ? insertBlock(lines, content, args, after) : insertLines(lines, content, args, after);
  if ("unchanged" in edited) return edited;
  // A file without a final newline gets one when lines are added at its end.
  return { text: joinLines(edited.lines, newline, finalNewline || lines.length === 0 || edited.atEnd), reason: edited.reason };
}

type LinesEdit = { lines: string[]; reason: string; atEnd: boolean } | { unchanged: string };

function insertLines(lines: string[], content: string[], args: FileInsertArgs, after: boolean): LinesEdit {
  const anchors = anchorLines(lines, args);
  if (anchors === undefined) {
    if (indexOfBlock(lines, content) >= 0) return { unchanged: "content present" };
    const next = after ? [...lines, ...content] : [...content, ...lines];
    return { lines: next, reason: `content added at the ${after ? "end" : "start"} of the file`, atEnd: after };
  }
  const missing = anchors.filter((i) => !containsAt(lines, content, after ? i + 1 : i - content.length));
  if (missing.length === 0) return { unchanged: `content present ${after ? "after" : "before"} the anchor` };
  const next = [...lines];
  for (const i of [...missing].reverse()) next.splice(after ? i + 1 : i, 0, ...content);
  const where = missing.map((i) => i + 1).join(", ");
  return { lines: next, reason: `content inserted ${after ? "after" : "before"} line ${where}`, atEnd: after && missing.includes(lines.length - 1) };
}

function insertBlock(lines: string[], content: string[], args: FileInsertArgs, after: boolean): LinesEdit {
  const begin = args.marker!.replace("{mark}", "BEGIN");
  const end = args.marker!.replace("{mark}", "END");
  const block = [begin, ...content, end];
  const start = lines.indexOf(begin);
  if (start >= 0) {
    const stop = lines.indexOf(end, start + 1);
    if (stop < 0) throw new ActionError("validation", `Found the marker line "${begin}" (line ${start + 1}) but no "${end}" after it: fix the file or the marker`);
    if (containsAt(lines, block, start) && stop === start + block.length - 1) return { unchanged: "block up to date between its markers" };
    const next = [...lines.slice(0, start), ...block, ...lines.slice(stop + 1)];
    return { lines: next, reason: `block between its markers (lines ${start + 1}-${stop + 1}) updated`, atEnd: stop === lines.length - 1 };
  }
  const anchors = anchorLines(lines, args);
  const at = anchors === undefined ? (after ? lines.length : 0) : after ? anchors[0]! + 1 : anchors[0]!;
  const next = [...lines.slice(0, at), ...block, ...lines.slice(at)];
  return { lines: next, reason: `block added with its markers at line ${at + 1}`, atEnd: at === lines.length };
}

/** The indexes of the lines the anchor matches (the first only, unless allow_multiple); undefined without an anchor. */
function anchorLines(lines: string[], args: FileInsertArgs): number[] | undefined {
  if (args.anchor === undefined) return undefined;
  const matches = lineMatcher(args.anchor, args.regex, "anchor");
  const found = lines.flatMap((line, i) => (matches(line) ? [i] : []));
  if (found.length === 0) throw new ActionError("validation", `Anchor "${args.anchor}" matches no line of the file`);
  return args.allow_multiple ? found : [found[0]!];
}

function containsAt(lines: readonly string[], block: readonly string[], at: number): boolean {
  return at >= 0 && at + block.length <= lines.length && block.every((line, i) => lines[at + i] === line);
}

function indexOfBlock(lines: readonly string[], block: readonly string[]): number {
  for (let i = 0; i + block.length <= lines.length; i++) if (containsAt(lines, block, i)) return i;
  return -1;
}

export const fileInsert: ActionSpec<FileInsertArgs> = {
  name: "file_insert",
  summary: "Insert lines, or a block between markers, into a file unless already there (Ansible's lineinfile/blockinfile)",
  schema: FileInsertArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["path"],
  ...editBehaviour(insertText),
};
