export interface ShellWord {
  text: string;
  /** Offset in the line of the word's first character. */
  offset: number;
}

const BLANK = new Set([" ", "\t", "\r", "\n"]);
/** Inside double quotes a backslash escapes only these; before anything else it stays. */
const ESCAPED_IN_DOUBLE_QUOTES = new Set(['"', "\\"]);

/**
 * Splits a line as Python's `shlex.split(line, comments=True)` does, which Ansible uses for INI
 * host lines: quotes group and are removed, a backslash escapes the next character, and `#`
 * starts a comment wherever a word could continue. Throws on an unclosed quote or a trailing
 * backslash, with the message shlex gives.
 */
export function shlexSplit(line: string): ShellWord[] {
  const words: ShellWord[] = [];
  let at = 0;
  for (;;) {
    while (at < line.length && BLANK.has(line[at]!)) at++;
    if (at >= line.length || line[at] === "#") return words;
    const offset = at;
    let text = "";
    while (at < line.length && !BLANK.has(line[at]!) && line[at] !== "#") {
      const c = line[at]!;
      if (c === "\\") {
        if (at + 1 >= line.length) throw new Error("no escaped character");
        text += line[at + 1];
        at += 2;
      } else if (c === "'" || c === '"') {
        const close = quoteEnd(line, at, c);
        text += c === "'" ? line.slice(at + 1, close) : unescapeDoubleQuoted(line.slice(at + 1, close));
        at = close + 1;
      } else {
        text += c;
        at++;
      }
    }
    words.push({ text, offset });
  }
}

function quoteEnd(line: string, open: number, quote: string): number {
  for (let i = open + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === "\\") i++;
    else if (line[i] === quote) return i;
  }
  throw new Error("no closing quotation");
}

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\(.)/gs, (whole, next: string) => (ESCAPED_IN_DOUBLE_QUOTES.has(next) ? next : whole));
}
