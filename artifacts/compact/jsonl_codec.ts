/**
 * A dictionary codec for JSONL that round-trips byte for byte. Each line holding one JSON
 * object becomes a shape (its keys and punctuation, shared by every
 * line of the same structure) plus its leaf values; leaves are stored column by column per
 * shape, integer columns as deltas, and a leaf value repeated `dictThreshold` times or more
 * as a reference into one dictionary. Any other line is kept verbatim. The output is text
 * meant for a general compressor, which finds far more repetition in columns than in rows.
 */

const HOLE = "\u0000";
const REF = "#";

interface Header {
  v: 1;
  lines: number;
  trailing_newline: boolean;
  shapes: string[];
  dict: string[];
  /** Per shape, per leaf: whether the column is stored as integer deltas. */
  delta: boolean[][];
  /** Character lengths of the sections that follow the header: ids, raw lines, then each column. */
  sections: number[];
}

/** Encodes JSONL text. */
export function encodeJsonl(text: string, dictThreshold: number): string {
  const lines = text.split("\n");
  const trailingNewline = lines.length > 1 && lines[lines.length - 1] === "";
  if (trailingNewline) lines.pop();

  const shapeIds = new Map<string, number>();
  const shapes: string[] = [];
  const columns: string[][][] = [];
  const ids: number[] = new Array(lines.length);
  const raw: string[] = [];
  const counts = new Map<string, number>();

  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const leaves: string[] = [];
    const shape = shapeOfLine(line, leaves);
    if (shape === undefined) {
      ids[n] = -1;
      raw.push(line);
      continue;
    }
    let id = shapeIds.get(shape);
    if (id === undefined) {
      id = shapes.length;
      shapeIds.set(shape, id);
      shapes.push(shape);
      columns.push(leaves.map(() => []));
    }
    ids[n] = id;
    const shapeColumns = columns[id]!;
    for (let i = 0; i < leaves.length; i++) {
      const leaf = leaves[i]!;
      shapeColumns[i]!.push(leaf);
      if (leaf.length > 3 && leaf.charCodeAt(0) === 34) counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
    }
  }

  const dict = [...counts].filter(([, c]) => c >= dictThreshold).sort((a, b) => b[1] - a[1]).map(([leaf]) => leaf);
  const dictIndex = new Map(dict.map((leaf, i) => [leaf, i]));
  const delta = columns.map((shapeColumns) => shapeColumns.map(isIntegerColumn));
  const sections = [ids.map((i) => (i < 0 ? "" : i.toString(36))).join("\n"), raw.join("\n")];
  columns.forEach((shapeColumns, s) => shapeColumns.forEach((column, i) => {
    sections.push(delta[s]![i] ? encodeDeltas(column) : column.map((leaf) => {
      const ref = dictIndex.get(leaf);
      return ref === undefined ? leaf : REF + ref.toString(36);
    }).join("\n"));
  }));
  const header: Header = { v: 1, lines: lines.length, trailing_newline: trailingNewline, shapes, dict, delta, sections: sections.map((s) => s.length) };
  return `${JSON.stringify(header)}\n${sections.join("")}`;
}

/** Decodes what `encodeJsonl` wrote; throws on a malformed input. */
export function decodeJsonl(encoded: string): string {
  const end = encoded.indexOf("\n");
  if (end < 0) throw new Error("the encoded text has no header");
  const header = JSON.parse(encoded.slice(0, end)) as Header;
  if (header.v !== 1) throw new Error(`unknown JSONL codec version ${String(header.v)}`);
  let offset = end + 1;
  const sections = header.sections.map((length) => {
    const section = encoded.slice(offset, offset + length);
    offset += length;
    return section;
  });
  if (offset !== encoded.length) throw new Error("the encoded text is truncated or has trailing bytes");
  const ids = header.lines === 0 ? [] : sections[0]!.split("\n");
  const raw = sections[1]!.split("\n");
  let next = 2;
  const columns = header.shapes.map((shape, s) => {
    const holes = shape.split(HOLE).length - 1;
    return Array.from({ length: holes }, (_, i) => {
      const tokens = sections[next++]!.split("\n");
      return header.delta[s]![i] ? decodeDeltas(tokens) : tokens.map((t) => (t.startsWith(REF) ? header.dict[parseInt(t.slice(1), 36)]! : t));
    });
  });
  const fragments = header.shapes.map((shape) => shape.split(HOLE));
  const cursors = header.shapes.map(() => 0);
  let rawCursor = 0;
  const out: string[] = new Array(header.lines);
  for (let n = 0; n < header.lines; n++) {
    const idText = ids[n]!;
    if (idText === "") {
      out[n] = raw[rawCursor++]!;
      continue;
    }
    const id = parseInt(idText, 36);
    const parts = fragments[id]!;
    const shapeColumns = columns[id]!;
    const row = cursors[id]!++;
    let line = parts[0]!;
    for (let i = 1; i < parts.length; i++) line += shapeColumns[i - 1]![row]! + parts[i]!;
    out[n] = line;
  }
  return out.join("\n") + (header.trailing_newline ? "\n" : "");
}

/**
 * Splits a line holding one JSON object into its shape and its leaf values, by scanning the
 * text: the shape is every character that is not a leaf, so the line rebuilds exactly from
 * the two whatever its spacing or number spellings. Undefined when the line is not an object.
 */
function shapeOfLine(line: string, leaves: string[]): string | undefined {
  if (line.charCodeAt(0) !== 123) return undefined;
  const ranges: number[] = [];
  if (scanObject(line, 0, ranges) !== line.length) return undefined;
  let shape = "";
  let from = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    shape += line.slice(from, ranges[i]) + HOLE;
    leaves.push(line.slice(ranges[i], ranges[i + 1]));
    from = ranges[i + 1]!;
  }
  return shape + line.slice(from);
}

/** Scans the object starting at `i` (a "{"), pushing the start and end of each leaf; returns the index after its "}", or -1. */
function scanObject(line: string, i: number, ranges: number[]): number {
  i = skipSpace(line, i + 1);
  if (line.charCodeAt(i) === 125) return i + 1;
  for (;;) {
    if (line.charCodeAt(i) !== 34) return -1;
    i = skipSpace(line, endOfString(line, i));
    if (i < 0 || line.charCodeAt(i) !== 58) return -1;
    i = skipSpace(line, i + 1);
    if (line.charCodeAt(i) === 123) {
      i = scanObject(line, i, ranges);
    } else {
      const start = i;
      i = endOfValue(line, i);
      if (i <= start) return -1;
      ranges.push(start, i);
    }
    if (i < 0) return -1;
    i = skipSpace(line, i);
    const c = line.charCodeAt(i);
    if (c === 125) return i + 1;
    if (c !== 44) return -1;
    i = skipSpace(line, i + 1);
  }
}

function skipSpace(line: string, i: number): number {
  if (i < 0) return i;
  let c = line.charCodeAt(i);
  while (c === 32 || c === 9 || c === 13) c = line.charCodeAt(++i);
  return i;
}

/** `i` at a quote: the index after the closing quote, or -1. */
function endOfString(line: string, i: number): number {
  for (;;) {
    const quote = line.indexOf('"', i + 1);
    if (quote < 0) return -1;
    let slashes = 0;
    while (line.charCodeAt(quote - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    i = quote;
  }
}

/** The end of a scalar or array value starting at `i`, or -1. */
function endOfValue(line: string, i: number): number {
  const c = line.charCodeAt(i);
  if (c === 34) return endOfString(line, i);
  if (c === 91) {
    let depth = 0;
    for (let j = i; j < line.length; j++) {
      const d = line.charCodeAt(j);
      if (d === 34) {
        j = endOfString(line, j) - 1;
        if (j < 0) return -1;
      } else if (d === 91 || d === 123) depth++;
      else if (d === 93 || d === 125) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  for (let d = line.charCodeAt(j); j < line.length && d !== 44 && d !== 125 && d !== 32 && d !== 9 && d !== 13; d = line.charCodeAt(++j)) {
    if (d === 123 || d === 91 || d === 34 || d === 58) return -1;
  }
  return j;
}

const INTEGER = /^-?(0|[1-9]\d{0,14})$/;

function isIntegerColumn(column: readonly string[]): boolean {
  return column.length > 1 && column.every((leaf) => INTEGER.test(leaf));
}

function encodeDeltas(column: readonly string[]): string {
  let previous = 0;
  return column.map((leaf) => {
    const value = Number(leaf);
    const delta = value - previous;
    previous = value;
    return delta.toString(36);
  }).join("\n");
}

function decodeDeltas(tokens: readonly string[]): string[] {
  let value = 0;
  return tokens.map((token) => {
    value += parseInt(token, 36);
    return String(value);
  });
}
