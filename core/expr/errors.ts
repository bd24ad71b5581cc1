/** An expression that cannot be compiled; `offset` is 0-based into the source as the user wrote it. */
export class ExpressionSyntaxError extends Error {
  override name = "ExpressionSyntaxError";
  constructor(
    message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** An expression read a variable (or a member of one) that does not exist. */
export class UndefinedVariableError extends Error {
  override name = "UndefinedVariableError";
  constructor(
    readonly variable: string,
    readonly expression: string,
  ) {
    super(`Undefined variable "${variable}" in expression "${expression}"`);
  }
}

/** An expression failed while running, for example by comparing a string with a number. */
export class ExpressionError extends Error {
  override name = "ExpressionError";
}
