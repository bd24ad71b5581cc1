import { Cli, type Command, type CommandClass } from "clipanion";
import { reportCrash } from "./crash_handler.ts";
import { groupOf } from "./group_command.ts";
import { commandPathOf, nameValues } from "./value_names.ts";

type Usage = ReturnType<Cli["usage"]>;

/**
 * clipanion's Cli with option values named in help (`--config FILE`, not `--config #0`), groups
 * that list their commands, and a crash reported as one line (crash_handler.ts) instead of
 * clipanion's stack trace.
 */
export class MooncakeCli extends Cli {
  crashExitCode: number | undefined;

  protected override getUsageByIndex(n: number, opts?: { detailed?: boolean; inlineOptions?: boolean }) {
    const { usage, options } = super.getUsageByIndex(n, opts);
    const path = commandPathOf(usage);
    return {
      usage: nameValues(usage, path),
      options: options.map((o) => ({ ...o, definition: nameValues(o.definition, path) })),
    };
  }

  override usage(command?: CommandClass | Command | null, opts?: { colored?: boolean; detailed?: boolean; prefix?: string }): Usage {
    const group = groupOf(command);
    if (group) return this.groupUsage(group);
    return super.usage(command, opts);
  }

  override error(error: unknown, opts?: { colored?: boolean; command?: Command | null }): string {
    if (!(error && typeof error === "object" && "clipanion" in error)) {
      this.crashExitCode = reportCrash(error);
      return "";
    }
    return super.error(error, opts).split("\n").map((line) => nameValues(line, commandPathOf(line))).join("\n");
  }

  /** The commands under `group`, each with its usage and description, as the general help shows them. */
  private groupUsage(group: readonly string[]): string {
    const prefix = group.join(" ");
    const entries = this.definitions().filter((d) => `${commandPathOf(d.path)} `.startsWith(`${prefix} `));
    const lines = [`Commands under mooncake ${prefix} (each takes --help):`, ""];
    for (const d of entries) lines.push(`  ${d.usage}`, `    ${(d.description ?? "").trim()}`, "");
    return `${lines.join("\n")}`;
  }
}
