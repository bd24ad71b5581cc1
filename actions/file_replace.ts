import { Type, type Static } from "@sinclair/typebox";
import { Count, Flag, NonEmptyString, Path, Strict } from "../core/config/schema_types.ts";
import { ActionError, ALL_PLATFORMS, type ActionSpec } from "../core/exec/action.ts";
import { compileRegex, editBehaviour, type EditResult } from "./edit_in_place.ts";

const FileReplaceArgs = Strict({
  path: Path,
  pattern: NonEmptyString,
  replace: Type.String({ description: "Replacement text; $1 or ${1} and ${name} insert capture groups" }),
  count: Type.Optional(Count("Replace only the first N matches (0 or absent: all)", { minimum: 0 })),
  flags: Type.Optional(Strict({
    regex: Type.Optional(Flag("pattern is a regular expression (default true); false matches it literally")),
    multiline: Type.Optional(Flag("^ and $ match at every line")),
    case_insensitive: Type.Optional(Flag()),
  })),
  allow_no_match: Type.Optional(Flag("A pattern that matches nothing is not a failure")),
  backup: Type.Optional(Flag("Keep the previous file as <path>.<time>~")),
});
type FileReplaceArgs = Static<typeof FileReplaceArgs>;

/** Ansible's `replace`: substitute a pattern everywhere (or the first `count` times) in a file. */
export function replaceText(text: string, args: FileReplaceArgs): EditResult {
  const regex = args.flags?.regex ?? true;
  const flags = `g${args.flags?.multiline ? "m" : ""}${args.flags?.case_insensitive ? "i" : ""}`;
  const source = regex ? args.pattern : args.pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = compileRegex(source, flags, "pattern");
  const replacement = regex ? goStyleGroups(args.replace) : args.replace.replace(/\$/g, "$$$$");
  const once = (input: string) => substitute(input, pattern, replacement, args.count ?? 0);

  const first = once(text);
  if (first.matches === 0) {
    if (args.allow_no_match) return { unchanged: `pattern matched 0 times and allow_no_match is set` };
    throw new ActionError("validation", `Pattern "${args.pattern}" matched nothing in the file (set allow_no_match: true if that is expected)`);
  }
  if (first.text === text) return { unchanged: `pattern matched ${first.matches} time${first.matches === 1 ? "" : "s"}; the text is already as wanted` };
  if (once(first.text).text !== first.text) {
    throw new ActionError(
      "validation",
      `Replacing "${args.pattern}" would change the file again on every run: the replaced text matches the pattern again (make the pattern exclude the result)`,
    );
  }
  return { text: first.text, reason: `pattern matched ${first.matches} time${first.matches === 1 ? "" : "s"}` };
}

function substitute(input: string, pattern: RegExp, replacement: string, count: number): { text: string; matches: number } {
  let matches = 0;
  const text = input.replace(pattern, (...match) => {
    matches += 1;
    if (count > 0 && matches > count) return match[0] as string;
    const groups = typeof match.at(-1) === "object" ? match.pop() : undefined;
    return expandReplacement(replacement, match as string[], groups as Record<string, string> | undefined);
  });
  return { text, matches: count > 0 ? Math.min(matches, count) : matches };
}

/** The `$1`, `$<name>`, `$&` and `$$` of a JavaScript replacement string, for one match. */
function expandReplacement(replacement: string, match: string[], groups: Record<string, string> | undefined): string {
  return replacement.replace(/\$(\$|&|<([^>]+)>|(\d{1,2}))/g, (whole, what: string, name?: string, index?: string) => {
    if (what === "$") return "$";
    if (what === "&") return match[0] ?? "";
    if (name !== undefined) return groups?.[name] ?? "";
    const n = Number(index);
    return n > 0 && n < match.length - 2 ? (match[n] ?? "") : whole;
  });
}

/** Go's `${1}` and `${name}` (what configs for the original mooncake use) as `$1` and `$<name>`. */
function goStyleGroups(replacement: string): string {
  return replacement.replace(/\$\{(\d+)\}/g, "$$$1").replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, "$$<$1>");
}

export const fileReplace: ActionSpec<FileReplaceArgs> = {
  name: "file_replace",
  summary: "Replace a pattern in a file in place (Ansible's replace)",
  schema: FileReplaceArgs,
  platforms: ALL_PLATFORMS,
  phase: "run",
  pathFields: ["path"],
  ...editBehaviour(replaceText),
};
