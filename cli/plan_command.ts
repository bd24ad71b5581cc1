import { Option } from "clipanion";
import * as t from "typanion";
import { ALLOW_UNKNOWN_TAGS_DESCRIPTION, checkTags, CONFIG_OPTION_DESCRIPTION, ConfigCommand, EXIT, splitTags } from "./config_command.ts";

export class PlanCommand extends ConfigCommand {
  static override paths = [["plan"]];

  static override usage = ConfigCommand.Usage({
    description: "Show the exact steps a run would execute",
    details: `
      Compiles the config into a plan: includes expanded, variables layered (facts < config
      vars < include_vars < --vars < --var < loop variables), loops expanded where their list
      is known, and stable ids assigned in plan order (\`step-0001\`, loop items
      \`step-0004[2]\`). Fields that use a value registered at run time keep their template.

      Ids are assigned before \`--tags\` applies, so a step keeps its id whatever the tags; a
      step outside the tags is marked skipped with the reason. A step tagged \`always\` is
      always selected.

      The JSON and YAML forms are the plan file \`run --from-plan\` executes. Two plans of the
      same inputs are identical apart from \`generated_at\`.
    `,
    examples: [
      ["Show the plan", "$0 plan --config site.yml"],
      ["Only the web steps, with where each came from", "$0 plan -c site.yml --tags web --show-origins"],
      ["Save the plan as JSON", "$0 plan -c site.yml --output plan.json"],
    ],
  });

  config = Option.String("-c,--config", { description: CONFIG_OPTION_DESCRIPTION });

  tags = Option.Array("-t,--tags", [], { description: "Select steps by tag (comma-separated, repeatable)" });

  allowUnknownTags = Option.Boolean("--allow-unknown-tags", false, { description: ALLOW_UNKNOWN_TAGS_DESCRIPTION });

  format = Option.String("-f,--format", {
    description: "Output format: text, json or yaml (default: from the --output extension, else text)",
    validator: t.isEnum(["text", "json", "yaml"] as const),
  });

  showOrigins = Option.Boolean("--show-origins", false, {
    description: "Show the file:line:col (and include chain) each step comes from",
  });

  output = Option.String("-o,--output", { description: "Write the plan to this file instead of standard output" });

  async execute(): Promise<number> {
    const tags = splitTags(this.tags);
    const result = await this.compile(tags);
    const { formatDiagnostic } = await import("../core/config/diagnostics.ts");
    for (const d of result.diagnostics) this.context.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!result.plan) return EXIT.invalidInput;
    checkTags(result.plan, tags, this.allowUnknownTags);

    const [{ renderPlan }, { Redactor, secretValues }] = await Promise.all([
      import("../core/plan/render_plan.ts"),
      import("../core/security/redactor.ts"),
    ]);
    const format = this.format ?? formatFromExtension(this.output) ?? "text";
    // The plan holds no secret value, but a value written elsewhere may equal one.
    const plan = new Redactor(secretValues(result.secretValues)).value(result.plan);
    const text = renderPlan(plan, format, { showOrigins: this.showOrigins });
    if (this.output === undefined) {
      this.context.stdout.write(text);
      return EXIT.ok;
    }
    const { writeFileAtomic } = await import("../core/fs/write_file_atomic.ts");
    try {
      writeFileAtomic(this.output, text);
    } catch (e) {
      const { describeFsError } = await import("../core/config/source_file.ts");
      this.context.stderr.write(`error: Cannot write plan to "${this.output}": ${describeFsError(e)}\n`);
      return EXIT.invalidInput;
    }
    this.context.stdout.write(`Plan saved to ${this.output}\n`);
    return EXIT.ok;
  }
}

function formatFromExtension(path: string | undefined): "json" | "yaml" | undefined {
  if (path?.endsWith(".json")) return "json";
  if (path?.endsWith(".yaml") || path?.endsWith(".yml")) return "yaml";
  return undefined;
}
