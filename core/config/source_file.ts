import { readFileSync, statSync } from "node:fs";
import { relative, resolve, isAbsolute } from "node:path";
import { LineCounter, parseDocument, type Document, type Node } from "yaml";
import { error, type Diagnostic, type Subject } from "./diagnostics.ts";

/** A YAML file read from disk, with what is needed to point at any of its nodes. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path shown to the user: relative to the working directory when under it. */
  display: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

const MAX_BYTES = 16 * 1024 * 1024;

export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

export function subjectAt(file: SourceFile, offset: number): Subject {
  const { line, col } = file.lines.linePos(offset);
  return { file: file.display, line, col };
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

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const file: SourceFile = { path: absolute, display, text, doc, lines };
  const diagnostics = doc.errors.map((e) =>
    error("MC1005", `YAML syntax error: ${firstLine(e.message)}`, subjectAt(file, e.pos[0])),
  );
  return { file, diagnostics };
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
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
