import { ExpressionSyntaxError } from "./errors.ts";
import { FUNCTIONS } from "./functions.ts";
import { TESTS } from "./internal_functions.ts";
import { tokenize, type Token } from "./tokenize.ts";

/** An expression rewritten into filtrex syntax, with the root variables it reads. */
export interface Normalized {
  code: string;
  references: string[];
}

/**
 * Parses the expression syntax mooncake users write (expr-lang, Jinja and pongo2 habits) and
 * emits equivalent filtrex code. Every subexpression is parenthesized, so filtrex's own
 * precedence never matters; variables become single-quoted filtrex symbols, so no name can
 * collide with a filtrex keyword or constant.
 */
export function normalize(source: string): Normalized {
  const parser = new Parser(source, tokenize(source));
  const code = parser.parse();
  return { code, references: [...parser.references].sort() };
}

/** Filtrex code for one subexpression, and where it starts in the source. */
interface Emitted {
  code: string;
  start: number;
}

const LITERALS = new Map([["true", "true"], ["false", "false"], ["null", "null"], ["nil", "null"], ["none", "null"]]);
const RESERVED = new Set(["and", "or", "not", "in", "is", "then", "else"]);
const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">="]);
/** Infix words and the function each becomes; `contains` swaps its operands into `$in`. */
const INFIX_WORDS = new Map([
  ["contains", "$in"],
  ["startsWith", "starts_with"],
  ["starts_with", "starts_with"],
  ["endsWith", "ends_with"],
  ["ends_with", "ends_with"],
  ["matches", "regex_match"],
]);
/** Parentheses, brackets, unary operators and `? :` branches, counted together. */
const MAX_EXPRESSION_DEPTH = 100;
const HINTS = new Map([
  ["=", "Use == to compare"],
  ["if", 'Write "cond ? a : b" or "if cond then a else b"'],
]);

class Parser {
  readonly references = new Set<string>();
  private pos = 0;
  private lastEnd = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parse(): string {
    if (this.peek().kind === "end") throw new ExpressionSyntaxError("Empty expression", 0);
    const { code } = this.expression();
    if (this.peek().kind !== "end") throw this.unexpected(this.peek());
    return code;
  }

  private expression(): Emitted {
    return this.nested(() => this.conditional());
  }

  private conditional(): Emitted {
    const condition = this.coalesce();
    if (!this.atOp("?")) return condition;
    this.next();
    const yes = this.expression();
    this.expectOp(":");
    const no = this.expression();
    return this.emit(`(if ${condition.code} then ${yes.code} else ${no.code})`, condition.start);
  }

  private coalesce(): Emitted {
    let left = this.or();
    while (this.atOp("??")) {
      this.next();
      left = this.emit(`coalesce(${left.code}, ${this.or().code})`, left.start);
    }
    return left;
  }

  private or(): Emitted {
    let left = this.and();
    while (this.atWord("or") || this.atOp("||")) {
      this.next();
      left = this.emit(`(${left.code} or ${this.and().code})`, left.start);
    }
    return left;
  }

  private and(): Emitted {
    let left = this.not();
    while (this.atWord("and") || this.atOp("&&")) {
      this.next();
      left = this.emit(`(${left.code} and ${this.not().code})`, left.start);
    }
    return left;
  }

  // `not` and `!` bind looser than comparisons, as in Python: `not a in b` is `not (a in b)`.
  private not(): Emitted {
    if (!this.atWord("not") && !this.atOp("!")) return this.comparison();
    const start = this.next().offset;
    return this.emit(`(not ${this.nested(() => this.not()).code})`, start);
  }

  private comparison(): Emitted {
    let left = this.additive();
    for (;;) {
      const token = this.peek();
      let code: string;
      if (token.kind === "op" && COMPARISONS.has(token.value)) {
        this.next();
        code = `(${left.code} ${token.value} ${this.additive().code})`;
      } else if (this.atWord("in")) {
        this.next();
        code = `$in(${left.code}, ${this.additive().code})`;
      } else if (this.atWord("not") && this.atWord("in", 1)) {
        this.next();
        this.next();
        code = `(not $in(${left.code}, ${this.additive().code}))`;
      } else if (this.atWord("is")) {
        code = this.test(left);
      } else if (token.kind === "name" && INFIX_WORDS.has(token.value)) {
        this.next();
        const right = this.additive().code;
        const fn = INFIX_WORDS.get(token.value);
        code = fn === "$in" ? `$in(${right}, ${left.code})` : `${fn}(${left.code}, ${right})`;
      } else {
        return left;
      }
      left = this.emit(code, left.start);
    }
  }

  private test(subject: Emitted): string {
    this.next();
    const negate = this.atWord("not");
    if (negate) this.next();
    const test = this.next();
    if (test.kind !== "name" || !TESTS.includes(test.value)) {
      throw new ExpressionSyntaxError(`Unknown test ${this.quoted(test)}`, test.offset, `Known tests: ${TESTS.join(", ")}`);
    }
    const code =
      test.value === "defined" ? `is_defined(${subject.code})`
      : test.value === "undefined" ? `(not is_defined(${subject.code}))`
      : `$test("${test.value}", ${subject.code})`;
    return negate ? `(not ${code})` : code;
  }

  private additive(): Emitted {
    let left = this.multiplicative();
    while (this.atOp("+") || this.atOp("-")) {
      const op = this.next().value;
      left = this.emit(`(${left.code} ${op} ${this.multiplicative().code})`, left.start);
    }
    return left;
  }

  private multiplicative(): Emitted {
    let left = this.unary();
    while (this.atOp("*") || this.atOp("/") || this.atOp("%")) {
      const op = this.next().value;
      left = this.emit(`(${left.code} ${op === "%" ? "mod" : op} ${this.unary().code})`, left.start);
    }
    return left;
  }

  private unary(): Emitted {
    if (!this.atOp("-")) return this.power();
    const start = this.next().offset;
    return this.emit(`(-${this.nested(() => this.unary()).code})`, start);
  }

  private power(): Emitted {
    const base = this.postfix(true);
    if (!this.atOp("**")) return base;
    this.next();
    return this.emit(`(${base.code} ^ ${this.nested(() => this.unary()).code})`, base.start);
  }

  /** Member and index access, and (unless reading a `filter:arg` argument) pipes, left to right. */
  private postfix(pipes: boolean): Emitted {
    let value = this.primary();
    for (;;) {
      if (this.atOp(".")) {
        const dot = this.next();
        const key = this.next();
        if (key.kind !== "name" && key.kind !== "number") throw new ExpressionSyntaxError('Expected a name after "."', key.offset);
        if (this.atOp("(")) throw this.methodCall(value, dot, key);
        value = this.access(value, filtrexString(key.value));
      } else if (this.atOp("[")) {
        this.next();
        const index = this.expression();
        this.expectOp("]");
        value = this.access(value, index.code);
      } else if (pipes && this.atOp("|")) {
        value = this.filter(value);
      } else {
        return value;
      }
    }
  }

  private access(base: Emitted, key: string): Emitted {
    const path = this.source.slice(base.start, this.lastEnd);
    return this.emit(`$get(${base.code}, ${key}, ${filtrexString(path)})`, base.start);
  }

  /** `v | f`, `v | f(a, b)` and pongo2's `v | f:a` all become `f(v, ...)`. */
  private filter(input: Emitted): Emitted {
    this.next();
    const name = this.next();
    if (name.kind !== "name") throw new ExpressionSyntaxError('Expected a filter name after "|"', name.offset);
    this.checkFunction(name);
    const args = [input.code];
    if (this.atOp("(")) args.push(...this.arguments());
    else if (this.atOp(":")) {
      this.next();
      args.push(this.postfix(false).code);
    }
    return this.emit(`${name.value}(${args.join(", ")})`, input.start);
  }

  private primary(): Emitted {
    const token = this.next();
    if (token.kind === "number") return this.emit(token.value, token.offset);
    if (token.kind === "string") return this.emit(filtrexString(token.value), token.offset);
    if (token.kind === "name") return this.name(token);
    if (token.kind === "op" && token.value === "(") return this.group(token);
    if (token.kind === "op" && token.value === "[") {
      const items = this.atOp("]") ? [] : this.list("]");
      this.expectOp("]");
      return this.emit(`$list(${items.join(", ")})`, token.offset);
    }
    throw this.unexpected(token);
  }

  private name(token: Token): Emitted {
    const literal = LITERALS.get(token.value);
    if (literal) return this.emit(literal, token.offset);
    if (token.value === "if") {
      const condition = this.expression();
      this.expectWord("then");
      const yes = this.expression();
      this.expectWord("else");
      const no = this.expression();
      return this.emit(`(if ${condition.code} then ${yes.code} else ${no.code})`, token.offset);
    }
    if (RESERVED.has(token.value)) throw this.unexpected(token);
    if (this.atOp("(")) {
      this.checkFunction(token);
      return this.emit(`${token.value}(${this.arguments().join(", ")})`, token.offset);
    }
    this.references.add(token.value);
    return this.emit(`'${token.value}'`, token.offset);
  }

  /** `(e)` is grouping; `(a, b)` is a list, as in filtrex. */
  private group(open: Token): Emitted {
    const first = this.expression();
    if (!this.atOp(",")) {
      this.expectOp(")");
      return this.emit(`(${first.code})`, open.offset);
    }
    this.next();
    const items = [first.code, ...(this.atOp(")") ? [] : this.list(")"))];
    this.expectOp(")");
    return this.emit(`$list(${items.join(", ")})`, open.offset);
  }

  private arguments(): string[] {
    this.expectOp("(");
    const args = this.atOp(")") ? [] : this.list(")");
    this.expectOp(")");
    return args;
  }

  /** Comma-separated expressions up to (not including) `close`; a trailing comma is allowed. */
  private list(close: string): string[] {
    const items = [this.expression().code];
    while (this.atOp(",")) {
      this.next();
      if (this.atOp(close)) break;
      items.push(this.expression().code);
    }
    return items;
  }

  private checkFunction(name: Token): void {
    if (Object.hasOwn(FUNCTIONS, name.value)) return;
    throw new ExpressionSyntaxError(`Unknown function "${name.value}"`, name.offset, suggestFunction(name.value));
  }

  private methodCall(target: Emitted, dot: Token, method: Token): ExpressionSyntaxError {
    const subject = this.source.slice(target.start, dot.offset).trim();
    const hint =
      Object.hasOwn(FUNCTIONS, method.value) ?
        `Write "${subject} | ${method.value}" or "${method.value}(${subject})"`
      : `Use a function or filter instead. ${suggestFunction(method.value)}`;
    return new ExpressionSyntaxError(`Method calls are not supported: ".${method.value}()"`, dot.offset, hint);
  }

  /** Every way an expression nests goes through here, so a hostile one fails cleanly, not on the stack's end. */
  private nested(parse: () => Emitted): Emitted {
    if (++this.depth > MAX_EXPRESSION_DEPTH) {
      throw new ExpressionSyntaxError(`Expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels`, this.peek().offset, "Split it into variables");
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private emit(code: string, start: number): Emitted {
    return { code, start };
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.pos++;
    this.lastEnd = token.end;
    return token;
  }

  private atOp(value: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === "op" && token.value === value;
  }

  private atWord(value: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === "name" && token.value === value;
  }

  private expectOp(value: string): void {
    if (!this.atOp(value)) throw this.expected(value);
    this.next();
  }

  private expectWord(value: string): void {
    if (!this.atWord(value)) throw this.expected(value);
    this.next();
  }

  private expected(what: string): ExpressionSyntaxError {
    const token = this.peek();
    const found = token.kind === "end" ? "the end" : this.quoted(token);
    return new ExpressionSyntaxError(`Expected "${what}" but found ${found}`, token.offset);
  }

  private unexpected(token: Token): ExpressionSyntaxError {
    if (token.kind === "end") return new ExpressionSyntaxError("Unexpected end of expression", token.offset);
    const hint = token.kind === "string" ? undefined : HINTS.get(token.value);
    return new ExpressionSyntaxError(`Unexpected ${this.quoted(token)}`, token.offset, hint);
  }

  /** `"=="`, or `string 'a'` for a string, whose own quotes would clash. */
  private quoted(token: Token): string {
    const text = this.source.slice(token.offset, token.end);
    return token.kind === "string" ? `string ${text}` : `"${text}"`;
  }
}

/** Filtrex string literals know only two escapes, `\"` and `\\`; any other character may appear as is. */
function filtrexString(value: string): string {
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

/** A near name ("tojson" for "to_json"), or the whole list when nothing is close. */
function suggestFunction(name: string): string {
  const simplify = (s: string) => s.replaceAll("_", "").toLowerCase();
  const wanted = simplify(name);
  const close = Object.keys(FUNCTIONS).filter((known) => {
    const candidate = simplify(known);
    return candidate === wanted || (Math.min(candidate.length, wanted.length) >= 4 && (candidate.includes(wanted) || wanted.includes(candidate)));
  });
  if (close.length > 0) return `Did you mean ${close.map((c) => `"${c}"`).join(" or ")}?`;
  return `Known functions: ${Object.keys(FUNCTIONS).sort().join(", ")}`;
}
