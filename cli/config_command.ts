import { Command, Option, UsageError } from "clipanion";
import type { Diagnostic } from "../core/config/diagnostics.ts";
import type { CompileResult } from "../core/plan/compile_plan.ts";

export const CONFIG_OPTION_DESCRIPTION = "The config file to read (a list of steps, or a mapping with version, vars and steps)";

/** What compiling a config gives a command: the plan or diagnostics, and the secret variables. */
export interface Compiled extends CompileResult {
  secretVars: Record<string, unknown>;
}

/** Options shared by the commands that read a config: validate, plan and run. */
export abstract class ConfigCommand extends Command {
  abstract config: string | undefined;

  varsFiles = Option.Array("--vars", [], {
    description: "A YAML file of variables; overrides the config's vars (repeatable, later files win)",
  });

  varAssignments = Option.Array("--var", [], {
    description: "One variable as NAME=VALUE, VALUE read as YAML (repeatable; wins over --vars)",
  });

  secretVarsFiles = Option.Array("--secret-vars", [], {
    description: "A YAML file of secret variables: usable like --vars, kept out of plans, and redacted from all output",
  });

  /** Compiles the config with the options given; the core modules load only now, keeping startup lean. */
  protected async compile(tags: readonly string[] = []): Promise<Compiled> {
    if (this.config === undefined) throw new UsageError("Give the config to read with --config FILE");
    const [{ compilePlan }, { machineFacts }, { ACTIONS }, { EMBEDDED_PRESETS }] = await Promise.all([
      import("../core/plan/compile_plan.ts"),
      import("../core/facts/machine_facts.ts"),
      import("../actions/registry.ts"),
      import("../actions/presets/embedded_presets.ts"),
    ]);
    const { vars: secretVars, diagnostics: secretDiagnostics } = await this.loadSecretVars();
    const result = compilePlan({
      configPath: this.config,
      actions: ACTIONS,
      embeddedPresets: EMBEDDED_PRESETS,
      varsFiles: this.varsFiles,
      varAssignments: this.varAssignments,
      secretNames: Object.keys(secretVars),
      tags,
      facts: machineFacts().vars,
    });
    for (const warning of machineFacts().takeWarnings()) this.context.stderr.write(`warning: ${warning}\n`);
    if (secretDiagnostics.length === 0) return { ...result, secretVars };
    const { plan: _plan, ...failed } = result;
    return { ...failed, diagnostics: [...secretDiagnostics, ...result.diagnostics], secretVars };
  }

  /** The --secret-vars files merged, later files winning; their problems as diagnostics. */
  protected async loadSecretVars(): Promise<{ vars: Record<string, unknown>; diagnostics: Diagnostic[] }> {
    const { loadVarsFile } = await import("../core/plan/load_vars.ts");
    const vars: Record<string, unknown> = {};
    const diagnostics: Diagnostic[] = [];
    for (const path of this.secretVarsFiles) {
      const loaded = loadVarsFile(path);
      diagnostics.push(...loaded.diagnostics);
      Object.assign(vars, loaded.vars);
    }
    return { vars, diagnostics };
  }
}

/** `--tags a,b --tags c` -> ["a", "b", "c"]. */
export function splitTags(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((t) => t.trim()).filter(Boolean);
}

/** 1 is for the artifacts commands: `verify` found damage, or the store refused (locked, not in the trash). */
export const EXIT = { ok: 0, storeFailed: 1, invalidInput: 2, runFailed: 3, interrupted: 130 } as const;
