import { Command, Option } from "clipanion";
import { EXIT } from "./config_command.ts";

export class ExampleCommand extends Command {
  static override paths = [["example"]];

  static override usage = Command.Usage({
    description: "Write the bundled example config into a directory",
    details: `
      Writes \`site.yml\` and the files it includes and renders (vars, tasks, templates) into
      DIR (default \`examples\`), with \`config.schema.json\` beside them: the configs' first
      line (\`# yaml-language-server: $schema=./config.schema.json\`) points editors at it.
      The example is inside the binary, so this works on a machine
      with nothing but mooncake. Everything the example's steps write lands under \`./out\`.

      Files already there with the same content are left alone; a file with other content
      stops the command before anything is written, unless \`--force\` is given.
    `,
    examples: [
      ["Write the example and look at its plan", "$0 example && $0 plan --config examples/site.yml"],
      ["Into another directory", "$0 example /tmp/demo"],
    ],
  });

  dir = Option.String({ required: false, name: "DIR" });

  force = Option.Boolean("--force", false, { description: "Overwrite files that exist with other content" });

  async execute(): Promise<number> {
    const [{ ExampleConflictError, writeExample }, { configJsonSchema }, { ACTIONS }] = await Promise.all([
      import("../core/example/write_example.ts"),
      import("../core/config/config_json_schema.ts"),
      import("../actions/registry.ts"),
    ]);
    const dir = this.dir ?? "examples";
    try {
      const glyph = { created: "+", updated: "~", unchanged: "=" } as const;
      for (const file of writeExample(dir, this.force, configJsonSchema(ACTIONS))) {
        this.context.stdout.write(`${glyph[file.status]} ${file.path}${file.status === "unchanged" ? " (unchanged)" : ""}\n`);
      }
    } catch (e) {
      if (!(e instanceof ExampleConflictError)) throw e;
      this.context.stderr.write(`error: ${e.message}\n`);
      return EXIT.invalidInput;
    }
    this.context.stdout.write(`Next: mooncake validate ${dir}/site.yml\n`);
    return EXIT.ok;
  }
}
