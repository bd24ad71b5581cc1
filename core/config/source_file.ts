import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseDocument, type Document, type Node } from "yaml";
import { displayPath } from "../fs/display_path.ts";
import { error, type Diagnostic, type Subject } from "./diagnostics.ts";

export { displayPath };

/**
 * A YAML file read from disk. Its value comes from Bun's native parser (fast enough for
 * configs of tens of thousands of steps); the syntax tree with node positions is built by the
 * `yaml` package only when a diagnostic must point into the file.
 */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path shown to the user: relative to the working directory when under it. */
  display: string;
  text: string;
  value: unknown;
  /** Offset of the first character of each line. */
  lineStarts: readonly number[];
  syntaxTree(): Document.Parsed;
}

const MAX_BYTES = 16 * 1024 * 1024;
/** Document markers: a file with them is parsed by the `yaml` package, which rejects several documents. */
const DOCUMENT_MARKER = /^(---|\.\.\.)(\s|$)/m;

export function subjectAt(file: SourceFile, offset: number): Subject {
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
  const absolute = resolve(path);
  const display = displayPath(absolute);
  const fail = (code: Parameters<typeof error>[0], message: string) => ({
    diagnostics: [error(code, message, { file: display, line: 1, col: 1 })],
  });

  let bytes: Buffer;
  try {
    const stat = statSync(absolute);
    if (stat.isDirectory()) return fail("MC1001", `Cannot read "${display}": it is a directory, not a file`);
    if (stat.size > MAX_BYTES) {
      return fail("MC1004", `Cannot read "${display}": ${formatMiB(stat.size)} is over the ${formatMiB(MAX_BYTES)} limit for a config file`);
    }
    bytes = readFileSync(absolute);
  } catch (e) {
    return fail("MC1001", `Cannot read "${display}": ${describeFsError(e)}`);
  }

  let text: string;
  try {
    if (bytes.includes(0)) throw new Error("NUL byte");
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail("MC1003", `Cannot read "${display}": it is not a UTF-8 text file`);
  }
  if (text.trim() === "") return fail("MC1002", `"${display}" is empty: expected a list of steps or a mapping with "steps"`);
  return parseSource(absolute, display, text);
}

function parseSource(path: string, display: string, text: string): { file?: SourceFile; diagnostics: Diagnostic[] } {
  let tree: Document.Parsed | undefined;
  const file: SourceFile = {
    path, display, text, value: undefined, lineStarts: lineStartsOf(text),
    syntaxTree: () => (tree ??= parseDocument(text, { uniqueKeys: true, prettyErrors: false })),
  };
  if (!DOCUMENT_MARKER.test(text)) {
    try {
      file.value = Bun.YAML.parse(text);
      return { file, diagnostics: [] };
    } catch {
      // The `yaml` package below says where the syntax error is.
    }
  }
  const doc = file.syntaxTree();
  const diagnostics = doc.errors.map((e) => error("MC1005", `YAML syntax error: ${firstLine(e.message)}`, subjectAt(file, e.pos[0])));
  if (diagnostics.length === 0) file.value = doc.toJS({ maxAliasCount: 1000 });
  return { file, diagnostics };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").replace(/:$/, "");
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
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
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
