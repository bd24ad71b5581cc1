/**
 * An INI inventory value typed as Ansible types it: Python's `ast.literal_eval`, falling back
 * to the text itself when the text is not a literal. So `8080` is a number, `True` a boolean,
 * `'8080'` a string, `[1, 2]` a list, and `true`, `007` or `1.2.3.4` stay strings. An integer
 * past 2^53 stays its text rather than lose digits.
 */
export function pythonLiteralValue(text: string): unknown {
  const parser = new LiteralParser(text.replace(/^[ \t]+/, ""));
  try {
    const value = parser.value();
    parser.skipBlank();
    return parser.atEnd() ? value : text;
  } catch (e) {
    if (e instanceof NotALiteral) return text;
    throw e;
  }
}

class NotALiteral extends Error {}

const NUMBER = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?)/;
const DECIMAL_INTEGER = /^(?:0(?:_?0)*|[1-9](?:_?\d)*)$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const STRING_START = /^([rRuUbB]{0,2})('''|"""|'|")/;
const ESCAPES: Record<string, string> = { "\n": "", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

class LiteralParser {
  private at = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.at === this.text.length;
  }

  /** Spaces, tabs and a trailing `# comment`, as Python's tokenizer skips them. */
  skipBlank(): void {
    while (this.at < this.text.length) {
      const c = this.text[this.at]!;
      if (c === " " || c === "\t" || c === "\f") this.at++;
      else if (c === "#") this.at = this.text.length;
      else break;
    }
  }

  value(): unknown {
    this.skipBlank();
    const rest = this.text.slice(this.at);
    const c = rest[0];
    if (c === undefined) throw new NotALiteral();
    if (c === "[") return this.sequence("[", "]");
    if (c === "(") return this.sequence("(", ")");
    if (c === "{") return this.braces();
    if (c === "-" || c === "+") {
      this.at++;
      this.skipBlank();
      const operand = this.number();
      return c === "-" ? -operand : operand;
    }
    if (STRING_START.test(rest)) return this.strings();
    if (/^[0-9.]/.test(rest)) return this.number();
    const name = NAME.exec(rest)?.[0];
    if (name === "True" || name === "False" || name === "None") {
      this.at += name.length;
      return name === "True" ? true : name === "False" ? false : null;
    }
    throw new NotALiteral();
  }

  private number(): number {
    const rest = this.text.slice(this.at);
    const match = NUMBER.exec(rest)?.[0];
    // A name character right after the digits (`1j`, `12abc`, `0777`) makes it no plain number.
    if (!match || /^[A-Za-z0-9_]/.test(rest.slice(match.length))) throw new NotALiteral();
    const digits = match.replaceAll("_", "");
    this.at += match.length;
    if (/^0[xXoObB]/.test(digits)) return this.exactInteger(Number(digits));
    if (/^\d+$/.test(digits)) {
      if (!DECIMAL_INTEGER.test(match)) throw new NotALiteral();
      return this.exactInteger(Number(digits));
    }
    return Number(digits);
  }

  private exactInteger(value: number): number {
    if (!Number.isSafeInteger(value)) throw new NotALiteral();
    return value;
  }

  /** Adjacent string literals join, as in Python: `'a' "b"` is `ab`. */
  private strings(): string {
    let joined = "";
    for (;;) {
      joined += this.string();
      this.skipBlank();
      if (!STRING_START.test(this.text.slice(this.at))) return joined;
    }
  }

  private string(): string {
    const [whole, prefix, quote] = STRING_START.exec(this.text.slice(this.at))! as unknown as [string, string, string];
    if (/f/i.test(prefix) || new Set(prefix.toLowerCase()).size !== prefix.length) throw new NotALiteral();
    const raw = /r/i.test(prefix);
    this.at += whole.length;
    let out = "";
    while (this.at < this.text.length) {
      if (this.text.startsWith(quote, this.at)) {
        this.at += quote.length;
        return out;
      }
      const c = this.text[this.at]!;
      if (c === "\n" && quote.length === 1) break;
      if (c === "\\" && this.at + 1 < this.text.length) {
        const next = this.text[this.at + 1]!;
        this.at += 2;
        out += raw ? `\\${next}` : this.escape(next);
        continue;
      }
      out += c;
      this.at++;
    }
    throw new NotALiteral();
  }

  private escape(next: string): string {
    if (next in ESCAPES) return ESCAPES[next]!;
    const hexLength = { x: 2, u: 4, U: 8 }[next];
    if (hexLength !== undefined) {
      const hex = this.text.slice(this.at, this.at + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) throw new NotALiteral();
      this.at += hexLength;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    if (/[0-7]/.test(next)) {
      const octal = next + (/^[0-7]{0,2}/.exec(this.text.slice(this.at))![0]);
      this.at += octal.length - 1;
      return String.fromCodePoint(parseInt(octal, 8));
    }
    return `\\${next}`;
  }

  /** A list `[...]` or a tuple `(...)`; a tuple becomes a list. `(x)` is just `x`. */
  private sequence(open: string, close: string): unknown {
    this.at++;
    const items: unknown[] = [];
    let sawComma = false;
    for (;;) {
      this.skipBlank();
      if (this.text[this.at] === close) {
        this.at++;
        return open === "(" && items.length === 1 && !sawComma ? items[0] : items;
      }
      if (items.length > 0) {
        if (this.text[this.at] !== ",") throw new NotALiteral();
        this.at++;
        sawComma = true;
        this.skipBlank();
        if (this.text[this.at] === close) continue;
      }
      items.push(this.value());
    }
  }

  /** A dict `{k: v}` or a set `{a, b}` (a set becomes a list). */
  private braces(): unknown {
    this.at++;
    const entries: [unknown, unknown][] = [];
    const members: unknown[] = [];
    for (;;) {
      this.skipBlank();
      if (this.text[this.at] === "}") {
        this.at++;
        return members.length > 0 ? members : Object.fromEntries(entries.map(([k, v]) => [String(k), v]));
      }
      if (entries.length + members.length > 0) {
        if (this.text[this.at] !== ",") throw new NotALiteral();
        this.at++;
        this.skipBlank();
        if (this.text[this.at] === "}") continue;
      }
      const key = this.value();
      this.skipBlank();
      if (this.text[this.at] === ":" && members.length === 0) {
        this.at++;
        entries.push([key, this.value()]);
      } else if (entries.length === 0) {
        members.push(key);
      } else {
        throw new NotALiteral();
      }
    }
  }
}
