/** A template that cannot be parsed; `offset` is 0-based into the template source. */
export class TemplateSyntaxError extends Error {
  override name = "TemplateSyntaxError";
  constructor(
    message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}
