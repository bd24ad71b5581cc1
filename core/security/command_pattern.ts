/**
 * A glob over a command line, as `safety.commands` writes them: `*` any run of characters, `?`
 * one, `[abc]`/`[!a-z]` a class, `\` makes the next character literal. A pattern matches the
 * whole line; on both sides a run of spaces and tabs counts as one space, and blank lines and
 * the spaces around line breaks do not count. In an
 * allow pattern, `*` and `?` do not match the shell's control characters (`; & | < > ( ) $ \``
 * and new lines), so `apt-get *` allows `apt-get install -y curl` but not `apt-get update; rm -rf /`.
 */
export function commandPattern(pattern: string, use: "deny" | "allow"): (commandLine: string) => boolean {
  const key = `${use}\0${pattern}`;
  let regex = compiled.get(key);
  if (!regex) compiled.set(key, (regex = patternRegex(pattern, use)));
  return (commandLine) => regex.test(normalizeCommandLine(commandLine));
}

/** Patterns are few and judged for every command: each is compiled once. */
const compiled = new Map<string, RegExp>();

function patternRegex(pattern: string, use: "deny" | "allow"): RegExp {
  const any = use === "allow" ? "[^;&|<>()$`\\n]" : "[\\s\\S]";
  let source = "";
  const text = normalizeCommandLine(pattern);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "*") source += `${any}*`;
    else if (c === "?") source += any;
    else if (c === "\\" && i + 1 < text.length) source += escape(text[++i]!);
    else if (c === "[") {
      const end = text.indexOf("]", i + 2);
      if (end === -1) source += "\\[";
      else {
        const body = text.slice(i + 1, end);
        const negated = body.startsWith("!") || body.startsWith("^");
        source += `[${negated ? "^" : ""}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, "\\$&")}]`;
        i = end;
      }
    } else source += escape(c);
  }
  return new RegExp(`^${source}$`);
}

/** Each line trimmed and its runs of spaces and tabs made one space; blank lines dropped. */
export function normalizeCommandLine(text: string): string {
  return text.split(/\r?\n/).map((line) => line.trim().replace(/[ \t]+/g, " ")).filter(Boolean).join("\n");
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
