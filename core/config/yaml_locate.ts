import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Document, type Node } from "yaml";
import type { Subject } from "./diagnostics.ts";
import type { ValuePath } from "./explain_schema.ts";
import { subjectAt, subjectOf, type SourceFile } from "./source_file.ts";

/** The node at `path` in the file (or its key node), falling back to the deepest node found. */
function nodeAt(file: SourceFile, path: ValuePath, atKey = false): Node | undefined {
  const doc = file.syntaxTree();
  let node = (doc.contents ?? undefined) as Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    if (isAlias(node)) node = node.resolve(doc) as Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? p.key.value : p.key) === step);
      if (!pair) return node;
      if (atKey && i === path.length - 1) return pair.key as Node;
      node = (pair.value ?? pair.key) as Node;
    } else if (isSeq(node) && typeof step === "number") {
      const item = node.items[step] as Node | undefined;
      if (!item) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}

/** Where the value (or key) at `path` of the file's document is; builds the syntax tree on first use. */
export function subjectAtPath(file: SourceFile, path: ValuePath, atKey = false): Subject {
  return subjectOf(file, nodeAt(file, path, atKey));
}

/**
 * Where character `offset` of a string scalar's value lies in the file. Exact for plain and
 * quoted one-line scalars and for block scalars; escapes and folded lines shift it slightly.
 */
export function subjectInScalar(file: SourceFile, path: ValuePath, offset: number): Subject {
  const node = nodeAt(file, path);
  if (!isScalar(node) || !node.range) return subjectOf(file, node);
  const start = node.range[0];
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
    case Scalar.QUOTE_SINGLE:
      return subjectAt(file, start + 1 + offset);
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED:
      return subjectInBlock(file, node, start, offset);
    default:
      return subjectAt(file, start + offset);
  }
}

function subjectInBlock(file: SourceFile, node: Scalar, start: number, offset: number): Subject {
  const value = String(node.value);
  const before = value.slice(0, offset);
  const lineIndex = before.split("\n").length - 1;
  const colInLine = offset - (before.lastIndexOf("\n") + 1);
  const header = subjectAt(file, start).line;
  const contentLine = header + 1 + lineIndex;
  const lineStart = file.lineStarts[contentLine - 1];
  if (lineStart === undefined) return subjectAt(file, start);
  const indent = /^ */.exec(file.text.slice(lineStart))![0].length;
  return { file: file.display, line: contentLine, col: indent + colInLine + 1 };
}

/**
 * The lines of a block-style mapping file up to the end of its top-level `key`, as a file whose
 * positions are those of the whole: locating inside `key` then builds the syntax tree of those
 * lines only (a `safety:` block above 20 000 steps is not worth parsing them all). The whole
 * file when `key` is not a block key at the top of it, or its lines do not parse alone.
 */
export function fileThroughKey(file: SourceFile, key: string): SourceFile {
  const starts = file.lineStarts;
  const lineOf = (i: number) => file.text.slice(starts[i], starts[i + 1] ?? file.text.length);
  const first = starts.findIndex((_, i) => lineOf(i).startsWith(`${key}:`));
  if (first === -1) return file;
  let end = first + 1;
  while (end < starts.length && !/^[^\s#]/.test(lineOf(end))) end++;
  if (end >= starts.length) return file;
  const text = file.text.slice(0, starts[end]);
  let tree: Document.Parsed | undefined;
  const part: SourceFile = { ...file, text, syntaxTree: () => (tree ??= parseDocument(text, { uniqueKeys: true, prettyErrors: false })) };
  return part.syntaxTree().errors.length === 0 && isMap(part.syntaxTree().contents) ? part : file;
}
