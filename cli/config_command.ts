import { Command, Option } from "clipanion";
import type { CompileResult } from "../core/plan/compile_plan.ts";

/** Options shared by the commands that read a config: validate, plan (and run). */
export abstract class ConfigCommand extends Command {
  config = Option.String("-c,--config", {
    required: true,
    description: "The config file to read (a list of steps, or a mapping with version, vars and steps)",
  });

  varsFiles = Option.Array("--vars", [], {
    description: "A YAML file of variables; overrides the config's vars (repeatable, later files win)",
  });

  varAssignments = Option.Array("--var", [], {
    description: "One variable as NAME=VALUE, VALUE read as YAML (repeatable; wins over --vars)",
  });

  /** Compiles the config with the options given; the core modules load only now, keeping startup lean. */
  protected async compile(tags: readonly string[] = []): Promise<CompileResult> {
    const [{ compilePlan }, { basicFacts }] = await Promise.all([
      import("../core/plan/compile_plan.ts"),
      import("../core/facts/basic_facts.ts"),
    ]);
    return compilePlan({
      configPath: this.config,
      varsFiles: this.varsFiles,
      varAssignments: this.varAssignments,
      tags,
      facts: { ...basicFacts() },
    });
  }
}

/** `--tags a,b --tags c` -> ["a", "b", "c"]. */
export function splitTags(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((t) => t.trim()).filter(Boolean);
}

/** 1 is for the artifacts commands: `verify` found damage, or the store refused (locked, not in the trash). */
export const EXIT = { ok: 0, storeFailed: 1, invalidInput: 2, runFailed: 3, interrupted: 130 } as const;
