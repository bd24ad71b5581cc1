import { Command } from "clipanion";
import { EXIT } from "./config_command.ts";

export class SchemaCommand extends Command {
  static override paths = [["schema"]];

  static override usage = Command.Usage({
    description: "Print the JSON Schema of the config language",
    details: `
      The schema is generated from the same types \`validate\` checks against, and is the
      one committed as \`schemas/config.schema.json\`. Point an editor's YAML support at it
      for completion and inline errors.
    `,
    examples: [["Save the schema", "$0 schema > mooncake.schema.json"]],
  });

  async execute(): Promise<number> {
    const [{ configJsonSchema }, { ACTIONS }] = await Promise.all([
      import("../core/config/config_json_schema.ts"),
      import("../actions/registry.ts"),
    ]);
    this.context.stdout.write(configJsonSchema(ACTIONS));
    return EXIT.ok;
  }
}
