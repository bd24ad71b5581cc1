/** One hunk of a unified diff: the lines it expects and the lines it leaves, from its `@@` header. */
export interface Hunk {
  header: string;
  /** 1-based lines where the hunk starts in the old and the new file (for an empty side: the line before it). */
  oldStart: number;
  newStart: number;
  oldLines: string[];
  newLines: string[];
  /** Context lines before the first and after the last change, which fuzz may ignore. */
  leadingContext: number;
  trailingContext: number;
}

/** A hunk being read, with the old and new lines its header says are still to come. */
type OpenHunk = Hunk & { remainingOld: number; remainingNew: number };

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Parses the hunks of a unified diff for one file. `---`/`+++` headers are optional; a diff
 * naming more than one file, or with no hunk, is an error.
 */
export function parseUnifiedPatch(text: string): Hunk[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const hunks: OpenHunk[] = [];
  let files = 0;
  let current: OpenHunk | undefined;
  for (const [index, line] of lines.entries()) {
    if (current && (current.remainingOld > 0 || current.remainingNew > 0)) {
      const tag = line[0] ?? " ";
      const body = line.slice(1);
      if (tag === " " || line === "") {
        current.oldLines.push(body);
        current.newLines.push(body);
        current.remainingOld--;
        current.remainingNew--;
      } else if (tag === "-") {
        current.oldLines.push(body);
        current.remainingOld--;
      } else if (tag === "+") {
        current.newLines.push(body);
        current.remainingNew--;
      } else if (tag !== "\\") {
        throw new Error(`Line ${index + 1} of the patch: expected a context, "-" or "+" line inside ${current.header}`);
      }
      continue;
    }
    if (line.startsWith("--- ")) {
      files++;
      if (files > 1) throw new Error("The patch changes more than one file: give one file's diff per step");
      continue;
    }
    const header = HUNK_HEADER.exec(line);
    if (header) {
      current = {
        header: header[0],
        oldStart: Number(header[1]),
        newStart: Number(header[3]),
        oldLines: [],
        newLines: [],
        leadingContext: 0,
        trailingContext: 0,
        remainingOld: header[2] === undefined ? 1 : Number(header[2]),
        remainingNew: header[4] === undefined ? 1 : Number(header[4]),
      };
      hunks.push(current);
    }
  }
  if (current && (current.remainingOld > 0 || current.remainingNew > 0)) throw new Error(`The patch ends inside ${current.header}: it is truncated`);
  if (hunks.length === 0) throw new Error("The patch has no hunk (no @@ line)");
  return hunks.map(({ remainingOld: _o, remainingNew: _n, ...hunk }) => ({ ...hunk, ...contextCounts(hunk.oldLines, hunk.newLines) }));
}

function contextCounts(oldLines: string[], newLines: string[]): { leadingContext: number; trailingContext: number } {
  let leading = 0;
  while (leading < oldLines.length && leading < newLines.length && oldLines[leading] === newLines[leading]) leading++;
  let trailing = 0;
  while (
    trailing < oldLines.length - leading && trailing < newLines.length - leading &&
    oldLines[oldLines.length - 1 - trailing] === newLines[newLines.length - 1 - trailing]
  ) trailing++;
  return { leadingContext: leading, trailingContext: trailing };
}

export type PatchOutcome = { lines: string[] } | { failed: Hunk; index: number };

/**
 * Applies hunks in order. A hunk is looked for at its stated line (shifted by the hunks before
 * it), then, unless `exact`, at the nearest other place; `fuzz` edge context lines may be ignored.
 */
export function applyHunks(lines: readonly string[], hunks: readonly Hunk[], options: { fuzz: number; exact: boolean }): PatchOutcome {
  const result = [...lines];
  let shift = 0;
  for (const [index, hunk] of hunks.entries()) {
    const start = hunk.oldLines.length === 0 ? hunk.oldStart : hunk.oldStart - 1;
    const placed = placeHunk(result, hunk, start + shift, options);
    if (!placed) return { failed: hunk, index };
    result.splice(placed.at, placed.removed, ...placed.insert);
    shift += placed.insert.length - placed.removed;
  }
  return { lines: result };
}

/** The same hunks the other way round: what the file looked like before the patch. */
export function reversedHunks(hunks: readonly Hunk[]): Hunk[] {
  return hunks.map((h) => ({ ...h, oldStart: h.newStart, newStart: h.oldStart, oldLines: h.newLines, newLines: h.oldLines }));
}

function placeHunk(lines: readonly string[], hunk: Hunk, expected: number, options: { fuzz: number; exact: boolean }) {
  for (let fuzz = 0; fuzz <= options.fuzz; fuzz++) {
    const lead = Math.min(fuzz, hunk.leadingContext);
    const trail = Math.min(fuzz, hunk.trailingContext);
    const wanted = hunk.oldLines.slice(lead, hunk.oldLines.length - trail);
    const insert = hunk.newLines.slice(lead, hunk.newLines.length - trail);
    const at = findBlock(lines, wanted, Math.max(0, expected + lead), options.exact);
    if (at !== undefined) return { at, removed: wanted.length, insert };
  }
  return undefined;
}

/** Where `block` sits, trying `near` first and then ever further away (unless exact). */
function findBlock(lines: readonly string[], block: readonly string[], near: number, exact: boolean): number | undefined {
  const fits = (at: number) => at >= 0 && at + block.length <= lines.length && block.every((line, i) => lines[at + i] === line);
  if (fits(near)) return near;
  if (exact) return undefined;
  for (let distance = 1; distance <= lines.length; distance++) {
    if (fits(near - distance)) return near - distance;
    if (fits(near + distance)) return near + distance;
  }
  return undefined;
}
