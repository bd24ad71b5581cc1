/**
 * Canonical markdown: ATX headers (`# Title`, one space, no closing hashes; setext
 * underlines turned into `#`/`##`), trailing spaces dropped, runs of blank lines folded to one,
 * and, when asked, sections with no content removed (a header followed only by blank lines
 * before the next header of the same or a higher level). Lossy by design: callers keep the
 * original. Fenced code blocks are left exactly as they are.
 */
/** The level of a line inside a fenced code block: content, never folded or trimmed. */
const FENCED = -1;

export function canonicalMarkdown(text: string, options: { removeEmptySections: boolean; canonicalHeaders: boolean }): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const out: { text: string; level: number }[] = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMatch = /^\s*(```+|~~~+)/.exec(line);
    if (fence !== undefined) {
      out.push({ text: line, level: FENCED });
      if (fenceMatch && fenceMatch[1]!.startsWith(fence)) fence = undefined;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      out.push({ text: line, level: FENCED });
      continue;
    }
    const trimmed = line.replace(/[ \t]+$/, "");
    const atx = /^(#{1,6})[ \t]*(.*?)(?:[ \t]+#+)?$/.exec(trimmed);
    if (atx && (options.canonicalHeaders || /^#{1,6} /.test(trimmed))) {
      const level = atx[1]!.length;
      out.push({ text: options.canonicalHeaders ? `${atx[1]} ${atx[2]!.trim()}` : trimmed, level });
      continue;
    }
    const next = lines[i + 1];
    if (options.canonicalHeaders && trimmed.trim() !== "" && next !== undefined && /^(=+|-+)\s*$/.test(next) && !/^\s*[-*+] /.test(trimmed)) {
      const level = next.trim().startsWith("=") ? 1 : 2;
      out.push({ text: `${"#".repeat(level)} ${trimmed.trim()}`, level });
      i++;
      continue;
    }
    out.push({ text: trimmed, level: 0 });
  }
  let kept = out;
  if (options.removeEmptySections) {
    // From the end, so a section whose subsections were all empty is empty too.
    const reversed: { text: string; level: number }[] = [];
    for (let i = out.length - 1; i >= 0; i--) {
      const line = out[i]!;
      if (line.level > 0) {
        let j = reversed.length - 1;
        while (j >= 0 && reversed[j]!.level === 0 && reversed[j]!.text.trim() === "") j--;
        const next = reversed[j];
        if (!next || (next.level > 0 && next.level <= line.level)) continue;
      }
      reversed.push(line);
    }
    kept = reversed.reverse();
  }
  const folded: string[] = [];
  let previousBlank = true;
  for (const line of kept) {
    const blank = line.level === 0 && line.text === "";
    if (blank && previousBlank) continue;
    folded.push(line.text);
    previousBlank = blank;
  }
  while (folded.length && folded[folded.length - 1] === "" && kept[kept.length - 1]?.level !== FENCED) folded.pop();
  return `${folded.join("\n")}\n`;
}
