import type { Vars } from "../expr/compile_expression.ts";
import type { SettingOrigin, VariableLayer, VariableSetting } from "./variable_provenance.ts";

/**
 * Variables by precedence, lowest first: facts < config vars (top-level and `vars` steps) <
 * `include_vars` < CLI (`--vars`, then `--var`). Loop variables are layered on top per item.
 * Every value set is also logged with where it was written (its provenance), for `explain`.
 */
export class VariableLayers {
  private readonly config: Record<string, unknown> = {};
  private readonly included: Record<string, unknown> = {};
  private readonly cli: Record<string, unknown> = {};
  private readonly log: VariableSetting[] = [];
  private merged: Vars | undefined;

  constructor(
    private readonly facts: Readonly<Record<string, unknown>>,
    cli: readonly VariableSetting[],
  ) {
    for (const setting of cli) this.set(setting.name, setting.value, "cli", setting.origin);
  }

  scope(): Vars {
    this.merged ??= layerVars(this.facts, this.config, this.included, this.cli);
    return this.merged;
  }

  set(name: string, value: unknown, layer: Exclude<VariableLayer, "secret">, origin: SettingOrigin): void {
    const target = layer === "config" ? this.config : layer === "include_vars" ? this.included : this.cli;
    target[name] = value;
    this.log.push({ name, value, layer, origin });
    this.merged = undefined;
  }

  /** Every variable a config or the CLI set (facts excluded), by precedence: the plan's `initial_vars`. */
  userVars(): Record<string, unknown> {
    return { ...this.config, ...this.included, ...this.cli };
  }

  /** Every value set, in order, with where it was written. */
  settings(): readonly VariableSetting[] {
    return this.log;
  }
}

/**
 * `base` with `layers` on top, later layers winning. `base` (the facts) stays the prototype and
 * is never copied, so a lazy fact is computed only when something reads it.
 */
export function layerVars(base: Vars, ...layers: readonly Readonly<Record<string, unknown>>[]): Record<string, unknown> {
  const scope = Object.create(base) as Record<string, unknown>;
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer)) {
      Object.defineProperty(scope, name, { value, writable: true, enumerable: true, configurable: true });
    }
  }
  return scope;
}

/** The scope of one loop item. */
export function withLoopVars(scope: Vars, loop: Readonly<Record<string, unknown>>): Vars {
  return Object.assign(Object.create(scope), loop) as Vars;
}
