import { compileExpression as compileFiltrex } from "filtrex";
import { ExpressionError, UndefinedVariableError } from "./errors.ts";
import { FILTREX_OPERATORS } from "./filtrex_operators.ts";
import { FUNCTIONS } from "./functions.ts";
import { INTERNAL_FUNCTIONS } from "./internal_functions.ts";
import { member } from "./member.ts";
import { trackMissing } from "./missing.ts";
import { normalize } from "./normalize.ts";
import { trackUnknown, UnknownValueError } from "./unknown.ts";

export { ExpressionError, ExpressionSyntaxError, UndefinedVariableError } from "./errors.ts";
export { unwrapTag } from "./unwrap_tag.ts";

/**
 * Variables an expression can read. A name exists when `name in vars`; vars may be layered with
 * Object.create, and Object.prototype members never count.
 */
export type Vars = Readonly<Record<string, unknown>>;

export interface Expression {
  /** As written by the user. */
  readonly source: string;
  /** Root variable names it reads, unique and sorted. */
  readonly references: readonly string[];
  /** Throws UndefinedVariableError, ExpressionError, or UnknownValueError when it read an Unknown (dry-run). */
  evaluate(vars: Vars): unknown;
}

const FILTREX_OPTIONS = {
  extraFunctions: { ...FUNCTIONS, ...INTERNAL_FUNCTIONS },
  constants: { true: true, false: false, null: null },
  customProp: (name: string, _get: unknown, vars: Vars) => member(vars, name, name),
  operators: FILTREX_OPERATORS,
};

const cache = new Map<string, Expression>();

/** Compiles (once per source) an expression such as `result.rc == 0 and "ok" in result.stdout`. */
export function compileExpression(source: string): Expression {
  let expression = cache.get(source);
  if (!expression) {
    expression = build(source);
    cache.set(source, expression);
  }
  return expression;
}

function build(source: string): Expression {
  const { code, references } = normalize(source);
  // Filtrex's parser costs about 0.1 ms per expression, and validate and plan compile many
  // expressions they never evaluate, so it runs on first use; normalize already caught every syntax error.
  let run: ((vars: Vars) => unknown) | undefined;
  return {
    source,
    references,
    evaluate(vars) {
      const compiled = (run ??= compileFiltrex(code, FILTREX_OPTIONS));
      const { value: { value, missing }, unknown } = trackUnknown(() => trackMissing(() => compiled(vars)));
      const undefinedValue = missing.find((m) => !m.consumed);
      if (undefinedValue) throw new UndefinedVariableError(undefinedValue.path, source);
      // Whatever the expression made of an unknown value (a comparison, a default), it is unknown too.
      if (unknown[0]) throw new UnknownValueError(unknown[0], source);
      if (value instanceof Error) throw runtimeError(value, source);
      return value;
    },
  };
}

/** Filtrex returns the errors it catches; its own type errors come only from `and`, `or`, `not` and `if`. */
function runtimeError(error: Error, source: string): ExpressionError {
  const received = (error as { recievedType?: string }).recievedType;
  const detail = received === undefined ? error.message : `Expected true or false, got ${FILTREX_TYPES[received] ?? received}`;
  return new ExpressionError(`${detail} in expression "${source}"`, { cause: error });
}

const FILTREX_TYPES: Record<string, string> = { text: "a string", list: "a list", object: "a map", number: "a number" };
