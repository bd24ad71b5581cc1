import { Command, Option } from "clipanion";
import { EXIT } from "./config_command.ts";
import { textOrJsonFormat } from "./format_option.ts";

export class PresetsShowCommand extends Command {
  static override paths = [["presets", "show"]];

  static override usage = Command.Usage({
    description: "Show a preset: where it comes from, its parameters and its file",
    details: `
      Prints the preset file as it is (a starting point to copy into \`./presets/NAME/\` and
      change), after its parameters with their type, default and description.
      \`--format json\` prints \`{name, description, version, source, parameters, text}\`.
    `,
    examples: [["Show the ml-host preset", "$0 presets show ml-host"]],
  });

  name = Option.String({ name: "NAME" });

  format = textOrJsonFormat();

  async execute(): Promise<number> {
    const [{ locatePreset, presetSearchPath, readPresetDefinition }, { EMBEDDED_PRESETS }, { formatDiagnostic }] = await Promise.all([
      import("../core/plan/presets.ts"),
      import("../actions/presets/embedded_presets.ts"),
      import("../core/config/diagnostics.ts"),
    ]);
    const location = locatePreset(this.name, presetSearchPath(process.cwd()), EMBEDDED_PRESETS);
    if (!location) {
      this.context.stderr.write(`error: No preset named "${this.name}" (mooncake presets list shows them)\n`);
      return EXIT.invalidInput;
    }
    const { definition, diagnostics } = readPresetDefinition(location.path, this.name);
    for (const d of diagnostics) this.context.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!definition) return EXIT.invalidInput;
    const source = location.embedded ? "embedded" : location.path;
    if (this.format === "json") {
      const { name, description, version, parameters, file } = definition;
      this.context.stdout.write(`${JSON.stringify({ name, description, version, source, parameters, text: file.text }, null, 2)}\n`);
      return EXIT.ok;
    }
    const parameters = Object.entries(definition.parameters).map(([key, p]) =>
      `  ${key}${p.required ? " (required)" : ""}: ${p.type ?? "any"}${p.default !== undefined ? `, default ${JSON.stringify(p.default)}` : ""}${p.description ? ` - ${p.description}` : ""}`);
    this.context.stdout.write([
      `${definition.name} ${definition.version}: ${definition.description}`,
      `source: ${source}`,
      "parameters:",
      ...(parameters.length ? parameters : ["  (none)"]),
      "",
      `# ${location.path}`,
      definition.file.text,
    ].join("\n"));
    return EXIT.ok;
  }
}
