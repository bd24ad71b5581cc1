import type { Vars } from "../expr/compile_expression.ts";

/**
 * Variables by precedence, lowest first: facts < config vars (top-level and `vars` steps) <
 * `include_vars` < CLI (`--vars`, then `--var`). Loop variables are layered on top per item.
 */
export class VariableLayers {
  private readonly config: Record<string, unknown> = {};
  private readonly included: Record<string, unknown> = {};
  private merged: Vars | undefined;

  constructor(
    private readonly facts: Readonly<Record<string, unknown>>,
    private readonly cli: Readonly<Record<string, unknown>>,
  ) {}

  scope(): Vars {
    this.merged ??= Object.assign(Object.create(null), this.facts, this.config, this.included, this.cli) as Vars;
    return this.merged;
  }

  setConfigVars(vars: Readonly<Record<string, unknown>>): void {
    Object.assign(this.config, vars);
    this.merged = undefined;
  }

  setIncludedVars(vars: Readonly<Record<string, unknown>>): void {
    Object.assign(this.included, vars);
    this.merged = undefined;
  }

  /** Every variable a config or the CLI set (facts excluded), by precedence: the plan's `initial_vars`. */
  userVars(): Record<string, unknown> {
    return { ...this.config, ...this.included, ...this.cli };
  }
}

/** The scope of one loop item. */
export function withLoopVars(scope: Vars, loop: Readonly<Record<string, unknown>>): Vars {
  return Object.assign(Object.create(scope), loop) as Vars;
}
