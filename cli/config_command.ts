import { Command, Option, UsageError } from "clipanion";
import type { Diagnostic } from "../core/config/diagnostics.ts";
import type { CompileResult } from "../core/plan/compile_plan.ts";
import type { Plan } from "../core/plan/plan.ts";
import type { SafetyPolicy } from "../core/security/safety_policy.ts";
import type { VariableSetting } from "../core/plan/variable_provenance.ts";

export const CONFIG_OPTION_DESCRIPTION = "The config file to read (a list of steps, or a mapping with version, vars and steps)";

/** What compiling a config gives a command: the plan or diagnostics, the secret variables and the machine's policy. */
export interface Compiled extends CompileResult {
  secretVars: Record<string, unknown>;
  policy: SafetyPolicy;
}

/** Options shared by the commands that read a config: validate, plan and run. */
export abstract class ConfigCommand extends Command {
  /** The -c,--config option, which each command describes in its own words. */
  abstract config: string | undefined;

  configArgument = Option.String({ required: false, name: "CONFIG" });

  /** The config named by the argument or by --config; both at once must agree. */
  protected get configFile(): string | undefined {
    if (this.configArgument !== undefined && this.config !== undefined && this.configArgument !== this.config) {
      throw new UsageError(`Two configs given, "${this.configArgument}" and --config "${this.config}": give one`);
    }
    return this.configArgument ?? this.config;
  }

  varsFiles = Option.Array("--vars", [], {
    description: "A YAML file of variables; overrides the config's vars (repeatable, later files win)",
  });

  varAssignments = Option.Array("--var", [], {
    description: "One variable as NAME=VALUE, VALUE read as YAML (repeatable; wins over --vars)",
  });

  secretVarsFiles = Option.Array("--secret-vars", [], {
    description: "A YAML file of secret variables: usable like --vars, kept out of plans, and redacted from all output",
  });

  policyFile = Option.String("--policy", {
    description: "A machine safety policy (a YAML file with `safety:`, docs/safety.md); the config can only tighten it. MOONCAKE_POLICY names one too",
  });

  /**
   * Compiles the config with the options given and judges its steps by the safety policy; the
   * core modules load only now, keeping startup lean. `danger` says what a step in a danger
   * category is at plan time: a warning (validate, plan) or nothing yet (a run refuses the step);
   * `explain` judges each step itself, so a refused step is explained rather than fatal.
   */
  protected async compile(tags: readonly string[] = [], danger: "warn" | "skip" | "explain" = "warn"): Promise<Compiled> {
    const configPath = this.configFile;
    if (configPath === undefined) throw new UsageError(`No config given: name it, as in \`mooncake ${this.path.join(" ")} site.yml\` or --config site.yml`);
    const [{ compilePlan }, { machineFacts }, { ACTIONS }, { EMBEDDED_PRESETS }] = await Promise.all([
      import("../core/plan/compile_plan.ts"),
      import("../core/facts/machine_facts.ts"),
      import("../actions/registry.ts"),
      import("../actions/presets/embedded_presets.ts"),
    ]);
    const { vars: secretVars, settings: secretSettings, diagnostics: secretDiagnostics } = await this.loadSecretVars();
    const { policy, diagnostics: policyDiagnostics } = await this.loadPolicy();
    const result = compilePlan({
      configPath,
      actions: ACTIONS,
      embeddedPresets: EMBEDDED_PRESETS,
      varsFiles: this.varsFiles,
      varAssignments: this.varAssignments,
      secretNames: Object.keys(secretVars),
      tags,
      facts: machineFacts().vars,
    });
    if (result.plan && policyDiagnostics.length === 0 && danger !== "explain") {
      const { checkPlanSafety } = await import("../core/security/plan_safety.ts");
      result.diagnostics.push(...checkPlanSafety(result.plan, ACTIONS, { policy, facts: machineFacts().vars, danger }));
    }
    for (const warning of machineFacts().takeWarnings()) this.context.stderr.write(`warning: ${warning}\n`);
    const { hasErrors } = await import("../core/config/diagnostics.ts");
    const diagnostics = [...secretDiagnostics, ...policyDiagnostics, ...result.diagnostics];
    if (!hasErrors(diagnostics)) return { ...result, diagnostics, variables: [...(result.variables ?? []), ...secretSettings], secretVars, policy };
    const { plan: _plan, ...failed } = result;
    return { ...failed, diagnostics, secretVars, policy };
  }

  /** The machine's policy: the file MOONCAKE_POLICY names and the --policy file, each tightening the other. */
  protected async loadPolicy(): Promise<{ policy: SafetyPolicy; diagnostics: Diagnostic[] }> {
    const files = [process.env.MOONCAKE_POLICY, this.policyFile].filter((f): f is string => f !== undefined && f !== "");
    const [{ combinePolicies, NO_POLICY }, { machineFacts }] = await Promise.all([
      import("../core/security/safety_policy.ts"),
      import("../core/facts/machine_facts.ts"),
    ]);
    if (files.length === 0) return { policy: NO_POLICY, diagnostics: [] };
    const { loadPolicyFile } = await import("../core/security/load_policy_file.ts");
    const loaded = [...new Set(files)].map((file) => loadPolicyFile(file, machineFacts().vars));
    return { policy: combinePolicies(...loaded.map((l) => l.policy)), diagnostics: loaded.flatMap((l) => l.diagnostics) };
  }

  /** The --secret-vars files merged, later files winning, with where each value is written; their problems as diagnostics. */
  protected async loadSecretVars(): Promise<{ vars: Record<string, unknown>; settings: VariableSetting[]; diagnostics: Diagnostic[] }> {
    const [{ loadVarsFile }, { varsFileSettings }] = await Promise.all([import("../core/plan/load_vars.ts"), import("../core/plan/variable_provenance.ts")]);
    const vars: Record<string, unknown> = {};
    const settings: VariableSetting[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const path of this.secretVarsFiles) {
      const loaded = loadVarsFile(path);
      diagnostics.push(...loaded.diagnostics);
      Object.assign(vars, loaded.vars);
      if (loaded.vars) settings.push(...varsFileSettings(loaded.file!, loaded.vars, "secret_vars"));
    }
    return { vars, settings, diagnostics };
  }
}

export const ALLOW_UNKNOWN_TAGS_DESCRIPTION = "Accept --tags that no step carries (by default a usage error: a typo would select nothing)";

/** Refuses --tags that no step of the plan carries, naming the tags it has, unless `allowUnknown`. */
export function checkTags(plan: Plan, tags: readonly string[], allowUnknown: boolean): void {
  const known = new Set(plan.steps.flatMap((s) => s.tags));
  const unknown = tags.filter((t) => !known.has(t) && t !== "always");
  if (unknown.length === 0 || allowUnknown) return;
  const has = known.size ? `its tags are ${[...known].sort().join(", ")}` : "it has no tags";
  throw new UsageError(`--tags ${unknown.map((t) => `"${t}"`).join(", ")} ${unknown.length === 1 ? "matches" : "match"} no step of the config (${has}); --allow-unknown-tags runs anyway`);
}

/** `--tags a,b --tags c` -> ["a", "b", "c"]. */
export function splitTags(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((t) => t.trim()).filter(Boolean);
}

/**
 * 1 is for the artifacts commands: `verify` found damage, or the store refused (locked, not in
 * the trash). 4 is for `run --dry-run --detailed-exitcode`: the preview found something to change.
 */
export const EXIT = { ok: 0, storeFailed: 1, invalidInput: 2, runFailed: 3, wouldChange: 4, interrupted: 130 } as const;
