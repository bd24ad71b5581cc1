import { Option } from "clipanion";
import { CONFIG_OPTION_DESCRIPTION, ConfigCommand, EXIT } from "./config_command.ts";
import { textOrJsonFormat } from "./format_option.ts";

export class ValidateCommand extends ConfigCommand {
  static override paths = [["validate"]];

  static override usage = ConfigCommand.Usage({
    description: "Check a config without running it",
    details: `
      Reads the config and every file it includes, checks each step against the config
      language (one action per step, known keys, value types, durations, tags), parses every
      template and expression, and resolves variables, loops and includes exactly as \`plan\`
      does. Every problem is reported at once, as \`FILE:LINE:COL: error: MESSAGE\`; a problem
      in an included file is prefixed by the chain of files that included it.

      Exit codes: 0 when the config is valid, 2 when it is not.
    `,
    examples: [
      ["Validate a config", "$0 validate --config site.yml"],
      ["Validate with variables, as JSON", "$0 validate -c site.yml --vars prod.yml --var port=8080 --format json"],
    ],
  });

  config = Option.String("-c,--config", { description: CONFIG_OPTION_DESCRIPTION });

  format = textOrJsonFormat();

  async execute(): Promise<number> {
    const result = await this.compile();
    const { diagnosticToJson, formatDiagnostic, hasErrors } = await import("../core/config/diagnostics.ts");
    const valid = !hasErrors(result.diagnostics);
    if (this.format === "json") {
      const output = { valid, diagnostics: result.diagnostics.map(diagnosticToJson) };
      this.context.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    } else {
      for (const d of result.diagnostics) this.context.stdout.write(`${formatDiagnostic(d)}\n`);
      const steps = result.plan?.steps.length ?? 0;
      const summary = valid
        ? `✓ ${this.configFile} is valid (${steps} step${steps === 1 ? "" : "s"})`
        : `✗ ${this.configFile} is invalid (${result.diagnostics.length} problem${result.diagnostics.length === 1 ? "" : "s"})`;
      this.context.stdout.write(`${summary}\n`);
    }
    return valid ? EXIT.ok : EXIT.invalidInput;
  }
}
