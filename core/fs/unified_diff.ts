/** How much a dry-run shows of a content change. */
export interface DiffLimits {
  /** Larger inputs are summarised by size instead of compared line by line. */
  maxInputBytes: number;
  /** The diff is cut after this many lines, and says how many it left out. */
  maxOutputLines: number;
}

export const DEFAULT_DIFF_LIMITS: DiffLimits = { maxInputBytes: 1024 * 1024, maxOutputLines: 400 };

const CONTEXT = 3;
/** Above this many cells the line matrix would be too large: the differing middle is shown as replaced whole. */
const MAX_MATRIX_CELLS = 4_000_000;

type Op = { tag: " " | "-" | "+"; line: string };

/**
 * A unified diff (`--- a`, `+++ b`, `@@` hunks with 3 lines of context) from `before` to `after`;
 * "" when they are equal. Binary or oversized content gets a one-line summary instead.
 */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, limits: DiffLimits = DEFAULT_DIFF_LIMITS): string {
  if (before === after) return "";
  const header = diffHeader(labels);
  if (before.includes("\0") || after.includes("\0")) return `${header}Binary content differs (${byteLength(before)} -> ${byteLength(after)} bytes)\n`;
  if (byteLength(before) > limits.maxInputBytes || byteLength(after) > limits.maxInputBytes) {
    return sizeSummaryDiff(labels, byteLength(before), byteLength(after));
  }
  const lines = hunks(diffLines(splitLines(before), splitLines(after)));
  if (lines.length <= limits.maxOutputLines) return header + lines.join("\n") + "\n";
  const kept = lines.slice(0, limits.maxOutputLines);
  return `${header}${kept.join("\n")}\n... ${lines.length - kept.length} more diff lines not shown\n`;
}

/** What stands for the diff of content too large to compare line by line. */
export function sizeSummaryDiff(labels: { from: string; to: string }, beforeBytes: number, afterBytes: number): string {
  return `${diffHeader(labels)}Content differs (${beforeBytes} -> ${afterBytes} bytes, too large to compare line by line)\n`;
}

function diffHeader(labels: { from: string; to: string }): string {
  return `--- ${labels.from}\n+++ ${labels.to}\n`;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text);
}

/** Lines without their "\n"; a missing final newline is marked as diff(1) does. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  else lines[lines.length - 1] += "\n\\ No newline at end of file";
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (lines: string[]): Op[] => lines.map((line) => ({ tag: " ", line }));
  return [...same(a.slice(0, start)), ...middle(a.slice(start, endA), b.slice(start, endB)), ...same(a.slice(endA))];
}

/** The longest common subsequence of the differing middle, by dynamic programming. */
function middle(a: string[], b: string[]): Op[] {
  const removed = a.map((line): Op => ({ tag: "-", line }));
  const added = b.map((line): Op => ({ tag: "+", line }));
  if (a.length === 0 || b.length === 0 || (a.length + 1) * (b.length + 1) > MAX_MATRIX_CELLS) return [...removed, ...added];
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ tag: " ", line: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) ops.push(removed[i++]!);
    else ops.push(added[j++]!);
  }
  return [...ops, ...removed.slice(i), ...added.slice(j)];
}

function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  const changed = ops.flatMap((op, index) => (op.tag === " " ? [] : [index]));
  let cursor = 0;
  while (cursor < changed.length) {
    const first = changed[cursor]!;
    let last = first;
    while (cursor + 1 < changed.length && changed[cursor + 1]! - last <= 2 * CONTEXT) last = changed[++cursor]!;
    cursor++;
    const from = Math.max(0, first - CONTEXT);
    const to = Math.min(ops.length, last + CONTEXT + 1);
    let lineA = 1;
    let lineB = 1;
    for (const op of ops.slice(0, from)) {
      if (op.tag !== "+") lineA++;
      if (op.tag !== "-") lineB++;
    }
    const body = ops.slice(from, to);
    const countA = body.filter((op) => op.tag !== "+").length;
    const countB = body.filter((op) => op.tag !== "-").length;
    out.push(`@@ -${range(lineA, countA)} +${range(lineB, countB)} @@`, ...body.map((op) => op.tag + op.line));
  }
  return out;
}

function range(start: number, count: number): string {
  const first = count === 0 ? start - 1 : start;
  return count === 1 ? `${first}` : `${first},${count}`;
}
