import { Command } from "clipanion";
import { EXIT } from "./config_command.ts";
import { textOrJsonFormat } from "./format_option.ts";

export class PresetsListCommand extends Command {
  static override paths = [["presets", "list"], ["presets"]];

  static override usage = Command.Usage({
    description: "List the presets a config can use",
    details: `
      Presets are looked for, in order, in \`./presets/\` (of the current directory, as a config
      there would), each folder of \`MOONCAKE_PRESETS_PATH\` (separated by \`:\`), and
      \`~/.mooncake/presets\`; then come the presets built into mooncake. The first preset of a
      name wins. \`--format json\` prints \`[{name, description, version, source}]\`.
    `,
    examples: [["List presets", "$0 presets list"], ["Show one", "$0 presets show ml-host"]],
  });

  format = textOrJsonFormat();

  async execute(): Promise<number> {
    const [{ listPresets, presetSearchPath }, { EMBEDDED_PRESETS }, { formatDiagnostic }] = await Promise.all([
      import("../core/plan/presets.ts"),
      import("../actions/presets/embedded_presets.ts"),
      import("../core/config/diagnostics.ts"),
    ]);
    const { presets, diagnostics } = listPresets(presetSearchPath(process.cwd()), EMBEDDED_PRESETS);
    for (const d of diagnostics) this.context.stderr.write(`${formatDiagnostic(d)}\n`);
    if (this.format === "json") {
      this.context.stdout.write(`${JSON.stringify(presets, null, 2)}\n`);
      return EXIT.ok;
    }
    const width = Math.max(4, ...presets.map((p) => p.name.length));
    const lines = presets.map((p) => `${p.name.padEnd(width)}  ${(p.version || "-").padEnd(7)}  ${p.description}${p.source === "embedded" ? "" : `  (${p.source})`}`);
    this.context.stdout.write(`${[`${"name".padEnd(width)}  version  description`, ...lines].join("\n")}\n`);
    return EXIT.ok;
  }
}
