import type { Vars } from "../expr/compile_expression.ts";
import { formatPosition } from "../fs/display_path.ts";
import { DRY_RUN_VARIABLE, type PlanStep, type SourcePosition } from "../plan/plan.ts";
import { settingPosition, settingsByPrecedence, type SettingOrigin, type VariableSetting } from "../plan/variable_provenance.ts";
import { REDACTED } from "../security/redactor.ts";
import type { FinishedStep } from "./dry_run_plan.ts";
import type { VariableExplanation, VariableSource } from "./explanation.ts";

/** What the values of a run's variables come from. */
export interface VariableWorld {
  steps: readonly PlanStep[];
  /** The values the config, the command line and `--secret-vars` gave, in the order they were set. */
  settings: readonly VariableSetting[];
  facts: Vars;
  /** The fact group a fact is read from (`basic`, `cpu`, ...); undefined when no fact has the name. */
  factGroup: (name: string) => string | undefined;
  /** The dry-run's step.finished events by plan step id: what earlier steps registered. */
  finished: ReadonlyMap<string, readonly FinishedStep[]>;
}

const LOOP_NAMES = new Set(["item", "index", "first", "last"]);

/** One value a name could have, with its place in the run's precedence. */
interface Candidate {
  source: VariableSource;
  /** Candidates of one layer: a later one shadows an earlier one. */
  layer: string;
  state: "known" | "known_after_run";
  value?: unknown;
}

/**
 * The value `name` has when the step at `index` of the plan evaluates its `when`, where it came
 * from, and every other value it was given that lost. The order is the executor's: loop
 * variables > preset parameters > a result registered by an earlier step > `dry_run` >
 * `--secret-vars` > `--var` and `--vars` > `include_vars` > config vars > facts.
 */
export function explainVariable(name: string, index: number, world: VariableWorld): VariableExplanation {
  const step = world.steps[index]!;
  const candidates = [
    ...loopCandidate(name, step),
    ...parametersCandidate(name, step),
    ...registeredCandidate(name, index, world),
    ...(name === DRY_RUN_VARIABLE ? [dryRunCandidate()] : []),
    ...settingsByPrecedence(world.settings, name).map(settingCandidate),
    ...factCandidate(name, world),
  ];
  const [winner, ...rest] = candidates;
  if (!winner) {
    return { name, state: "undefined", source: { kind: "undefined", text: "set by no vars, --var, --vars, registered result or fact" }, shadowed: [] };
  }
  return {
    name,
    state: winner.state,
    ...(winner.state === "known" ? { value: winner.value } : {}),
    source: winner.source,
    shadowed: rest.map((c) => ({ source: c.source, value: c.value, by: c.layer === winner.layer ? "later" as const : "precedence" as const })),
  };
}

function loopCandidate(name: string, step: PlanStep): Candidate[] {
  if (!LOOP_NAMES.has(name)) return [];
  if (step.loop) return [{ layer: "loop", state: "known", value: step.loop[name as keyof typeof step.loop], source: { kind: "loop", text: `loop item ${step.loop.index} of ${step.id}` } }];
  if (step.deferred_with_items === undefined) return [];
  return [{ layer: "loop", state: "known_after_run", source: { kind: "loop", text: `set for each item of the loop over \`${step.deferred_with_items}\`` } }];
}

function parametersCandidate(name: string, step: PlanStep): Candidate[] {
  if (name !== "parameters" || !step.parameters) return [];
  const site = [...step.origin.include_stack].reverse().find((s) => s.preset !== undefined);
  const text = site ? `parameters of preset "${site.preset}" (used at ${formatPosition(site)})` : "parameters of the preset";
  return [{ layer: "preset_parameters", state: "known", value: step.parameters, source: { kind: "preset_parameters", text, ...(site ? { at: position(site) } : {}) } }];
}

/** The result of the nearest earlier step that registers `name`: the run sets it when that step finishes. */
function registeredCandidate(name: string, index: number, world: VariableWorld): Candidate[] {
  for (let i = index - 1; i >= 0; i--) {
    const step = world.steps[i]!;
    if (step.register !== name) continue;
    const last = world.finished.get(step.id)?.at(-1);
    const source: VariableSource = { kind: "registered", text: `registered by ${step.id} (${formatPosition(step.origin)})`, step_id: step.id, at: position(step.origin) };
    if (!last || last.data.known_after_run) return [{ layer: "registered", state: "known_after_run", source }];
    return [{ layer: "registered", state: "known", value: last.data.result, source }];
  }
  return [];
}

function dryRunCandidate(): Candidate {
  const text = "set by mooncake: true in a dry-run (explain checks as one), false in a run";
  return { layer: "mooncake", state: "known", value: true, source: { kind: "mooncake", text } };
}

/** A setting as a candidate; `--var` wins over `--vars` files by precedence, though the compiler keeps both in one layer. */
function settingCandidate(setting: VariableSetting): Candidate {
  const secret = setting.layer === "secret";
  const layer = setting.layer === "cli" ? setting.origin.kind : setting.layer;
  return { layer, state: "known", value: secret ? REDACTED : setting.value, source: settingSource(setting.origin) };
}

function settingSource(origin: SettingOrigin): VariableSource {
  if (origin.kind === "var_option") return { kind: "var_option", text: `--var ${origin.text}` };
  const at = settingPosition(origin)!;
  const where = formatPosition(at);
  switch (origin.kind) {
    case "vars_file":
      return { kind: origin.kind, text: `--vars ${where}`, at };
    case "secret_vars":
      return { kind: origin.kind, text: `--secret-vars ${where}`, at };
    case "config_vars":
      return { kind: origin.kind, text: `vars at ${where}`, at };
    case "vars_step":
      return { kind: origin.kind, text: `vars step at ${where}`, at };
    case "include_vars":
      return { kind: origin.kind, text: `include_vars file ${where} (included at ${formatPosition(origin.includedAt)})`, at };
  }
}

function factCandidate(name: string, world: VariableWorld): Candidate[] {
  const group = world.factGroup(name);
  if (group === undefined) return [];
  return [{ layer: "fact", state: "known", value: world.facts[name], source: { kind: "fact", text: `fact (group ${group})`, fact_group: group } }];
}

function position(p: SourcePosition): SourcePosition {
  return { file: p.file, line: p.line, col: p.col };
}
