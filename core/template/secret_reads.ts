import type { Vars } from "../expr/compile_expression.ts";

/** A symbol, so no variable of the config can shadow it. */
const SECRET_READS = Symbol("secret reads");

/** What a scope tells the renderer about secrets: which variables are, and who hides what is made of them. */
export interface SecretReads {
  readonly names: ReadonlySet<string>;
  /** Takes the text of a tag or section that read a secret, and of a whole template that did. */
  note(text: string): void;
}

/** Attaches `reads` to `scope` (and so to every scope layered over it). */
export function trackSecretReads(scope: Record<string, unknown>, reads: SecretReads): void {
  Object.defineProperty(scope, SECRET_READS, { value: reads, configurable: true });
}

/** The secrets a template rendered in `vars` must report, when any of `references` is one. */
export function secretReadsOf(vars: Vars, references: readonly string[]): SecretReads | undefined {
  const reads = (vars as { [SECRET_READS]?: SecretReads })[SECRET_READS];
  return reads && references.some((name) => reads.names.has(name)) ? reads : undefined;
}
