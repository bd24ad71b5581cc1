/**
 * The decoder of the JSONL dictionary codec of version 2 frames (`jsonl-dict`), kept to read
 * what earlier builds wrote; version 3 writes `jsonl_columns.ts`. A line holding one JSON object
 * was stored as a shape (its keys and punctuation, a NUL per leaf) plus its leaf values, column
 * by column per shape, integer columns as base-36 deltas, values repeated `dict_threshold` times
 * or more as `#` references into one dictionary; other lines verbatim.
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

/** The text of a version 2 `jsonl-dict` frame; throws on a malformed input. */
export function decodeJsonlDict(encoded: string): string {
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

function decodeDeltas(tokens: readonly string[]): string[] {
  let value = 0;
  return tokens.map((token) => {
    value += parseInt(token, 36);
    return String(value);
  });
}
