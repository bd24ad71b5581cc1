import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { parseDocument, type Document, type Node } from "yaml";
import { displayPath } from "../fs/display_path.ts";
import { readRegularFile, UnreadableFileError } from "../fs/read_regular_file.ts";
import { error, type Diagnostic, type Subject } from "./diagnostics.ts";
import { findUnquotedTemplate } from "./unquoted_template.ts";
import { findUnboundedValue, MAX_NESTING_DEPTH } from "./value_bounds.ts";
import { subjectAtPath } from "./yaml_locate.ts";

export { displayPath };

/** A text file read from disk for the compiler: a config, a vars file, a template. */
export interface TextFile {
  /** Absolute path. */
  path: string;
  /** Path shown to the user: relative to the working directory when under it. */
  display: string;
  text: string;
  /** Of the bytes read: a saved plan compares it to tell whether the file changed. */
  sha256: string;
  /** Offset of the first character of each line. */
  lineStarts: readonly number[];
}

/**
 * A YAML file read from disk. Its value comes from Bun's native parser (fast enough for
 * configs of tens of thousands of steps); the syntax tree with node positions is built by the
 * `yaml` package only when a diagnostic must point into the file.
 */
export interface SourceFile extends TextFile {
  value: unknown;
  syntaxTree(): Document.Parsed;
}

/** Config and vars files; a config of tens of thousands of steps is a few MiB. */
const MAX_BYTES = 64 * 1024 * 1024;
/** Document markers: a file with them is parsed by the `yaml` package, which rejects several documents. */
const DOCUMENT_MARKER = /^(---|\.\.\.)(\s|$)/m;

export function subjectAt(file: Pick<TextFile, "display" | "lineStarts">, offset: number): Subject {
  const starts = file.lineStarts;
  let [low, high] = [0, starts.length - 1];
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { file: file.display, line: low + 1, col: offset - starts[low]! + 1 };
}

export function subjectOf(file: SourceFile, node: Node | null | undefined): Subject {
  return subjectAt(file, node?.range?.[0] ?? 0);
}

/** Reads and parses a YAML file; every failure is one located diagnostic, never an exception. */
export function loadSourceFile(path: string): { file?: SourceFile; diagnostics: Diagnostic[] } {
  const { file, diagnostics } = readTextFile(path, "a config file");
  if (!file) return { diagnostics };
  if (file.text.trim() === "") {
    return { diagnostics: [error("MC1002", `"${file.display}" is empty: expected a list of steps or a mapping with "steps"`, { file: file.display, line: 1, col: 1 })] };
  }
  return parseYamlText(file);
}

/** Reads a regular UTF-8 text file of at most MAX_BYTES (`what` names it in the message); a failure is one diagnostic at its first line. */
export function readTextFile(path: string, what: string): { file?: TextFile; diagnostics: Diagnostic[] } {
  const absolute = resolve(path);
  const display = displayPath(absolute);
  const fail = (code: Parameters<typeof error>[0], message: string) => ({
    diagnostics: [error(code, message, { file: display, line: 1, col: 1 })],
  });

  let bytes: Buffer;
  try {
    bytes = readRegularFile(absolute, MAX_BYTES);
  } catch (e) {
    if (e instanceof UnreadableFileError) {
      const code = e.reason === "too_large" ? "MC1004" : "MC1001";
      return fail(code, `Cannot read "${display}": ${e.message}${e.reason === "too_large" ? ` for ${what}` : ""}`);
    }
    return fail("MC1001", `Cannot read "${display}": ${describeFsError(e)}`);
  }

  let text: string;
  try {
    if (bytes.includes(0)) throw new Error("NUL byte");
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail("MC1003", `Cannot read "${display}": it is not a UTF-8 text file`);
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return { file: { path: absolute, display, text, sha256, lineStarts: lineStartsOf(text) }, diagnostics: [] };
}

/** Parses a file already read; its diagnostics are located, never thrown. */
export function parseYamlText(text: TextFile): { file: SourceFile; diagnostics: Diagnostic[] } {
  let tree: Document.Parsed | undefined;
  const file: SourceFile = {
    ...text, value: undefined,
    syntaxTree: () => (tree ??= parseDocument(text.text, { uniqueKeys: true, prettyErrors: false })),
  };
  if (!DOCUMENT_MARKER.test(file.text)) {
    try {
      const value = Bun.YAML.parse(file.text);
      const unquoted = unquotedTemplateError(file, undefined);
      if (unquoted) return { file, diagnostics: [unquoted] };
      file.value = value;
      return { file, diagnostics: checkBounds(file) };
    } catch {
      // The `yaml` package below says where the syntax error is.
    }
  }
  const doc = file.syntaxTree();
  const unquoted = unquotedTemplateError(file, doc.errors[0]?.pos[0]);
  if (unquoted) return { file, diagnostics: [unquoted] };
  if (doc.errors.length > 0) return { file, diagnostics: syntaxErrors(file, doc.errors) };
  // Aliases are shared, not copied; checkBounds limits what they expand to.
  file.value = doc.toJS({ maxAliasCount: -1 });
  return { file, diagnostics: checkBounds(file) };
}

/**
 * Ansible's hint, as the one diagnostic of the file: an unquoted `{{` at or before the first
 * syntax error (`firstError`, undefined when the file parsed) causes it and all that follow.
 */
function unquotedTemplateError(file: SourceFile, firstError: number | undefined): Diagnostic | undefined {
  const found = findUnquotedTemplate(file.text, firstError !== undefined);
  if (!found || (firstError !== undefined && found.offset > firstError)) return undefined;
  return error(
    "MC1005",
    `YAML syntax error: an unquoted "{{" starts a YAML mapping, not a template: quote the whole value, as in ${found.quoted}`,
    subjectAt(file, found.offset),
  );
}

/** A document every walker can go through: no alias cycle, bounded depth and alias expansion. */
function checkBounds(file: SourceFile): Diagnostic[] {
  const problem = findUnboundedValue(file.value);
  return problem ? [error("MC1007", problem.message, subjectAtPath(file, problem.path))] : [];
}

function syntaxErrors(file: SourceFile, errors: Document.Parsed["errors"]): Diagnostic[] {
  // The parser runs out of stack on deeply nested flow collections (`[[[[...`): one error, in the user's terms.
  const tooDeep = errors.find((e) => e.message.startsWith("Maximum call stack size exceeded"));
  if (tooDeep) return [error("MC1007", `Values nest deeper than ${MAX_NESTING_DEPTH} levels`, subjectAt(file, tooDeep.pos[0]))];
  return errors.map((e) => error("MC1005", `YAML syntax error: ${firstLine(e.message)}`, subjectAt(file, e.pos[0])));
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").replace(/:$/, "");
}

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory, not a file";
    case "ENOTDIR":
      return "a parent of it is not a directory";
    case "ENOSPC":
    case "EDQUOT":
      return "no space left on device";
    case "EROFS":
      return "the file system is read-only";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
