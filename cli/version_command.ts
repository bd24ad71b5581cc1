import { Command } from "clipanion";
import { EXIT } from "./config_command.ts";
import { textOrJsonFormat } from "./format_option.ts";

export class VersionCommand extends Command {
  static override paths = [["version"]];

  static override usage = Command.Usage({
    description: "Print the version, git commit and platform of this binary",
    details: `
      The commit and target are recorded when the binary is built (\`make build\`,
      \`make dist\`). \`--format json\` prints one object:
      \`{version, commit, target, os, arch, libc, bun}\`. For the version number alone,
      \`mooncake --version\` is faster.
    `,
    examples: [
      ["Show what this binary is", "$0 version"],
      ["The same as JSON", "$0 version --format json"],
    ],
  });

  format = textOrJsonFormat();

  async execute(): Promise<number> {
    const { buildInfo } = await import("../core/build/build_info.ts");
    const info = buildInfo();
    const text = this.format === "json"
      ? JSON.stringify(info, null, 2)
      : `mooncake ${info.version} (commit ${info.commit}, ${info.target}, bun ${info.bun})`;
    this.context.stdout.write(`${text}\n`);
    return EXIT.ok;
  }
}
